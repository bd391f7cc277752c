"""Login throttling (django-axes) and security event logging.

Every `django.contrib.auth.authenticate()` call passes axes' backend first, so the portal's login
page, `/admin/login/` and any later sign-in path are throttled alike. Failed logins are counted in
the database (axes' `AccessAttempt` rows, not the cache, so signing in works while Redis is down):

- per (user name, client address): `PORTAL_LOGIN_FAILURE_LIMIT` failures;
- per user name across addresses: `PORTAL_LOGIN_USER_FAILURE_LIMIT` failures;
- never per address alone, so nobody behind a shared proxy is locked out by others' failures.

A lockout ends `PORTAL_LOGIN_COOLOFF_SECONDS` after the last counted failure (a refused try
during the lockout is not counted); nobody is locked out for good. A successful sign-in clears the
count of its own (user name, address) pair only.
"""

import ipaddress
import logging
import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger("portal.security")


# --- The client address ------------------------------------------------------------------------
def _ip(value: str) -> str | None:
    """`value` as a normalised IP address, or None; a port or an IPv6 zone is dropped."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value.split("%", 1)[0]))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE, and every security log line).

    Without a trusted proxy it is REMOTE_ADDR. Behind PORTAL_TRUSTED_PROXY_COUNT proxies it is the
    address the outermost of them appended to X-Forwarded-For: the N-th entry from the right.
    Entries further left were written by the client, so anyone can forge them; they are never used.
    """
    if request is None:
        return None
    count = settings.PORTAL_TRUSTED_PROXY_COUNT
    if count:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count and (address := _ip(hops[-count])):
            return address
    return _ip(request.META.get("REMOTE_ADDR", ""))


# --- Limits, read when used (axes takes dotted paths to these) -----------------------------------
def pair_failure_limit(request, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: the limit of one (user name, address) pair."""
    return settings.PORTAL_LOGIN_FAILURE_LIMIT


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME."""
    return timedelta(seconds=settings.PORTAL_LOGIN_COOLOFF_SECONDS)


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits instead of one.

    With AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"], axes gives two
    querysets of recent failures: the pair's and the user name's. Axes compares the larger sum with
    its single AXES_FAILURE_LIMIT; here each has its own limit.
    """

    def _exhausted(self, request, credentials=None) -> list:
        """The querysets of recent failures whose limit is reached (none, the pair's, the user's)."""
        pair, per_user = self.get_user_attempts(request, credentials)
        exhausted = []
        if _failures(pair) >= settings.PORTAL_LOGIN_FAILURE_LIMIT:
            exhausted.append(pair)
        # A sign-in without a user name (a future SSO fallback, say) is only counted by address
        # pair: all such tries together are nobody's account.
        if (
            get_client_username(request, credentials)
            and _failures(per_user) >= settings.PORTAL_LOGIN_USER_FAILURE_LIMIT
        ):
            exhausted.append(per_user)
        return exhausted

    def is_locked(self, request, credentials=None) -> bool:
        return bool(self._exhausted(request, credentials))

    def get_failures(self, request, credentials=None) -> int:
        """The pair's recent failures: what the base class compares with AXES_FAILURE_LIMIT."""
        pair, _ = self.get_user_attempts(request, credentials)
        return _failures(pair)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The base class only locked the pair out; the user name's own limit is checked here.
        if request is not None and not request.axes_locked_out and self.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On success, clear that (user name, address) pair only: the user name's count across
        addresses stays, or an attacker elsewhere would get a fresh allowance at each sign-in."""
        pair, _ = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count

    def lockout_seconds_left(self, request, credentials=None) -> int:
        """How long until the newest failure that locks this sign-in is older than the cool-off."""
        latest = [
            attempts.aggregate(latest=Max("attempt_time"))["latest"]
            for attempts in self._exhausted(request, credentials)
        ]
        if not any(latest):
            return 0
        left = max(t for t in latest if t) + get_cool_off(request) - timezone.now()
        return max(0, math.ceil(left.total_seconds()))


# --- What a locked-out sign-in sees -------------------------------------------------------------
def lockout_message(request, credentials=None) -> str:
    AxesProxyHandler.update_request(request)
    seconds = AxesProxyHandler.get_implementation().lockout_seconds_left(request, credentials)
    minutes = max(1, math.ceil(seconds / 60))
    return f"Too many failed attempts. Wait {minutes} minute{'s' if minutes != 1 else ''} and try again."


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a locked-out sign-in answers 429 with the reason, on any login page.

    The portal's login page has already answered 429 with the reason as a form error
    (partnership.auth_views); any other (`/admin/login/`) gets registration/locked_out.html.
    """
    if original_response is not None and original_response.status_code == 429:
        return original_response
    context = {"message": lockout_message(request, credentials), "retry_url": request.path}
    return render(request, "registration/locked_out.html", context, status=429)


# --- Security events --------------------------------------------------------------------------
def _shown(address: str | None) -> str:
    return address or "unknown"


def _log_failure(sender, credentials, request=None, **kwargs):
    logger.warning("login failed for %r from %s", credentials.get("username", ""), _shown(client_address(request)))


def _log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("login of %r from %s refused: too many failed attempts", username, _shown(ip_address))


def _log_login(sender, request, user, **kwargs):
    logger.info("login of %s from %s", user.get_username(), _shown(client_address(request)))


def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        logger.info("logout of %s", user.get_username())


def connect_receivers() -> None:
    """Log every sign-in, failure, lock-out and sign-out (called from the app's ready())."""
    user_login_failed.connect(_log_failure, dispatch_uid="portal-login-failed")
    user_locked_out.connect(_log_lockout, dispatch_uid="portal-locked-out")
    user_logged_in.connect(_log_login, dispatch_uid="portal-logged-in")
    user_logged_out.connect(_log_logout, dispatch_uid="portal-logged-out")
