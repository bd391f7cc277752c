"""Serializers of the extra-mile API. Writes go through the services; these only shape data."""

from rest_framework import serializers

from ...api.fields import ReferenceField
from ...models import BusinessUnit, User
from ..choices import PROPOSAL_KIND_CHOICES, SUBJECT_MODELS
from ..models import CheckIn, ExtraMileAction, ExtraMileRating, MaintenanceWindow, ProblemSuggestion, ResolutionSurvey


class SubjectTypeField(serializers.ChoiceField):
    """The subject's model as "app_label.model" (e.g. "listening.painpoint")."""

    def __init__(self, **kwargs):
        super().__init__(choices=list(SUBJECT_MODELS), **kwargs)

    def get_attribute(self, instance):
        return instance.subject_type

    def to_representation(self, value):
        return f"{value.app_label}.{value.model}" if value is not None else None


class ExtraMileRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtraMileRating
        fields = ["id", "rated_by", "rating", "comment", "created_at"]
        read_only_fields = fields


class ExtraMileActionSerializer(serializers.ModelSerializer):
    performed_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text="Defaults to you."
    )
    business_unit = serializers.PrimaryKeyRelatedField(queryset=BusinessUnit.objects.all())
    recipients = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    subject_type = SubjectTypeField(required=False, allow_null=True)
    rating_count = serializers.IntegerField(read_only=True)
    average_rating = serializers.FloatField(read_only=True, allow_null=True)
    is_confirmed = serializers.SerializerMethodField()
    subject_title = ReferenceField(
        "subject", help_text='The subject\'s title, or "An item you cannot see" when you may not see it; null without a subject.',
    )
    subject_url = ReferenceField("subject", "url", help_text="The subject's page, only when you may see it.")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ExtraMileAction
        fields = [
            "id", "kind", "title", "description", "status", "performed_by", "performed_on", "effort_hours",
            "business_unit", "recipients", "subject_type", "subject_id", "subject_title", "subject_url", "external_ref", "evidence_url",
            "rating_count", "average_rating", "is_confirmed", "url", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    def get_is_confirmed(self, action) -> bool:
        return bool(getattr(action, "rating_count", 0))


class ExtraMileActionDetailSerializer(ExtraMileActionSerializer):
    ratings = ExtraMileRatingSerializer(many=True, read_only=True)

    class Meta(ExtraMileActionSerializer.Meta):
        fields = [*ExtraMileActionSerializer.Meta.fields, "ratings"]


class ExtraMileRateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="From 1 to 5.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteSerializer(serializers.Serializer):
    performed_on = serializers.DateField(required=False)
    effort_hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False)
    evidence_url = serializers.URLField(required=False, allow_blank=True)


class MaintenanceWindowSerializer(serializers.ModelSerializer):
    business_units = serializers.PrimaryKeyRelatedField(queryset=BusinessUnit.objects.all(), many=True, required=False)
    key_users = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)
    check_in_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)
    problem_count = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = MaintenanceWindow
        fields = [
            "id", "system", "description", "starts_at", "ends_at", "business_units", "key_users", "recorded_by",
            "check_ins_created_at", "check_in_count", "pending_count", "overdue_count", "problem_count", "url", "created_at",
        ]
        read_only_fields = ["recorded_by", "check_ins_created_at", "created_at"]


class CheckInSerializer(serializers.ModelSerializer):
    system = serializers.CharField(source="window.system", read_only=True)
    pain_point = serializers.IntegerField(source="pain_point_id", read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = CheckIn
        fields = [
            "id", "window", "system", "key_user", "due_at", "status", "systems_ok", "problem", "answered_at",
            "answered_by", "pain_point", "is_overdue", "url",
        ]
        read_only_fields = fields


class CheckInAnswerSerializer(serializers.Serializer):
    systems_ok = serializers.BooleanField(help_text="Do the systems run correctly?")
    problem = serializers.CharField(required=False, allow_blank=True, default="", help_text="What is wrong; needed for false.")


class SurveySerializer(serializers.ModelSerializer):
    pain_point = serializers.IntegerField(source="pain_point_id", read_only=True)
    pain_point_title = serializers.CharField(read_only=True, allow_null=True)
    is_closed = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ResolutionSurvey
        fields = [
            "id", "pain_point", "pain_point_title", "business_unit", "respondent", "role", "resolved_at", "due_at",
            "rating", "comment", "answered_at", "is_closed", "url",
        ]
        read_only_fields = fields


class SurveyAnswerSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="From 1 to 5.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionSerializer(serializers.ModelSerializer):
    pain_point_id = serializers.IntegerField(read_only=True, allow_null=True)
    evidence = serializers.ListField(child=serializers.IntegerField(), read_only=True, help_text="Pain point ids.")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ProblemSuggestion
        fields = [
            "id", "trigger", "business_unit", "category", "pain_point_id", "evidence", "proposed_kind", "reason",
            "status", "decided_by", "decided_at", "dismiss_reason", "action", "url", "created_at",
        ]
        read_only_fields = fields


class SuggestionAcceptSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PROPOSAL_KIND_CHOICES, required=False)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    planned_on = serializers.DateField(required=False)


class SuggestionDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
