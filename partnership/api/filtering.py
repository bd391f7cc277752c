"""The API's filter backend: django-filter, with a form of only the filters a request names.

django-filter copies every declared filter and builds and validates a form field for each on
every request, which was a fifth of a page of pain points (17 filters, one of them given).
A filter whose parameter is absent does nothing, so this backend builds the filter set from the
filters the query string names (by name, or name plus a suffix such as `_after`); what they
accept and refuse is unchanged, and the OpenAPI schema still lists every filter.
"""

from functools import lru_cache

from django_filters.rest_framework import DjangoFilterBackend


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
        return filterset_class(**self.get_filterset_kwargs(request, queryset, view))
