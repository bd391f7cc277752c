"""Cross-cutting HTTP behaviour: security headers, NUL characters refused, and a clear answer when
the database is down."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger("portal.security")

# No inline scripts anywhere: every script is a static file. Inline styles stay allowed for
# Bootstrap's and Chart.js's runtime styles.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Content Security Policy and a restrictive permissions policy on every response; what a
    signed-in user reads, and every API answer, is never kept by a shared or browser cache
    (`Cache-Control: private, no-store`), so the back button on a shared computer after sign-out
    or a proxy shows nobody else's pain points."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "PORTAL_CSP", DEFAULT_CSP))
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or getattr(user, "is_authenticated", False):
            response.headers["Cache-Control"] = "private, no-store"
        return response


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


NUL_MESSAGE = "Text may not contain a NUL character (\\u0000)."


class RejectNulCharactersMiddleware:
    """A NUL character in the address, the query string or a page's form data answers 400 with a
    clear message. PostgreSQL can neither store nor compare text holding one, so any view that
    passed it on to a query would fail with a server error. Form fields reject it too; this
    covers the search boxes, filters and buttons that views read directly. JSON bodies of the API
    are checked by its serializer fields (DRF's CharField refuses NUL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [name for name, values in request.GET.lists() if _has_nul(name, *values)]
        if "\x00" in request.path:
            fields.insert(0, "path")
        form_data = request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        if not fields and form_data and not request.path.startswith("/api/"):
            fields = [name for name, values in request.POST.lists() if _has_nul(name, *values)]
        if not fields:
            return self.get_response(request)
        logger.warning("request refused: NUL character in %s of %s", ", ".join(fields), request.path.replace("\x00", "\\0"))
        if request.path.startswith("/api/"):
            body = {"detail": f"{fields[0]}: {NUL_MESSAGE}", "fields": {name: [NUL_MESSAGE] for name in fields}}
            return JsonResponse(body, status=400)
        return HttpResponse(render_to_string("400.html", {"message": NUL_MESSAGE}), status=400)


def _has_nul(*texts) -> bool:
    return any("\x00" in text for text in texts)
