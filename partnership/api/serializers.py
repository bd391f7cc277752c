"""Serializers of the partnership app."""

from rest_framework import serializers

from .. import bounds
from ..models import ApiToken, BusinessUnit, TokenScope, User
from ..notifications.choices import DeliveryChannel
from ..notifications.models import Notification
from ..roles import primary_role, role_names


class BusinessUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = BusinessUnit
        fields = ["id", "name", "slug", "description", "is_active"]


class MeSerializer(serializers.ModelSerializer):
    business_unit = BusinessUnitSerializer(read_only=True, allow_null=True)
    role = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "business_unit", "role", "roles", "is_superuser"]

    def get_role(self, user) -> str:
        return primary_role(user)

    def get_roles(self, user) -> list[str]:
        return sorted(role_names(user))


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at", "is_active"]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, validators=bounds.SINGLE_LINE)
    scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.READ_WRITE)
    expires_in_days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="The secret key. Shown only once.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read", "done_at"]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()


class NotificationPreferenceSerializer(serializers.Serializer):
    """A user's channel for one kind of reminder (the kind's default when never chosen)."""

    kind = serializers.CharField(source="key", read_only=True)
    label = serializers.CharField(source="kind.label", read_only=True)
    description = serializers.CharField(source="kind.description", read_only=True)
    channel = serializers.ChoiceField(choices=DeliveryChannel.choices)
    is_default = serializers.BooleanField(read_only=True, help_text="True while the user has not chosen.")


class NotificationPreferenceUpdateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=DeliveryChannel.choices)


class AgendaEntrySerializer(serializers.Serializer):
    """One thing waiting for you (partnership/agenda.py)."""

    kind = serializers.CharField(help_text="What waits, e.g. `extramile.rate`, `decision.position`, `pain_point.triage`.")
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="The portal page where it is done (a path).")
    at = serializers.DateTimeField(help_text="When it began to wait; now for a count or a score.")
    due_on = serializers.DateField(allow_null=True, help_text="The day it is due, if it has one.")


class AgendaSerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        allow_null=True, help_text="Your previous visit of the home page: changes are counted from it (null: none yet)."
    )
    items = AgendaEntrySerializer(many=True, help_text="Newest first, as on your home page.")


# --- What IT delivered for a unit (partnership/delivered.py) ------------------------------------


class DeliveredReferenceSerializer(serializers.Serializer):
    """Another object an entry names, as you may see it (partnership/visibility.py)."""

    title = serializers.CharField(help_text="Its title, or “An item you cannot see”.")
    url = serializers.CharField(allow_null=True, help_text="Its page (a path); null when you may not see it.")
    visible = serializers.BooleanField()


class DeliveredEntrySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="E.g. `pain_point.resolved`, `initiative.delivered`, `revenue.recorded`.")
    title = serializers.CharField()
    url = serializers.CharField(help_text="The portal page of the entry (a path).")
    on = serializers.DateField(
        allow_null=True, help_text="Delivered: the day it was delivered. Coming: its target date (null if none)."
    )
    detail = serializers.CharField(allow_blank=True, help_text="The plan, the realised benefits, the effort...")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Revenue or realised benefits, in PORTAL_CURRENCY."
    )
    references = DeliveredReferenceSerializer(many=True)


class DeliveredSourceSerializer(serializers.Serializer):
    key = serializers.CharField(source="source.key", help_text="Pass it as `?source=` for every entry of this part.")
    heading = serializers.CharField(source="source.heading")
    entries = DeliveredEntrySerializer(many=True, help_text="The first entries, as on the page.")
    has_more = serializers.BooleanField(help_text="More entries than shown: ask with `?source=<key>`.")


class DeliveredSectionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["delivered", "coming"])
    title = serializers.CharField()
    sources = DeliveredSourceSerializer(many=True)


class DeliveredSerializer(serializers.Serializer):
    business_unit = BusinessUnitSerializer()
    start = serializers.DateField(help_text="The period's first day (included).")
    end = serializers.DateField(help_text="The period's last day (included).")
    page = serializers.CharField(help_text="The page in the portal (a path).")
    sections = DeliveredSectionSerializer(many=True)


class DeliveredSourcePageSerializer(serializers.Serializer):
    business_unit = BusinessUnitSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    source = serializers.CharField()
    heading = serializers.CharField()
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    entries = DeliveredEntrySerializer(many=True)
