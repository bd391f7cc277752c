"""API permissions shared by every app."""

from rest_framework import permissions

from ..models import ApiToken, TokenScope


class IsAuthenticatedWithScope(permissions.IsAuthenticated):
    """Signed in, and a read-only token may only read."""

    message = "This token is read-only."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        token = request.auth
        if isinstance(token, ApiToken) and token.scope == TokenScope.READ:
            return request.method in permissions.SAFE_METHODS
        return True
