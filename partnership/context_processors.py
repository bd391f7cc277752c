"""Template context shared by every page: the navigation for the user's role."""

from django.conf import settings

from .notifications.models import Notification
from .roles import is_business_manager, is_cio, is_it_staff, primary_role


def portal(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "portal_unread_count": _unread_count(user) if authenticated else 0,
        "portal_role": primary_role(user) if user is not None else "",
        "portal_is_it": is_it_staff(user) if user is not None else False,
        "portal_is_cio": is_cio(user) if user is not None else False,
        "portal_is_business": is_business_manager(user) if user is not None else False,
        "portal_currency": settings.PORTAL_CURRENCY,
        "portal_manual_url": settings.PORTAL_MANUAL_URL,
    }


def _unread_count(user) -> int:
    # One indexed COUNT per page, for the bell in the navigation bar.
    return Notification.objects.for_user(user).unread().count()
