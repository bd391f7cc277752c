"""API views of the listening app: pain points with their workflow actions, evaluations and
listening sessions. Every action calls the same service as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from partnership.api.base import PortalModelViewSet
from partnership.api.workflow import WorkflowActionsMixin
from partnership.roles import is_it_staff

from .. import permissions, services, sessions
from ..models import ListeningSession, PainPoint
from ..selectors import evaluation_of, listening_session_annotate, pain_point_annotate, pain_point_prefetch_detail
from ..workflow import PAIN_POINT
from .filters import ListeningSessionFilter, PainPointFilter
from .serializers import (
    EvaluationSerializer,
    EvaluationWriteSerializer,
    ListeningSessionSerializer,
    PainPointCommentSerializer,
    PainPointCommentWriteSerializer,
    PainPointDeclineSerializer,
    PainPointDetailSerializer,
    PainPointMergeSerializer,
    PainPointNoteSerializer,
    PainPointSerializer,
)

LIST_COLUMNS = (
    *(f.name for f in PainPoint._meta.concrete_fields),
    "business_unit__name",
    "submitted_by__first_name",
    "submitted_by__last_name",
    "submitted_by__username",
)


class PainPointViewSet(WorkflowActionsMixin, PortalModelViewSet):
    """Pain points raised by the business. Business managers create, vote and read; IT staff
    also edit and move them through the workflow: one action per step of
    listening.workflow.PAIN_POINT (acknowledge, start-analysis, plan, resolve, close, decline, merge)."""

    workflow = PAIN_POINT
    transition_serializer = PainPointNoteSerializer
    transition_serializers = {"decline": PainPointDeclineSerializer, "merge": PainPointMergeSerializer}
    transition_response_serializer = PainPointSerializer

    queryset = PainPoint.objects.all()
    serializer_class = PainPointSerializer
    filterset_class = PainPointFilter
    search_fields = ["title", "description", "external_ref"]
    ordering_fields = ["created_at", "updated_at", "severity", "vote_count", "ack_due_on", "status_changed_at"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = pain_point_annotate(super().get_queryset(), user=self.request.user)
        if self.action == "list":
            # Of the joined unit and submitter, only what a row shows (a third of a page's time
            # went into building full user rows); tests.bench.test_query_counts guards against
            # a deferred column read per row.
            queryset = queryset.only(*LIST_COLUMNS)
        if self.action == "retrieve":
            queryset = pain_point_prefetch_detail(queryset, user=self.request.user)
        return queryset

    def get_serializer_class(self):
        return PainPointDetailSerializer if self.action == "retrieve" else PainPointSerializer

    def _fresh(self, pain_point):
        return Response(PainPointSerializer(self.get_queryset().get(pk=pain_point.pk), context=self.get_serializer_context()).data)

    def transition_response(self, pain_point, result, transition):
        return self._fresh(pain_point)

    @extend_schema(request=PainPointSerializer, responses={201: PainPointSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = permissions.claim_references(request.user, dict(serializer.validated_data))
        pain_point = services.pain_point_create(submitted_by=request.user, **data)
        response = self._fresh(pain_point)
        response.status_code = status.HTTP_201_CREATED
        return response

    def partial_update(self, request, *args, **kwargs):
        pain_point = self.get_object()
        if not permissions.can_edit(request.user, pain_point):
            raise PermissionDenied("Only IT staff (or the integration client of its source) can edit a pain point.")
        serializer = self.get_serializer(pain_point, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.pain_point_update(pain_point=pain_point, actor=request.user, **serializer.validated_data)
        return self._fresh(pain_point)

    @extend_schema(request=PainPointCommentWriteSerializer, responses={201: PainPointCommentSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """Comment on a pain point you see (an integration client: on its own source's only)."""
        pain_point = self.get_object()
        data = _valid(PainPointCommentWriteSerializer, request)
        comment = services.comment_add(pain_point=pain_point, author=request.user, body=data["body"])
        return Response(PainPointCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PainPointSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Say "me too". Refused (400 on `vote`) twice, on your own, or on a pain point that is not open."""
        pain_point = self.get_object()
        services.pain_point_vote(pain_point=pain_point, user=request.user)
        return self._fresh(pain_point)

    @extend_schema(request=None, responses=PainPointSerializer)
    @action(detail=True, methods=["post"])
    def unvote(self, request, pk=None):
        pain_point = self.get_object()
        services.pain_point_unvote(pain_point=pain_point, user=request.user)
        return self._fresh(pain_point)

    @extend_schema(methods=["GET"], request=None, responses=EvaluationSerializer)
    @extend_schema(methods=["PUT", "POST"], request=EvaluationWriteSerializer, responses=EvaluationSerializer)
    @action(
        detail=True,
        methods=["get", "put", "post"],
        url_path="evaluation",
        http_method_names=["get", "put", "post", "head", "options"],
    )
    def evaluation(self, request, pk=None):
        """IT's evaluation: options with pros, cons, rough cost and risk, the recommended one and
        the plan. PUT or POST replaces it (IT staff only)."""
        pain_point = self.get_object()
        if request.method in ("PUT", "POST"):
            if not is_it_staff(request.user):
                raise PermissionDenied("Only IT staff can evaluate a pain point.")
            data = _valid(EvaluationWriteSerializer, request)
            services.evaluation_save(pain_point=pain_point, actor=request.user, **data)
        evaluation = evaluation_of(pain_point.__class__.objects.select_related("evaluation").get(pk=pain_point.pk))
        if evaluation is None:
            raise NotFound("This pain point has no evaluation yet.")
        return Response(EvaluationSerializer(evaluation).data)


def _valid(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ListeningSessionViewSet(PortalModelViewSet):
    """Where IT listened to the business. IT staff record them; the business sees its own."""

    queryset = ListeningSession.objects.all()
    serializer_class = ListeningSessionSerializer
    filterset_class = ListeningSessionFilter
    search_fields = ["title", "notes"]
    ordering_fields = ["held_on", "created_at"]
    ordering = ["-held_on", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return listening_session_annotate(super().get_queryset(), user=self.request.user)

    def _require_it(self):
        if not is_it_staff(self.request.user):
            raise PermissionDenied("Only IT staff can record listening sessions.")

    def _fresh(self, session, **kwargs):
        return Response(
            ListeningSessionSerializer(self.get_queryset().get(pk=session.pk), context=self.get_serializer_context()).data,
            **kwargs,
        )

    def create(self, request, *args, **kwargs):
        self._require_it()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = sessions.listening_session_create(actor=request.user, **serializer.validated_data)
        return self._fresh(session, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        self._require_it()
        session = self.get_object()
        serializer = self.get_serializer(session, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        sessions.listening_session_update(session=session, actor=request.user, **serializer.validated_data)
        return self._fresh(session)
