"""Serializers of the initiatives app."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from listening.models import PainPoint
from partnership import bounds
from partnership.api.fields import read_only_choice_or_blank
from partnership.models import BusinessUnit

from ..choices import InitiativeStatus
from ..models import Benefit, DecisionRecord, Initiative, InitiativeComment, Milestone, Risk, RiskAcceptance


def _name(user) -> str:
    return str(user) if user is not None else ""


class InitiativeSerializer(serializers.ModelSerializer):
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    sponsor_name = serializers.SerializerMethodField()
    it_owner_name = serializers.SerializerMethodField()
    business_units = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=BusinessUnit.objects.all(), help_text="Default: the units of the pain points and the sponsor."
    )
    pain_points = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=PainPoint.objects.none())
    sponsor = serializers.PrimaryKeyRelatedField(required=False, allow_null=True, queryset=get_user_model().objects.all())
    it_owner = serializers.PrimaryKeyRelatedField(required=False, allow_null=True, queryset=get_user_model().objects.all())
    top_risk = serializers.IntegerField(read_only=True, allow_null=True)
    overdue_milestones = serializers.IntegerField(read_only=True)
    # Plain decimals: the service refuses negative values with one message for pages and API, and
    # its full_clean() the rest of the model's bounds (partnership/bounds.py), the same way.
    one_off_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    yearly_running_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    fte = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "web_url",
            "title",
            "problem",
            "proposal",
            "alternative_considered",
            "origin",
            "pain_points",
            "sponsor",
            "sponsor_name",
            "it_owner",
            "it_owner_name",
            "business_units",
            "one_off_cost",
            "yearly_running_cost",
            "fte",
            "start_date",
            "target_date",
            "delivered_on",
            "status",
            "status_changed_at",
            "proposed_at",
            "decided_at",
            "closing_reason",
            "business_case_confirmed_at",
            "benefits_review_summary",
            "top_risk",
            "overdue_milestones",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "delivered_on",
            "status",
            "status_changed_at",
            "proposed_at",
            "decided_at",
            "closing_reason",
            "business_case_confirmed_at",
            "benefits_review_summary",
            "created_at",
            "updated_at",
        ]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "pain_points" in self.fields:
            self.fields["pain_points"].child_relation.queryset = PainPoint.objects.for_user(request.user)

    def get_sponsor_name(self, initiative) -> str:
        return _name(initiative.sponsor)

    def get_it_owner_name(self, initiative) -> str:
        return _name(initiative.it_owner)


class RiskSerializer(serializers.ModelSerializer):
    initiative = serializers.PrimaryKeyRelatedField(queryset=Initiative.objects.none())
    owner_name = serializers.SerializerMethodField()
    # Plain integers: the service refuses values outside 1-5 with one message for pages and API.
    probability = serializers.IntegerField(help_text="1 (rare) to 5 (almost certain).")
    impact = serializers.IntegerField(help_text="1 (minor) to 5 (severe).")

    class Meta:
        model = Risk
        fields = ["id", "initiative", "description", "probability", "impact", "score", "mitigation", "owner", "owner_name"]
        read_only_fields = ["score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["initiative"].queryset = Initiative.objects.for_user(request.user)

    def get_owner_name(self, risk) -> str:
        return _name(risk.owner)


class RiskAcceptanceSerializer(serializers.ModelSerializer):
    accepted_by_name = serializers.SerializerMethodField()

    class Meta:
        model = RiskAcceptance
        fields = ["id", "accepted_by", "accepted_by_name", "accepted_as", "accepted_at", "statement", "highest_score"]
        read_only_fields = fields

    def get_accepted_by_name(self, acceptance) -> str:
        return _name(acceptance.accepted_by)


class MilestoneSerializer(serializers.ModelSerializer):
    initiative = serializers.PrimaryKeyRelatedField(queryset=Initiative.objects.none())
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "initiative", "title", "due_on", "done_on", "is_overdue"]
        read_only_fields = ["done_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["initiative"].queryset = Initiative.objects.for_user(request.user)


class BenefitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Benefit
        fields = ["id", "description", "expected_amount", "realised", "realised_amount", "reviewed_at"]
        read_only_fields = fields


class DecisionRecordSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    # Blank when the entry is not a status change (the first record has no previous status, a
    # risk acceptance or a business-case confirmation none at all): the schema says so, so the
    # answers conform (a read-only model field would drop `allow_blank` from the schema).
    from_status = read_only_choice_or_blank(InitiativeStatus.choices, "Blank for the first record.")
    to_status = read_only_choice_or_blank(InitiativeStatus.choices, "Blank when the status did not change.")

    class Meta:
        model = DecisionRecord
        fields = ["at", "actor", "actor_name", "kind", "from_status", "to_status", "note"]
        read_only_fields = fields

    def get_actor_name(self, record) -> str:
        return _name(record.actor)


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = InitiativeComment
        fields = ["id", "author", "author_name", "body", "created_at"]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return _name(comment.author)


class InitiativeDetailSerializer(InitiativeSerializer):
    risks = RiskSerializer(many=True, read_only=True)
    risk_acceptances = RiskAcceptanceSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)
    decision_record = DecisionRecordSerializer(source="decisions", many=True, read_only=True)
    comments = CommentSerializer(many=True, read_only=True)

    class Meta(InitiativeSerializer.Meta):
        fields = [
            *InitiativeSerializer.Meta.fields,
            "risks",
            "risk_acceptances",
            "milestones",
            "benefits",
            "decision_record",
            "comments",
        ]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required; the sponsor and the owner read it.",
        validators=bounds.LONG_TEXT,
    )


class AcceptRiskSerializer(serializers.Serializer):
    statement = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Which risk you accept, and why.",
        validators=bounds.LONG_TEXT,
    )


class DeliverSerializer(serializers.Serializer):
    delivered_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Default: today.", validators=bounds.YEARS
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)


class RealisedBenefitSerializer(serializers.Serializer):
    benefit = serializers.IntegerField(help_text="The id of an expected benefit of this initiative.")
    realised = serializers.CharField(allow_blank=True, validators=bounds.LONG_TEXT)
    # No range here: the service refuses a negative amount, the model the rest, as on the page.
    realised_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)


class ReviewBenefitsSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)
    realised = RealisedBenefitSerializer(many=True, required=False, default=list, help_text="One row per expected benefit.")


class BenefitWriteSerializer(serializers.Serializer):
    description = serializers.CharField(validators=bounds.LONG_TEXT)
    expected_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, validators=bounds.LONG_TEXT)


class MilestoneDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Default: today.", validators=bounds.YEARS
    )
