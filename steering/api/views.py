"""API views of the steering app. Writes go through the same services as the pages."""

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from partnership.api.base import PortalModelViewSet
from partnership.api.workflow import WorkflowActionsMixin

from .. import selectors, services
from ..models import (
    ActionItem,
    Attendance,
    Committee,
    Decision,
    Event,
    Meeting,
    Registration,
)
from ..permissions import (
    MANAGE_MESSAGE,
    can_create_committee,
    can_create_event,
    can_manage_committee,
    can_manage_event,
)
from ..workflow import ACTION_ITEM, DECISION
from .filters import ActionItemFilter, CommitteeFilter, DecisionFilter, EventFilter, MeetingFilter
from .serializers import (
    ActionItemSerializer,
    ActionItemUpdateSerializer,
    AgendaItemSerializer,
    AttendanceWriteSerializer,
    CommitteeSerializer,
    DecisionCloseSerializer,
    DecisionSerializer,
    DecisionUpdateSerializer,
    EventAttendSerializer,
    EventRateSerializer,
    EventRegistrationSerializer,
    EventSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    MemberAddSerializer,
    MemberRemoveSerializer,
    MembershipSerializer,
    PositionWriteSerializer,
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)




class VisibleRelationsMixin:
    """Related objects a client may point to are those it can see: another's answers 400, not a leak."""

    visible_relations: dict = {}

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        for name, model in self.visible_relations.items():
            if name in fields and not fields[name].read_only:
                fields[name].queryset = model.objects.for_user(self.request.user)
        return serializer


class CommitteeViewSet(PortalModelViewSet):
    """Steering committees and their members. Members, IT staff and the CIO see a committee."""

    queryset = Committee.objects.prefetch_related(selectors.members_prefetch())
    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilter
    search_fields = ["name", "purpose"]
    ordering_fields = ["name", "created_at"]

    def perform_create(self, serializer):
        _require(can_create_committee(self.request.user), "Only IT staff create steering committees.")
        data = serializer.validated_data
        committee = services.committee_create(
            name=data["name"], scope=data.get("scope", "other"), cadence=data.get("cadence", "monthly"),
            purpose=data.get("purpose", ""), actor=self.request.user,
        )
        if data.get("is_active") is False:
            services.committee_update(committee=committee, is_active=False, actor=self.request.user)
        serializer.instance = committee

    def perform_update(self, serializer):
        committee = serializer.instance
        _require(can_manage_committee(self.request.user, committee), MANAGE_MESSAGE)
        serializer.instance = services.committee_update(
            committee=committee, **serializer.validated_data, actor=self.request.user
        )

    def perform_destroy(self, instance):
        _require(can_create_committee(self.request.user), "Only IT staff delete steering committees.")
        if instance.meetings.exists() or instance.decisions.exists():
            raise ValidationError({"committee": "A committee with meetings or decisions stays on record; deactivate it."})
        instance.delete()

    @extend_schema(request=MemberAddSerializer, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"], url_path="add-member")
    def add_member(self, request, pk=None):
        committee = self.get_object()
        _require(can_manage_committee(request.user, committee), MANAGE_MESSAGE)
        serializer = MemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_add(committee=committee, **serializer.validated_data, actor=request.user)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberRemoveSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request, pk=None):
        committee = self.get_object()
        _require(can_manage_committee(request.user, committee), MANAGE_MESSAGE)
        serializer = MemberRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = committee.memberships.filter(user=serializer.validated_data["user"]).first()
        if membership is None:
            raise ValidationError({"user": "This person is not a member of the committee."})
        services.membership_remove(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingViewSet(VisibleRelationsMixin, PortalModelViewSet):
    """Committee meetings with their agenda and attendance. Members are notified of a new meeting."""

    queryset = Meeting.objects.select_related("committee").prefetch_related(
        "agenda_items", Prefetch("attendance", queryset=Attendance.objects.select_related("member"))
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    search_fields = ["title", "minutes", "committee__name"]
    ordering_fields = ["starts_at", "created_at"]
    visible_relations = {"committee": Committee}

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return MeetingUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        committee = data.pop("committee")
        _require(can_manage_committee(self.request.user, committee), MANAGE_MESSAGE)
        serializer.instance = services.meeting_schedule(committee=committee, **data, actor=self.request.user)

    def perform_update(self, serializer):
        meeting = serializer.instance
        _require(can_manage_committee(self.request.user, meeting.committee), MANAGE_MESSAGE)
        data = dict(serializer.validated_data)
        data.pop("agenda", None)
        serializer.instance = services.meeting_update(meeting=meeting, **data, actor=self.request.user)

    def perform_destroy(self, instance):
        _require(can_manage_committee(self.request.user, instance.committee), MANAGE_MESSAGE)
        instance.delete()

    def _fresh(self, meeting):
        return self.get_queryset().get(pk=meeting.pk)

    @extend_schema(request=AttendanceWriteSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record present / excused / absent for committee members."""
        meeting = self.get_object()
        _require(can_manage_committee(request.user, meeting.committee), MANAGE_MESSAGE)
        serializer = AttendanceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        statuses = {row["user"]: row["status"] for row in serializer.validated_data["attendance"]}
        services.attendance_record(meeting=meeting, statuses=statuses, actor=request.user)
        return Response(MeetingSerializer(self._fresh(meeting)).data)

    @extend_schema(request=AgendaItemSerializer, responses={201: AgendaItemSerializer})
    @action(detail=True, methods=["post"], url_path="agenda-items")
    def agenda_items(self, request, pk=None):
        meeting = self.get_object()
        _require(can_manage_committee(request.user, meeting.committee), MANAGE_MESSAGE)
        serializer = AgendaItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.agenda_item_add(meeting=meeting, **serializer.validated_data, actor=request.user)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ActionItemViewSet(WorkflowActionsMixin, VisibleRelationsMixin, PortalModelViewSet):
    """Action items from meetings; the owner is notified. The actions done and reopen are the
    steps of steering.workflow.ACTION_ITEM."""

    workflow = ACTION_ITEM
    transition_response_serializer = ActionItemSerializer

    queryset = ActionItem.objects.select_related("meeting__committee", "owner")
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    search_fields = ["title", "notes"]
    ordering_fields = ["due_date", "created_at"]
    visible_relations = {"meeting": Meeting}

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ActionItemUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        meeting = data.pop("meeting")
        _require(can_manage_committee(self.request.user, meeting.committee), MANAGE_MESSAGE)
        serializer.instance = services.action_item_create(meeting=meeting, **data, actor=self.request.user)

    def perform_update(self, serializer):
        item = serializer.instance
        _require(can_manage_committee(self.request.user, item.meeting.committee), MANAGE_MESSAGE)
        serializer.instance = services.action_item_update(item=item, **serializer.validated_data, actor=self.request.user)

    def perform_destroy(self, instance):
        _require(can_manage_committee(self.request.user, instance.meeting.committee), MANAGE_MESSAGE)
        instance.delete()

    def transition_response(self, item, result, transition):
        return Response(ActionItemSerializer(result).data)


class DecisionViewSet(WorkflowActionsMixin, VisibleRelationsMixin, PortalModelViewSet):
    """Decisions with every position and the business buy-in. Closed decisions are visible to all staff."""

    workflow = DECISION  # its close action
    transition_serializers = {"close": DecisionCloseSerializer}
    transition_response_serializer = DecisionSerializer

    queryset = Decision.objects.select_related("committee")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    search_fields = ["title", "context", "outcome"]
    ordering_fields = ["created_at", "decided_at", "review_date"]
    visible_relations = {"committee": Committee, "meeting": Meeting}

    def get_queryset(self):
        return super().get_queryset().with_buy_in().prefetch_related(selectors.positions_prefetch())

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return DecisionUpdateSerializer
        return super().get_serializer_class()

    def _require_manage(self, committee):
        _require(can_manage_committee(self.request.user, committee), MANAGE_MESSAGE)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        committee = data.pop("committee")
        self._require_manage(committee)
        serializer.instance = services.decision_propose(committee=committee, **data, actor=self.request.user)

    def perform_update(self, serializer):
        decision = serializer.instance
        self._require_manage(decision.committee)
        serializer.instance = services.decision_update(
            decision=Decision.objects.get(pk=decision.pk), **serializer.validated_data, actor=self.request.user
        )

    def perform_destroy(self, instance):
        self._require_manage(instance.committee)
        if not instance.is_open:
            raise ValidationError({"status": "A closed decision stays on record."})
        instance.delete()

    def _fresh(self, decision):
        return self.get_queryset().get(pk=decision.pk)

    @extend_schema(request=PositionWriteSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def position(self, request, pk=None):
        """Record or change your position while the decision is open (voting members only)."""
        decision = self.get_object()
        serializer = PositionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.position_record(decision=decision, **serializer.validated_data, actor=request.user)
        return Response(DecisionSerializer(self._fresh(decision)).data)

    def transition_response(self, decision, result, transition):
        return Response(DecisionSerializer(self._fresh(decision)).data)


class EventViewSet(PortalModelViewSet):
    """IT open days, workshops, informal meetings and trainings, visible to all staff."""

    queryset = Event.objects.select_related("host").prefetch_related("audience_units")
    serializer_class = EventSerializer
    filterset_class = EventFilter
    search_fields = ["title", "description", "location"]
    ordering_fields = ["starts_at", "created_at"]

    def get_queryset(self):
        user = self.request.user
        return (
            super()
            .get_queryset()
            .annotate(
                registered=Count("registrations", distinct=True),
                attendees=Count("registrations", filter=Q(registrations__attended_at__isnull=False), distinct=True),
                business_attendees=Count(
                    "registrations",
                    filter=Q(
                        registrations__attended_at__isnull=False, registrations__user__business_unit__isnull=False
                    ),
                    distinct=True,
                ),
                average_rating=Avg("registrations__rating"),
                is_registered=Exists(Registration.objects.filter(event=OuterRef("pk"), user_id=user.pk)),
            )
        )

    def perform_create(self, serializer):
        _require(can_create_event(self.request.user), "Only IT staff create events.")
        data = dict(serializer.validated_data)
        data.setdefault("host", self.request.user)
        serializer.instance = services.event_create(**data, actor=self.request.user)

    def perform_update(self, serializer):
        event = serializer.instance
        _require(can_manage_event(self.request.user, event), "Only the host and IT staff can change an event.")
        event = services.event_update(
            event=Event.objects.get(pk=event.pk), **serializer.validated_data, actor=self.request.user
        )
        # Answered with its counts (registered, attendees, ...), as a GET would: a PATCH is partial,
        # and DRF leaves a partial answer's missing annotations out instead of defaulting them.
        serializer.instance = self.get_queryset().get(pk=event.pk)

    def perform_destroy(self, instance):
        _require(can_manage_event(self.request.user, instance), "Only the host and IT staff can delete an event.")
        if instance.has_started:
            raise ValidationError({"event": "A past event stays on record."})
        instance.delete()

    @extend_schema(request=None, responses={201: EventRegistrationSerializer})
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        registration = services.event_register(event=self.get_object(), actor=request.user)
        return Response(EventRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def unregister(self, request, pk=None):
        services.event_unregister(event=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=EventAttendSerializer, responses=EventRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def attend(self, request, pk=None):
        """The host records that someone came (or, with attended=false, did not)."""
        event = self.get_object()
        _require(can_manage_event(request.user, event), "Only the host and IT staff record attendance.")
        serializer = EventAttendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.event_record_attendance(event=event, **serializer.validated_data, actor=request.user)
        return Response(EventRegistrationSerializer(registration).data)

    @extend_schema(request=EventRateSerializer, responses=EventRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """An attendee rates the event from 1 to 5, with a comment."""
        serializer = EventRateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.event_rate(event=self.get_object(), **serializer.validated_data, actor=request.user)
        return Response(EventRegistrationSerializer(registration).data)

