"""Cross-cutting HTTP behaviour: security headers, NUL characters refused, and a clear answer when
the database is down."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import is_valid_path
from django.views import defaults

from .api.errors import INVALID, json_error

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


class ApiAddressMiddleware:
    """Under /api/ every answer is JSON, an unknown address included.

    - An address no route matches (`/api/v1/nope/`, `/api/v1/pain-points/0.5/`, a `.json` suffix)
      answers the API's JSON 404 instead of the HTML page.
    - A write (POST, PATCH, DELETE, ...) to an address without its trailing slash answers a JSON
      404 naming the address with the slash. CommonMiddleware would redirect it (301), clients
      follow a 301 as a GET, and the write was lost behind a 200. A GET or HEAD is still
      redirected, as a browser expects.

    Listed before CommonMiddleware, so that it sees the 404 before the redirect is decided.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") and _lacks_its_slash(request):
            return json_error(
                404,
                f"No endpoint at {request.path}: API addresses end with a slash, send it to {request.path}/.",
                "trailing_slash_missing",
            )
        response = self.get_response(request)
        if response.status_code == 404 and not response.get("Content-Type", "").startswith("application/json"):
            return json_error(404, "Not found.", "not_found")
        return response


def _lacks_its_slash(request) -> bool:
    urlconf = getattr(request, "urlconf", None)
    path = request.path_info
    return (
        settings.APPEND_SLASH
        and not path.endswith("/")
        and not is_valid_path(path, urlconf)
        and is_valid_path(f"{path}/", urlconf)
    )


DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_DOWN_MESSAGE = "The portal's database cannot be reached. Please try again in a few minutes."


def database_unavailable_response(request, exception) -> HttpResponse:
    """The 503 of a database outage: JSON under /api/, the plain page elsewhere."""
    logger.error("database unavailable: %s", exception)
    if request.path.startswith("/api/"):
        return json_error(503, DATABASE_DOWN_MESSAGE, "database_unavailable")
    return HttpResponse(render_to_string("503.html", {"message": DATABASE_DOWN_MESSAGE}), status=503)


class DatabaseUnavailableMiddleware:
    """An unreachable database answers 503 with a plain explanation, never a traceback.

    This covers a view's queries; `server_error` (handler500) covers the steps around the view
    that meet the outage first or last: loading the signed-in user's session, saving it after the
    page (SESSION_SAVE_EVERY_REQUEST), the user's own row.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        return database_unavailable_response(request, exception)


def server_error(request, template_name="500.html"):
    """handler500: a database error raised by any middleware (the session's, the user's) is the
    same 503 as one raised by a view; anything else is the ordinary 500 page. Django calls it
    while handling the exception, so `sys.exc_info()` is that exception."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable_response(request, exception)
    return defaults.server_error(request, template_name=template_name)


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
            return json_error(
                400, f"{fields[0]}: {NUL_MESSAGE}", INVALID, {name: [(NUL_MESSAGE, "null_characters_not_allowed")] for name in fields}
            )
        return HttpResponse(render_to_string("400.html", {"message": NUL_MESSAGE}), status=400)


def _has_nul(*texts) -> bool:
    return any("\x00" in text for text in texts)
