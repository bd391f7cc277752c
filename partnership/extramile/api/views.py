"""API of "Take the extra mile". Every write and action calls the same service as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ...api.base import ForUserQuerysetMixin, PortalReadOnlyViewSet
from ...api.workflow import WorkflowActionsMixin
from .. import selectors, services
from ..models import CheckIn, ExtraMileAction, MaintenanceWindow, ProblemSuggestion, ResolutionSurvey
from ..permissions import require_it
from ..workflow import CHECK_IN, EXTRA_MILE_ACTION, SUGGESTION
from .filters import CheckInFilter, ExtraMileActionFilter, MaintenanceWindowFilter, SuggestionFilter, SurveyFilter
from .serializers import (
    CheckInAnswerSerializer,
    CheckInSerializer,
    CompleteSerializer,
    ExtraMileActionDetailSerializer,
    ExtraMileActionSerializer,
    ExtraMileRateSerializer,
    ExtraMileRatingSerializer,
    MaintenanceWindowSerializer,
    SuggestionAcceptSerializer,
    SuggestionDismissSerializer,
    SuggestionSerializer,
    SurveyAnswerSerializer,
    SurveySerializer,
)


class _CreateListRetrieveViewSet(
    ForUserQuerysetMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    pass


class ExtraMileActionViewSet(WorkflowActionsMixin, _CreateListRetrieveViewSet):
    """The extra-mile ledger. IT logs actions (POST); recipients confirm and rate them (`rate`).

    The business sees its unit's actions and those addressed to it.
    """

    queryset = ExtraMileAction.objects.all()
    serializer_class = ExtraMileActionSerializer
    filterset_class = ExtraMileActionFilter
    search_fields = ["title", "description", "external_ref"]
    workflow = EXTRA_MILE_ACTION  # its complete action
    transition_serializer = CompleteSerializer
    transition_response_serializer = ExtraMileActionSerializer
    ordering_fields = ["performed_on", "created_at", "effort_hours"]
    ordering = ["-performed_on", "-id"]

    def get_queryset(self):
        queryset = selectors.action_annotate(super().get_queryset(), user=self.request.user).prefetch_related("recipients")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("ratings")
        return queryset

    def get_serializer_class(self):
        return ExtraMileActionDetailSerializer if self.action == "retrieve" else ExtraMileActionSerializer

    def _fresh(self, pk, code=status.HTTP_200_OK):
        instance = self.get_queryset().get(pk=pk)
        return Response(ExtraMileActionSerializer(instance, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        require_it(request.user, "log extra-mile actions")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        subject_type = data.pop("subject_type", None)
        subject_id = data.pop("subject_id", None)
        subject = selectors.visible_subject(request.user, subject_type, subject_id)
        created = services.extra_mile_action_create(actor=request.user, subject=subject, **data)
        return self._fresh(created.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ExtraMileRateSerializer, responses={201: ExtraMileRatingSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """Confirm the action and rate it 1-5 with a comment: recipients only, once each."""
        serializer = ExtraMileRateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating = services.extra_mile_action_rate(action=self.get_object(), rated_by=request.user, **serializer.validated_data)
        return Response(ExtraMileRatingSerializer(rating).data, status=status.HTTP_201_CREATED)

    def transition_response(self, action, result, transition):
        return self._fresh(result.pk)


class MaintenanceWindowViewSet(_CreateListRetrieveViewSet):
    """Planned downtime. IT records windows; when one ends, each key user gets a check-in."""

    queryset = MaintenanceWindow.objects.all()
    serializer_class = MaintenanceWindowSerializer
    filterset_class = MaintenanceWindowFilter
    search_fields = ["system", "description"]
    ordering_fields = ["starts_at", "ends_at", "created_at"]
    ordering = ["-starts_at", "-id"]

    def get_queryset(self):
        return selectors.window_list(user=self.request.user).filter(pk__in=super().get_queryset().values("pk"))

    def create(self, request, *args, **kwargs):
        require_it(request.user, "record maintenance windows")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        window = services.maintenance_window_create(actor=request.user, **serializer.validated_data)
        instance = self.get_queryset().get(pk=window.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)


class CheckInViewSet(WorkflowActionsMixin, PortalReadOnlyViewSet):
    """Check-ins after maintenance windows; `answer` them as the key user or, for IT, on their
    behalf: the step of partnership.extramile.workflow.CHECK_IN."""

    workflow = CHECK_IN  # its answer action
    transition_serializer = CheckInAnswerSerializer
    transition_response_serializer = CheckInSerializer

    queryset = CheckIn.objects.all()
    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter
    search_fields = ["window__system", "problem"]
    ordering_fields = ["due_at", "answered_at"]
    ordering = ["due_at", "id"]

    def get_queryset(self):
        return super().get_queryset().select_related("window")

    def transition_response(self, check_in, result, transition):
        return Response(CheckInSerializer(self.get_queryset().get(pk=result.pk)).data)


class SurveyViewSet(PortalReadOnlyViewSet):
    """Post-resolution surveys: yours (IT sees all). `answer` with a rating 1-5 before the deadline."""

    queryset = ResolutionSurvey.objects.all()
    serializer_class = SurveySerializer
    filterset_class = SurveyFilter
    ordering_fields = ["resolved_at", "due_at", "answered_at"]
    ordering = ["-resolved_at", "-id"]

    def get_queryset(self):
        return selectors.survey_list(user=self.request.user).filter(pk__in=super().get_queryset().values("pk"))

    @extend_schema(request=SurveyAnswerSerializer, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        serializer = SurveyAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survey = services.survey_answer(survey=self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(SurveySerializer(self.get_queryset().get(pk=survey.pk)).data)


class SuggestionViewSet(WorkflowActionsMixin, PortalReadOnlyViewSet):
    """Repeated-problem proposals to IT (IT only): `accept` (creates a planned action) or `dismiss`,
    the steps of partnership.extramile.workflow.SUGGESTION."""

    workflow = SUGGESTION
    transition_serializers = {"accept": SuggestionAcceptSerializer, "dismiss": SuggestionDismissSerializer}
    transition_responses = {"accept": {201: ExtraMileActionSerializer}, "dismiss": SuggestionSerializer}

    queryset = ProblemSuggestion.objects.all()
    serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilter
    search_fields = ["reason"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def transition_response(self, suggestion, result, transition):
        if transition.name == "accept":
            # Accepting answers with the planned action it created.
            instance = selectors.action_annotate(ExtraMileAction.objects.filter(pk=result.pk), user=self.request.user).get()
            return Response(ExtraMileActionSerializer(instance).data, status=status.HTTP_201_CREATED)
        return Response(SuggestionSerializer(result).data)
