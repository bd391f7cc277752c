"""Rate limits of the API: one per client address, one per token, both answered 429 with
`Retry-After` (docs/integration.md, "Limits").

Each limit counts requests in fixed windows (`600/minute`: at most 600 requests in each clock
minute) with one atomic `incr` in the shared cache (Redis in production), so every web process
counts together and a request costs two cache round trips, not a read and a write of a history.

- `API_RATE_LIMIT_PER_ADDRESS`: every request under /api/ from one client address
  (`client_address`, which honours PORTAL_TRUSTED_PROXY_COUNT). A middleware counts it before
  authentication, so anonymous requests and guessed tokens count too.
- `API_RATE_LIMIT_PER_TOKEN`: the requests of one API token (a browser session counts per
  user), a DRF throttle of every API view.
An empty setting switches that limit off. Signed inbound webhooks are limited by neither (a view
with `rate_limit_exempt`): a ticketing system does not retry a 4xx, so a refused ticket would be
lost, and the signature guards them.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from rest_framework.throttling import BaseThrottle

from partnership.models import ApiToken
from partnership.security import client_address

from .rates import parse_rate


def _wait_past_limit(scope: str, ident: str, setting: str) -> int | None:
    """Count one request of `ident`; the seconds until its window ends when it is over the limit."""
    rate = parse_rate(getattr(settings, setting, ""))
    if rate is None:
        return None
    limit, seconds = rate
    now = time.time()
    window = int(now // seconds)
    key = f"api-throttle:{scope}:{ident}:{seconds}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * seconds - now))


def _refusal(wait: int) -> JsonResponse:
    response = JsonResponse(
        {"detail": f"Request was throttled. Expected available in {wait} seconds."}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _is_exempt(view_func) -> bool:
    view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    return bool(getattr(view_class, "rate_limit_exempt", False) or getattr(view_func, "rate_limit_exempt", False))


class AddressRateLimitMiddleware:
    """API_RATE_LIMIT_PER_ADDRESS over every view under /api/, before authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/api/") or _is_exempt(view_func):
            return None
        address = client_address(request)
        wait = address and _wait_past_limit("address", address, "API_RATE_LIMIT_PER_ADDRESS")
        return _refusal(wait) if wait else None


class TokenRateThrottle(BaseThrottle):
    """API_RATE_LIMIT_PER_TOKEN, per API token; a browser session counts per user."""

    def allow_request(self, request, view):
        if getattr(view, "rate_limit_exempt", False):
            return True
        if isinstance(request.auth, ApiToken):
            ident = f"t{request.auth.pk}"
        elif getattr(request.user, "is_authenticated", False):
            ident = f"u{request.user.pk}"
        else:
            return True  # anonymous: the address limit only
        self._wait = _wait_past_limit("token", ident, "API_RATE_LIMIT_PER_TOKEN")
        return self._wait is None

    def wait(self):
        return getattr(self, "_wait", None)
