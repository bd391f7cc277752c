"""Cross-cutting HTTP behaviour: security headers and a clear answer when the database is down."""

import datetime
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger("portal.security")

# No inline scripts anywhere: every script is a static file. Inline styles stay allowed for
# Bootstrap's and Chart.js's runtime styles.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Content Security Policy and a restrictive permissions policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "PORTAL_CSP", DEFAULT_CSP))
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ApiInUtcMiddleware:
    """The API speaks UTC: every date-time it returns ends in +00:00 (RFC 3339 for any date,
    even those before time zones had whole-minute offsets), and a date-time sent without an
    offset is read as UTC. Pages keep the portal's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        with timezone.override(datetime.UTC):
            return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """An unreachable database answers 503 with a plain explanation, never a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("database unavailable: %s", exception)
        message = "The portal's database cannot be reached. Please try again in a few minutes."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=503)
        return HttpResponse(render_to_string("503.html", {"message": message}), status=503)
