"""Serializers of the revenue API. Writes go through the services."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from partnership import bounds
from partnership.api.fields import read_only_choice_or_blank
from partnership.models import BusinessUnit

from ..choices import Stage
from ..models import RevenueEntry, RevenueProject, RevenueStageChange

User = get_user_model()


class RevenueStageChangeSerializer(serializers.ModelSerializer):
    from_stage = read_only_choice_or_blank(Stage.choices, "Blank for the first row (the project's creation).")

    class Meta:
        model = RevenueStageChange
        fields = ["from_stage", "to_stage", "changed_on", "changed_by", "note"]
        read_only_fields = fields


class RevenueProjectSerializer(serializers.ModelSerializer):
    it_sponsor = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    it_lead = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    business_partners = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    business_units = serializers.PrimaryKeyRelatedField(queryset=BusinessUnit.objects.all(), many=True)
    # No decimal places or minimum here: the service refuses both with one message for pages and API
    # (and its full_clean() the rest of the model's bounds, the same way).
    investment = serializers.DecimalField(max_digits=14, decimal_places=None, required=False)
    yearly_running_cost = serializers.DecimalField(max_digits=14, decimal_places=None, required=False)
    expected_yearly_revenue = serializers.DecimalField(max_digits=14, decimal_places=None, required=False)
    # A sum of months: no max_digits, so no total can overflow when it is printed.
    realised_to_date = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True)
    stage_changes = RevenueStageChangeSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = RevenueProject
        fields = [
            "id",
            "name",
            "category",
            "description",
            "stage",
            "stage_changed_on",
            "executed_on",
            "it_sponsor",
            "it_lead",
            "business_partners",
            "business_units",
            "accepted_by",
            "accepted_on",
            "acceptance_statement",
            "abandoned_reason",
            "investment",
            "yearly_running_cost",
            "expected_yearly_revenue",
            "revenue_expected_from",
            "realised_to_date",
            "stage_changes",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "stage",
            "stage_changed_on",
            "executed_on",
            "accepted_by",
            "accepted_on",
            "acceptance_statement",
            "abandoned_reason",
            "created_at",
            "updated_at",
        ]


class AdvanceSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, allow_null=True,
        help_text="Optional: the stage you expect to reach; refused unless it is the next one.",
    )
    on = serializers.DateField(
        required=False, allow_null=True, help_text="Date of the change (default today).", validators=bounds.YEARS
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", validators=bounds.LONG_TEXT)


class AcceptSerializer(serializers.Serializer):
    accepted_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True,
        help_text="The business manager who accepted (default: you).",
    )
    statement = serializers.CharField(
        allow_blank=True, help_text="What the business accepted, in their words.", validators=bounds.LONG_TEXT
    )
    on = serializers.DateField(
        required=False, allow_null=True, help_text="Date of the acceptance (default today).", validators=bounds.YEARS
    )


class AbandonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, validators=bounds.LONG_TEXT)
    on = serializers.DateField(required=False, allow_null=True, validators=bounds.YEARS)


class RevenueEntrySerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=RevenueProject.objects.none())
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=None, coerce_to_string=True, validators=bounds.SIGNED_MONEY
    )

    class Meta:
        model = RevenueEntry
        fields = ["id", "project", "month", "amount", "note", "recorded_by", "created_at", "updated_at"]
        read_only_fields = ["recorded_by", "created_at", "updated_at"]
        # One per project and month is the service's refusal, with a clearer message.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only the projects the caller may see can be named (others answer "does not exist").
            self.fields["project"].queryset = RevenueProject.objects.for_user(request.user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["amount"] = f"{instance.amount:.2f}"
        return data


class RevenueEntryUpdateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=None, validators=bounds.SIGNED_MONEY)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, validators=bounds.SINGLE_LINE)
