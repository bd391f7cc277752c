"""The base of every API view: visibility through the model's `for_user()`.

A viewset names its `queryset`; `get_queryset()` always narrows it with
`Model.objects.for_user(request.user)`, so no endpoint can forget the permission rule (an
object the user may not see answers 404, never 403).
"""

from rest_framework import viewsets


class ForUserQuerysetMixin:
    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.for_user(self.request.user)


class PortalReadOnlyViewSet(ForUserQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class PortalModelViewSet(ForUserQuerysetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
