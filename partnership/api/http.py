"""Compression and ETags of API answers (docs/integration.md, "Compression and ETags").

- `ApiGZipMiddleware`: Django's GZipMiddleware for JSON answers under /api/ only, when the client
  sends `Accept-Encoding: gzip`. BREACH guessing a secret from compressed sizes needs a secret in
  the same compressed body as text the attacker controls: HTML pages (they carry the CSRF token)
  are never compressed by the portal, and neither is an answer that shows a secret once (a token's
  key, a webhook signing secret: `holding_a_secret`). API JSON carries no CSRF token.
- `ApiETagMiddleware`: every successful GET of /api/v1/ carries a strong ETag of its body, and a
  request with a matching `If-None-Match` answers 304 without a body (`W/` ETags from the gzip
  layer match too). It sits inside SecurityHeadersMiddleware, whose `no-store` keeps proxies and
  browsers from caching; a sync client keeps the ETag itself.
"""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

from .base import SECRET_ATTRIBUTE

JSON_TYPES = ("application/json", "application/vnd.oai.openapi+json")


def _is_api_json(request, response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return request.path.startswith("/api/") and content_type in JSON_TYPES


class ApiGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not _is_api_json(request, response) or getattr(response, SECRET_ATTRIBUTE, False):
            return response
        return super().process_response(request, response)


class ApiETagMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.streaming
            or not request.path.startswith("/api/v1/")
            or not _is_api_json(request, response)
        ):
            return response
        patch_vary_headers(response, ("Authorization",))  # one URL answers each caller differently
        if not response.has_header("ETag"):
            set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)
