"""API views of the revenue app: projects with their stage actions, and revenue entries."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from partnership.api.base import PortalModelViewSet
from partnership.api.workflow import WorkflowActionsMixin

from .. import permissions, services
from ..figures import month_start
from ..models import RevenueEntry, RevenueProject, RevenueStageChange
from ..selectors import realised_subquery
from ..workflow import REVENUE_PROJECT
from .filters import RevenueEntryFilter, RevenueProjectFilter
from .serializers import (
    AbandonSerializer,
    AcceptSerializer,
    AdvanceSerializer,
    RevenueEntrySerializer,
    RevenueEntryUpdateSerializer,
    RevenueProjectSerializer,
)


def _require_manager(user):
    if not permissions.can_manage(user):
        raise PermissionDenied(permissions.MANAGE_MESSAGE)


class RevenueProjectViewSet(WorkflowActionsMixin, PortalModelViewSet):
    """Revenue projects. Business managers see their units' projects; IT staff and the CIO see all.
    The stage moves only through the actions advance and abandon (the steps of
    revenue.workflow.REVENUE_PROJECT); accept records the business acceptance."""

    workflow = REVENUE_PROJECT
    transition_serializers = {"advance": AdvanceSerializer, "abandon": AbandonSerializer}
    transition_response_serializer = RevenueProjectSerializer

    queryset = RevenueProject.objects.all()
    serializer_class = RevenueProjectSerializer
    filterset_class = RevenueProjectFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "stage", "stage_changed_on", "executed_on", "expected_yearly_revenue", "created_at"]
    ordering = ["name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("it_sponsor", "it_lead", "accepted_by")
            .prefetch_related(
                "business_units",
                "business_partners",
                Prefetch("stage_changes", queryset=RevenueStageChange.objects.order_by("changed_on", "id")),
            )
            .annotate(realised_to_date=realised_subquery(until=month_start(timezone.localdate())))
        )

    def _refetch(self, project):
        return self.get_queryset().get(pk=project.pk)

    def transition_response(self, project, result, transition):
        return Response(self.get_serializer(self._refetch(result)).data)

    def create(self, request, *args, **kwargs):
        _require_manager(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.revenue_project_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._refetch(project)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        _require_manager(request.user)
        serializer = self.get_serializer(project, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        project = services.revenue_project_update(project=project, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._refetch(project)).data)

    @extend_schema(request=AcceptSerializer, responses=RevenueProjectSerializer)
    @action(detail=True, methods=["post"], url_path="accept")
    def accept(self, request, pk=None):
        """Record the business acceptance. A business manager records their own; IT records one
        given by a business partner or a business manager of the project's units."""
        project = self.get_object()
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accepted_by = data.validated_data.get("accepted_by") or request.user
        if not permissions.may_record_acceptance(request.user, project):
            raise PermissionDenied(permissions.ACCEPT_MESSAGE)
        if not permissions.can_manage(request.user) and accepted_by.pk != request.user.pk:
            raise PermissionDenied("You can record your own acceptance only.")
        project = services.revenue_project_accept(
            project=project,
            accepted_by=accepted_by,
            statement=data.validated_data["statement"],
            on=data.validated_data.get("on"),
            actor=request.user,
        )
        return Response(self.get_serializer(self._refetch(project)).data)


class RevenueEntryViewSet(PortalModelViewSet):
    """Revenue realised per project and month. Filters: project, year, stage."""

    queryset = RevenueEntry.objects.all()
    serializer_class = RevenueEntrySerializer
    filterset_class = RevenueEntryFilter
    search_fields = ["note", "project__name"]
    ordering_fields = ["month", "amount", "created_at"]
    ordering = ["-month", "id"]

    def get_queryset(self):
        return super().get_queryset().select_related("project")

    def create(self, request, *args, **kwargs):
        _require_manager(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.revenue_entry_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevenueEntryUpdateSerializer, responses=RevenueEntrySerializer)
    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        _require_manager(request.user)
        data = RevenueEntryUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        entry = services.revenue_entry_update(
            entry=entry,
            actor=request.user,
            amount=data.validated_data.get("amount", entry.amount),
            note=data.validated_data.get("note"),
        )
        return Response(self.get_serializer(entry).data)

    def destroy(self, request, *args, **kwargs):
        entry = self.get_object()
        _require_manager(request.user)
        services.revenue_entry_delete(entry=entry, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
