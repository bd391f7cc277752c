"""The API's filter backend: django-filter, with a form of only the filters a request names.

django-filter copies every declared filter and builds and validates a form field for each on
every request, which was a fifth of a page of pain points (17 filters, one of them given).
A filter whose parameter is absent does nothing, so this backend builds the filter set from the
filters the query string names (by name, or name plus a suffix such as `_after`); what they
accept and refuse is unchanged, and the OpenAPI schema still lists every filter.

Filters are strict: a value a filter cannot read answers 400 naming the parameter, never a list
silently unfiltered. django-filter already refuses a bad date, number or choice; a yes/no filter
(`open=maybe`) and an unknown `ordering` field are refused here too.
"""

from functools import lru_cache

import django_filters
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters
from rest_framework.exceptions import ValidationError

# What a yes/no filter reads (Django's NullBooleanSelect); anything else used to mean "not given".
BOOLEAN_VALUES = {"true", "false", "True", "False", "2", "3", ""}


@lru_cache(maxsize=1024)
def _with_only(filterset_class, names: frozenset):
    trimmed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    trimmed.base_filters = {name: f for name, f in filterset_class.base_filters.items() if name in names}
    return trimmed


def _named(filterset_class, params) -> frozenset:
    keys = set(params)
    return frozenset(
        name for name in filterset_class.base_filters if name in keys or any(k.startswith(f"{name}_") for k in keys)
    )


class GivenFiltersBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        # Only here, where a request is filtered: the schema asks get_filterset_class for all.
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        names = _named(filterset_class, request.query_params)
        if len(names) < len(filterset_class.base_filters):
            filterset_class = _with_only(filterset_class, names)
        _refuse_unreadable_booleans(filterset_class, request.query_params)
        return filterset_class(**self.get_filterset_kwargs(request, queryset, view))


class UpdatedAfterFilter:
    """`?updated_after=<ISO 8601 date-time>`: only rows changed after that time, on every list
    whose model has an `updated_at` (a time without an offset is in PORTAL_TIME_ZONE). A value
    that is not a date-time answers 400 naming `updated_after`."""

    param = "updated_after"

    @staticmethod
    def applies_to(model) -> bool:
        return model is not None and any(f.name == "updated_at" for f in model._meta.concrete_fields)

    def filter_queryset(self, request, queryset, view):
        if self.param not in request.query_params or not self.applies_to(getattr(queryset, "model", None)):
            return queryset
        return queryset.filter(updated_at__gt=parse_updated_after(request.query_params[self.param]))

    def get_schema_operation_parameters(self, view):
        queryset = getattr(view, "queryset", None)
        if not self.applies_to(getattr(queryset, "model", None)):
            return []
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Only what changed after this ISO 8601 date-time (e.g. 2025-03-01T08:00:00Z); "
                "with `cursor`, the incremental sync of docs/integration.md.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


def parse_updated_after(text: str):
    try:
        value = parse_datetime(text.strip().replace(" ", "+"))  # a `+` sent unencoded arrives as a space
    except ValueError:  # well formed but impossible, e.g. month 13
        value = None
    if value is None:
        raise ValidationError(
            {UpdatedAfterFilter.param: [f"Not an ISO 8601 date-time: {text[:40]!r} (e.g. 2025-03-01T08:00:00Z)."]}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value

def _refuse_unreadable_booleans(filterset_class, params):
    errors = {
        name: [exceptions.ErrorDetail("Must be true or false.", code="invalid_choice")]
        for name, f in filterset_class.base_filters.items()
        if isinstance(f, django_filters.BooleanFilter) and any(v not in BOOLEAN_VALUES for v in params.getlist(name))
    }
    if errors:
        raise exceptions.ValidationError(errors)


class StrictOrderingFilter(filters.OrderingFilter):
    """`ordering` naming a field the list cannot be ordered by answers 400 listing the ones it can."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = [name for name, _ in self.get_valid_fields(queryset, view, {"request": request})]
        unknown = [term for term in fields if term.removeprefix("-") not in valid]
        if unknown:
            choices = ", ".join(valid) or "none"
            message = f"Cannot order by {', '.join(unknown)}; choose from {choices} (prefix - for descending)."
            raise exceptions.ValidationError({self.ordering_param: [exceptions.ErrorDetail(message, code="invalid_choice")]})
        return fields
