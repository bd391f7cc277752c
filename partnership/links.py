"""Absolute links to the portal's pages, for what leaves it (e-mails, webhook payloads)."""

from django.conf import settings


def absolute_url(target) -> str:
    """`PORTAL_BASE_URL` + the path of `target`: an object with `get_absolute_url()` or a path.

    Anything that is not a site path (an empty string, an address already absolute) is returned
    as it is."""
    path = target.get_absolute_url() if hasattr(target, "get_absolute_url") else target
    if not path or not path.startswith("/"):
        return path
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"
