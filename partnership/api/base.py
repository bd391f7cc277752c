"""The base of every API view: visibility through the model's `for_user()`.

A viewset names its `queryset`; `get_queryset()` always narrows it with
`Model.objects.for_user(request.user)`, so no endpoint can forget the permission rule (an
object the user may not see answers 404, never 403).
"""

from django.core.exceptions import ValidationError
from rest_framework import exceptions, viewsets

from .sparse import ACTIONS, keep_only_requested

SECRET_ATTRIBUTE = "portal_holds_secret"  # noqa: S105 (the name of a flag, not a secret)


def holding_a_secret(response):
    """Mark an answer that shows a secret once (a token's key, a webhook signing secret): the
    Idempotency-Key middleware never stores it, and a replay of its request answers 409."""
    setattr(response, SECRET_ATTRIBUTE, True)
    return response


def stably_ordered(queryset):
    """Pages need a stable order. A GROUP BY query (annotate with an aggregate) drops the model's
    Meta.ordering, so put it back explicitly, with the primary key as the tie-breaker."""
    if queryset.ordered:
        return queryset
    return queryset.order_by(*(queryset.model._meta.ordering or []), "-pk")


class ForUserQuerysetMixin:
    takes_fields = True  # ?fields=a,b on list and retrieve (partnership/api/sparse.py)

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.for_user(self.request.user)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if getattr(self, "action", None) in ACTIONS:
            keep_only_requested(serializer, self.request)  # ?fields=a,b (partnership/api/sparse.py)
        return serializer

    def paginate_queryset(self, queryset):
        # After the views' own annotations and the filters: the order a page is cut from.
        return super().paginate_queryset(stably_ordered(queryset))

    def handle_exception(self, exc):
        # A role check that runs before the object lookup must not tell someone who may not
        # see the object that it exists: 404 wins over 403.
        if isinstance(exc, exceptions.PermissionDenied) and self._names_a_hidden_object():
            exc = exceptions.NotFound()
        return super().handle_exception(exc)

    def _names_a_hidden_object(self) -> bool:
        """Whether the URL names an object (a detail route) that the user may not see."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        if lookup not in getattr(self, "kwargs", {}):
            return False
        try:
            return not self.get_queryset().filter(**{self.lookup_field: self.kwargs[lookup]}).exists()
        except (TypeError, ValueError, ValidationError):
            return True


class PortalReadOnlyViewSet(ForUserQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class PortalModelViewSet(ForUserQuerysetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
