"""Serializers of the steering API."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from partnership import bounds
from partnership.models import BusinessUnit

from .. import models
from ..choices import AttendanceStatus, MemberRole, Side, Stance

User = get_user_model()


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class MembershipSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = models.Membership
        fields = ["id", "user", "user_name", "side", "role"]
        read_only_fields = fields

    def get_user_name(self, membership) -> str:
        return _name(membership.user)


class CommitteeSerializer(serializers.ModelSerializer):
    members = MembershipSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = models.Committee
        fields = ["id", "name", "scope", "purpose", "cadence", "is_active", "members", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class MemberAddSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)
    side = serializers.ChoiceField(
        choices=Side.choices, required=False, allow_blank=True,
        help_text="IT or business; by default IT staff sit on the IT side and everyone else on the business side.",
    )


class MemberRemoveSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.AgendaItem
        fields = ["id", "order", "title", "presenter", "notes"]
        read_only_fields = ["id", "order"]


class AttendanceSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="member.user_id", read_only=True)
    side = serializers.CharField(source="member.side", read_only=True)

    class Meta:
        model = models.Attendance
        fields = ["user", "side", "status"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=200, validators=bounds.SINGLE_LINE), write_only=True, required=False,
        help_text="Agenda item titles, in order (on creation).",
    )

    class Meta:
        model = models.Meeting
        fields = [
            "id", "committee", "title", "starts_at", "place", "link", "minutes",
            "agenda", "agenda_items", "attendance", "scheduled_by", "created_at", "updated_at",
        ]
        read_only_fields = ["scheduled_by", "created_at", "updated_at"]


class MeetingUpdateSerializer(MeetingSerializer):
    class Meta(MeetingSerializer.Meta):
        read_only_fields = ["committee", "scheduled_by", "created_at", "updated_at"]


class AttendanceRowSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceWriteSerializer(serializers.Serializer):
    attendance = AttendanceRowSerializer(many=True, allow_empty=False)


class ActionItemSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = models.ActionItem
        fields = ["id", "meeting", "title", "owner", "due_date", "done_at", "notes", "is_overdue", "created_at"]
        read_only_fields = ["done_at", "created_at"]


class ActionItemUpdateSerializer(ActionItemSerializer):
    class Meta(ActionItemSerializer.Meta):
        read_only_fields = ["meeting", "done_at", "created_at"]


class PositionSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="member.user_id", read_only=True)
    user_name = serializers.SerializerMethodField()
    side = serializers.CharField(source="member.side", read_only=True)
    role = serializers.CharField(source="member.role", read_only=True)

    class Meta:
        model = models.Position
        fields = ["id", "user", "user_name", "side", "role", "stance", "comment", "recorded_at"]
        read_only_fields = fields

    def get_user_name(self, position) -> str:
        return _name(position.member.user)


class DecisionSerializer(serializers.ModelSerializer):
    positions = PositionSerializer(many=True, read_only=True)
    business_positions = serializers.SerializerMethodField()
    business_support = serializers.SerializerMethodField()
    has_business_buy_in = serializers.SerializerMethodField(
        help_text="True or false by the buy-in rule; null while no business member took a position."
    )

    class Meta:
        model = models.Decision
        fields = [
            "id", "committee", "meeting", "title", "topic", "context", "options", "outcome", "status",
            "proposed_by", "decided_at", "closed_by", "review_date", "business_positions", "business_support",
            "has_business_buy_in", "positions", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "proposed_by", "decided_at", "closed_by", "outcome", "created_at", "updated_at"]

    def _counts(self, decision) -> tuple[int, int]:
        if hasattr(decision, "business_positions"):
            return decision.business_positions, decision.business_support
        business = [p for p in decision.positions.all() if p.member.side == Side.BUSINESS]
        return len(business), sum(1 for p in business if p.stance in ("support", "support_with_concerns"))

    def get_business_positions(self, decision) -> int:
        return self._counts(decision)[0]

    def get_business_support(self, decision) -> int:
        return self._counts(decision)[1]

    def get_has_business_buy_in(self, decision) -> bool | None:
        return decision.buy_in()


class DecisionUpdateSerializer(DecisionSerializer):
    class Meta(DecisionSerializer.Meta):
        read_only_fields = [*DecisionSerializer.Meta.read_only_fields, "committee"]


class PositionWriteSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Stance.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)


class DecisionCloseSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What was decided.", validators=bounds.LONG_TEXT
    )
    review_date = serializers.DateField(required=False, allow_null=True, default=None, validators=bounds.YEARS)


class EventSerializer(serializers.ModelSerializer):
    audience_units = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=BusinessUnit.objects.all(),
        help_text="Business units invited; empty for everyone.",
    )
    registered = serializers.IntegerField(read_only=True, default=0)
    attendees = serializers.IntegerField(read_only=True, default=0)
    business_attendees = serializers.IntegerField(read_only=True, default=0)
    average_rating = serializers.FloatField(read_only=True, default=None, allow_null=True)
    is_registered = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = models.Event
        fields = [
            "id", "kind", "title", "description", "starts_at", "ends_at", "location", "host", "audience_units",
            "capacity", "registered", "attendees", "business_attendees", "average_rating", "is_registered",
            "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"host": {"required": False, "help_text": "Defaults to you."}}


class EventRegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Registration
        fields = ["id", "event", "user", "registered_at", "attended_at", "rating", "comment", "rated_at"]
        read_only_fields = fields


class EventAttendSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    attended = serializers.BooleanField(default=True)


class EventRateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(validators=bounds.SCALE)
    comment = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)
