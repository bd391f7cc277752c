"""The OpenAPI schema (`/api/schema/`) and its Swagger UI (`/api/docs/`), public unless
PORTAL_API_DOCS_REQUIRE_LOGIN asks for a signed-in caller (a session or an API token).

The setting is read on every request, not when the URLs are loaded. Without credentials the
schema answers the API's JSON 401 (whatever format was asked for) and the docs page sends the
browser to the login page.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, permissions
from rest_framework.renderers import JSONRenderer


class DocsReaders(permissions.BasePermission):
    """Everyone, or signed-in callers only when PORTAL_API_DOCS_REQUIRE_LOGIN is true."""

    message = "Sign in or send an API token to read the API schema."

    def has_permission(self, request, view):
        if not settings.PORTAL_API_DOCS_REQUIRE_LOGIN:
            return True
        return bool(request.user and request.user.is_authenticated)


class PortalSchemaView(SpectacularAPIView):
    permission_classes = [DocsReaders]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # An error is the API's JSON body, not a YAML document posing as a schema.
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


class PortalDocsView(SpectacularSwaggerSplitView):
    permission_classes = [DocsReaders]

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
