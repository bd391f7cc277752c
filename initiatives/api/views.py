"""API views of the initiatives app: initiatives with their workflow actions, risks and
milestones. Every action calls the same service as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from partnership.api.base import PortalModelViewSet
from partnership.api.workflow import WorkflowActionsMixin

from .. import permissions, planning, services
from ..models import Initiative, Milestone, Risk
from ..selectors import initiative_annotate, initiative_prefetch_detail, visible_pain_points
from ..workflow import INITIATIVE
from .filters import InitiativeFilter, MilestoneFilter, RiskFilter
from .serializers import (
    AcceptRiskSerializer,
    BenefitSerializer,
    BenefitWriteSerializer,
    CommentSerializer,
    CommentWriteSerializer,
    DeliverSerializer,
    InitiativeDetailSerializer,
    InitiativeSerializer,
    MilestoneDoneSerializer,
    MilestoneSerializer,
    NoteSerializer,
    ReasonSerializer,
    ReviewBenefitsSerializer,
    RiskAcceptanceSerializer,
    RiskSerializer,
)


def _valid(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


class InitiativeViewSet(WorkflowActionsMixin, PortalModelViewSet):
    """Initiatives IT proposes or says "YES" to. IT staff create, edit, propose, evaluate, start,
    deliver and cancel; the CIO approves, rejects and accepts risk; the sponsor confirms the
    business case, may accept risk and review benefits. Refusals answer 400 with the field."""

    queryset = Initiative.objects.all()
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    search_fields = ["title", "problem", "proposal"]
    ordering_fields = ["created_at", "updated_at", "target_date", "proposed_at", "decided_at", "one_off_cost", "top_risk"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    # One action per step of initiatives.workflow.INITIATIVE.
    workflow = INITIATIVE
    transition_serializer = NoteSerializer
    transition_serializers = {
        "reject": ReasonSerializer,
        "cancel": ReasonSerializer,
        "deliver": DeliverSerializer,
        "review-benefits": ReviewBenefitsSerializer,
    }
    transition_response_serializer = InitiativeDetailSerializer

    def get_queryset(self):
        queryset = initiative_annotate(super().get_queryset())
        if self.action == "retrieve":
            return initiative_prefetch_detail(queryset, user=self.request.user)
        return queryset.prefetch_related(visible_pain_points(self.request.user))

    def get_serializer_class(self):
        return InitiativeDetailSerializer if self.action == "retrieve" else InitiativeSerializer

    def _fresh(self, initiative, **kwargs):
        queryset = initiative_prefetch_detail(
            initiative_annotate(Initiative.objects.for_user(self.request.user)), user=self.request.user
        )
        return Response(
            InitiativeDetailSerializer(queryset.get(pk=initiative.pk), context=self.get_serializer_context()).data,
            **kwargs,
        )

    @extend_schema(request=InitiativeSerializer, responses={201: InitiativeDetailSerializer})
    def create(self, request, *args, **kwargs):
        _require(permissions.can_manage(request.user), "Only IT staff can create initiatives.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        initiative = services.initiative_create(actor=request.user, **serializer.validated_data)
        return self._fresh(initiative, status=status.HTTP_201_CREATED)

    @extend_schema(request=InitiativeSerializer, responses=InitiativeDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        _require(permissions.can_manage(request.user), "Only IT staff can edit initiatives.")
        initiative = self.get_object()
        serializer = self.get_serializer(initiative, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.initiative_update(initiative=initiative, actor=request.user, **serializer.validated_data)
        return self._fresh(initiative)

    # --- The workflow ---------------------------------------------------------------------

    def transition_response(self, initiative, result, transition):
        return self._fresh(initiative)

    @extend_schema(request=AcceptRiskSerializer, responses={201: RiskAcceptanceSerializer})
    @action(detail=True, methods=["post"], url_path="accept-risk")
    def accept_risk(self, request, pk=None):
        """The CIO or the sponsor accepts the risk of failure with a statement (before the decision)."""
        initiative = self.get_object()
        _require(
            permissions.can_accept_risk(request.user, initiative), "Only the CIO or the initiative's sponsor can accept its risk."
        )
        statement = _valid(AcceptRiskSerializer, request)["statement"]
        acceptance = services.initiative_accept_risk(initiative=initiative, actor=request.user, statement=statement)
        return Response(RiskAcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)

    # --- The sponsor, comments, benefits -----------------------------------------------------

    @extend_schema(request=NoteSerializer, responses=InitiativeDetailSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-business-case")
    def confirm_business_case(self, request, pk=None):
        """The sponsor confirms the business case before the decision."""
        initiative = self.get_object()
        _require(permissions.is_sponsor(request.user, initiative), "Only the initiative's sponsor can confirm its business case.")
        note = _valid(NoteSerializer, request)["note"]
        return self._fresh(services.initiative_confirm_business_case(initiative=initiative, actor=request.user, note=note))

    @extend_schema(request=CommentWriteSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        """Comment on an initiative you can see (the sponsor and the owner are told)."""
        body = _valid(CommentWriteSerializer, request)["body"]
        comment = services.comment_add(initiative=self.get_object(), author=request.user, body=body)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BenefitWriteSerializer, responses={201: BenefitSerializer})
    @action(detail=True, methods=["post"])
    def benefits(self, request, pk=None):
        """Record an expected benefit (IT staff or the sponsor, before delivery)."""
        initiative = self.get_object()
        _require(permissions.can_add_benefit(request.user, initiative), "Only IT staff or the sponsor can record expected benefits.")
        data = _valid(BenefitWriteSerializer, request)
        benefit = planning.benefit_add(initiative=initiative, actor=request.user, **data)
        return Response(BenefitSerializer(benefit).data, status=status.HTTP_201_CREATED)


class RiskViewSet(PortalModelViewSet):
    """Risks of the initiatives you can see (`?initiative=<id>`). IT staff add, change and remove them."""

    queryset = Risk.objects.select_related("owner", "initiative")
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    ordering_fields = ["score", "id"]
    ordering = ["-score", "id"]

    def create(self, request, *args, **kwargs):
        _require(permissions.can_manage(request.user), "Only IT staff can record risks.")
        data = dict(_valid(RiskSerializer, request, context=self.get_serializer_context()))
        risk = planning.risk_add(actor=request.user, **data)
        return Response(RiskSerializer(risk, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        _require(permissions.can_manage(request.user), "Only IT staff can change risks.")
        risk = self.get_object()
        serializer = self.get_serializer(risk, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k != "initiative"}
        planning.risk_update(risk=risk, actor=request.user, **changes)
        return Response(self.get_serializer(risk).data)

    def destroy(self, request, *args, **kwargs):
        _require(permissions.can_manage(request.user), "Only IT staff can remove risks.")
        planning.risk_delete(risk=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MilestoneViewSet(PortalModelViewSet):
    """Milestones of the initiatives you can see (`?initiative=<id>&done=false`). IT staff plan them."""

    queryset = Milestone.objects.select_related("initiative")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["due_on", "done_on", "id"]
    ordering = ["due_on", "id"]

    def create(self, request, *args, **kwargs):
        _require(permissions.can_manage(request.user), "Only IT staff can plan milestones.")
        data = dict(_valid(MilestoneSerializer, request, context=self.get_serializer_context()))
        milestone = planning.milestone_add(actor=request.user, **data)
        return Response(MilestoneSerializer(milestone, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        _require(permissions.can_manage(request.user), "Only IT staff can change milestones.")
        milestone = self.get_object()
        serializer = self.get_serializer(milestone, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k != "initiative"}
        planning.milestone_update(milestone=milestone, actor=request.user, **changes)
        return Response(self.get_serializer(milestone).data)

    def destroy(self, request, *args, **kwargs):
        _require(permissions.can_manage(request.user), "Only IT staff can remove milestones.")
        planning.milestone_delete(milestone=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MilestoneDoneSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark a milestone done (today by default)."""
        _require(permissions.can_manage(request.user), "Only IT staff can complete milestones.")
        data = _valid(MilestoneDoneSerializer, request)
        milestone = planning.milestone_mark_done(milestone=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(milestone).data)
