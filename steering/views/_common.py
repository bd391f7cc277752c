"""Helpers shared by the steering pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from partnership.api.base import stably_ordered

PAGE_SIZE = 25


def require(allowed: bool) -> None:
    """A 403 page for an action the user's role may not take on an object they can see."""
    if not allowed:
        raise PermissionDenied




def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def paginate(request, queryset):
    return Paginator(stably_ordered(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
