"""Serializers of the listening app."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from partnership import bounds
from partnership.api.fields import read_only_choice_or_blank
from partnership.api.representation import DetailUrlField, FastRepresentation

from ..choices import PainPointStatus, Risk
from ..models import (
    Comment,
    Evaluation,
    EvaluationOption,
    ListeningSession,
    PainPoint,
    PainPointStatusChange,
)


class PainPointSerializer(FastRepresentation, serializers.ModelSerializer):
    web_url = DetailUrlField("listening:detail")  # PainPoint.get_absolute_url, reversed once
    business_unit_name = serializers.CharField(source="business_unit.name", read_only=True)
    submitted_by_name = serializers.SerializerMethodField()
    # No max_digits: read-only, and any rate times the bounded inputs must print, never overflow.
    estimated_yearly_cost = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True)
    vote_count = serializers.IntegerField(read_only=True)
    has_voted = serializers.BooleanField(read_only=True)
    is_watching = serializers.BooleanField(read_only=True)

    class Meta:
        model = PainPoint
        fields = [
            "id",
            "web_url",
            "title",
            "description",
            "business_unit",
            "business_unit_name",
            "category",
            "severity",
            "people_affected",
            "hours_lost_per_week",
            "estimated_yearly_cost",
            "confidential",
            "status",
            "source",
            "source_system",
            "external_ref",
            "listening_session",
            "submitted_by",
            "submitted_by_name",
            "merged_into",
            "decline_reason",
            "plan_note",
            "ack_due_on",
            "acknowledged_at",
            "status_changed_at",
            "vote_count",
            "has_voted",
            "is_watching",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "submitted_by",
            "merged_into",
            "decline_reason",
            "plan_note",
            "ack_due_on",
            "acknowledged_at",
            "status_changed_at",
            "created_at",
            "updated_at",
        ]
        # The model's conditional unique constraint is checked by the service (400 on external_ref).
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "listening_session" in self.fields:
            self.fields["listening_session"].queryset = ListeningSession.objects.for_user(request.user)

    def get_submitted_by_name(self, pain_point) -> str:
        return str(pain_point.submitted_by) if pain_point.submitted_by_id else ""


class PainPointStatusChangeSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    from_status = read_only_choice_or_blank(PainPointStatus.choices, "Blank for the first row (the submission).")

    class Meta:
        model = PainPointStatusChange
        fields = ["at", "actor", "actor_name", "from_status", "to_status", "note"]
        read_only_fields = fields

    def get_actor_name(self, change) -> str:
        return str(change.actor) if change.actor_id else ""


class PainPointCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "author", "author_name", "body", "created_at"]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return str(comment.author) if comment.author_id else ""


class PainPointCommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(validators=bounds.LONG_TEXT)


class PainPointDetailSerializer(PainPointSerializer):
    status_history = PainPointStatusChangeSerializer(source="status_changes", many=True, read_only=True)
    comments = PainPointCommentSerializer(many=True, read_only=True)

    class Meta(PainPointSerializer.Meta):
        fields = [*PainPointSerializer.Meta.fields, "status_history", "comments"]


class PainPointNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)


class PainPointDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Shown to the submitter.", validators=bounds.LONG_TEXT
    )


class PainPointMergeSerializer(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=PainPoint.objects.none(), help_text="The pain point to merge into.")
    note = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["target"].queryset = PainPoint.objects.for_user(request.user)


class EvaluationOptionSerializer(serializers.ModelSerializer):
    recommended = serializers.BooleanField(source="is_recommended", read_only=True)

    class Meta:
        model = EvaluationOption
        fields = ["id", "title", "description", "pros", "cons", "rough_cost", "risk", "recommended"]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    options = EvaluationOptionSerializer(many=True, read_only=True)
    recommended_option = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = ["pain_point", "summary", "plan", "options", "recommended_option", "evaluated_by", "updated_at"]
        read_only_fields = fields

    def get_recommended_option(self, evaluation) -> int | None:
        option = evaluation.recommended_option
        return option.pk if option else None


class EvaluationOptionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    description = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)
    pros = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)
    cons = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)
    rough_cost = serializers.DecimalField(
        **bounds.MONEY_FIELD, required=False, allow_null=True, validators=bounds.MONEY
    )
    risk = serializers.ChoiceField(choices=Risk.choices, default=Risk.MEDIUM)
    recommended = serializers.BooleanField(default=False)


class EvaluationWriteSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)
    plan = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)
    options = EvaluationOptionWriteSerializer(many=True, help_text="Replaces the options; at most one recommended.")


class ListeningSessionSerializer(serializers.ModelSerializer):
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    business_unit_name = serializers.CharField(source="business_unit.name", read_only=True)
    it_attendees = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=get_user_model().objects.all())
    business_attendees = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=get_user_model().objects.all()
    )
    pain_points = serializers.SerializerMethodField()

    class Meta:
        model = ListeningSession
        fields = [
            "id",
            "web_url",
            "kind",
            "title",
            "held_on",
            "business_unit",
            "business_unit_name",
            "it_attendees",
            "business_attendees",
            "other_attendees",
            "notes",
            "recorded_by",
            "pain_points",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["recorded_by", "created_at", "updated_at"]

    def get_pain_points(self, session) -> list[int]:
        """The pain points it surfaced that you may see."""
        return [p.pk for p in getattr(session, "visible_pain_points", [])]
