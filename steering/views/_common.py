"""Helpers shared by the steering pages."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 25


def require(allowed: bool) -> None:
    """A 403 page for an action the user's role may not take on an object they can see."""
    if not allowed:
        raise PermissionDenied


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
