"""Serializers of the integration API: subscriptions, deliveries and the webhook formats (the
latter only describe the inbound payloads in the OpenAPI schema)."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from ...api.fields import PortalDateTimeField
from ...models import BusinessUnit
from ..choices import DeliveryStatus, InboundResult, WebhookEvent
from ..destinations import validate_webhook_url
from ..models import InboundTicket, WebhookDelivery, WebhookSubscription


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    url = serializers.URLField(
        max_length=500,
        validators=[validate_webhook_url],
        help_text="http(s) URL that receives a signed POST per event; it must be a public address (no loopback, "
        "private or link-local address, nor a name resolving to one) and carry no user name or password.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1, max_length=len(WebhookEvent.values)
    )
    send_held = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="With `enabled: true` on a disabled subscription: send the deliveries held while it was disabled "
        "and those failed since its failures began (the default), or drop the held ones (false).",
    )
    held_deliveries = serializers.SerializerMethodField(help_text="Deliveries kept while the subscription is disabled.")
    previous_secret_valid_until = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Until then deliveries are signed with the previous secret too (after a rotation)."
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id", "url", "description", "events", "enabled", "send_held", "owner", "consecutive_failures",
            "failing_since", "held_deliveries", "disabled_at", "disabled_reason", "previous_secret_valid_until",
            "created_at", "updated_at",
        ]
        read_only_fields = [
            "consecutive_failures", "failing_since", "disabled_at", "disabled_reason", "created_at", "updated_at",
        ]

    def get_held_deliveries(self, subscription) -> int:
        held = getattr(subscription, "held_count", None)
        return held if held is not None else subscription.deliveries.filter(status=DeliveryStatus.HELD).count()


class WebhookSubscriptionSecretSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret (whsec_...). Shown at creation and after a rotation only."
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "subscription", "message_id", "event", "payload", "status", "attempts", "response_code", "last_error",
            "created_at", "last_attempt_at", "delivered_at",
        ]
        read_only_fields = fields


class RedeliverSinceSerializer(serializers.Serializer):
    since = PortalDateTimeField(help_text="Send again the failed deliveries created at or after this time.")


class RedeliveredSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="How many deliveries were queued again.")
    more = serializers.BooleanField(help_text="More failed deliveries are left: call again.")


class ParkedTicketSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.name", read_only=True)
    title = serializers.CharField(read_only=True)
    delivery_id = serializers.SerializerMethodField(help_text="The id of the ticket's last delivery.")
    ticket = serializers.JSONField(read_only=True, help_text="The ticket as its last delivery said it.")

    class Meta:
        model = InboundTicket
        fields = ["id", "source", "external_ref", "title", "parked_at", "parked_reason", "delivery_id", "ticket"]
        read_only_fields = fields

    def get_delivery_id(self, ticket) -> str:
        return ticket.parked_delivery.delivery_id if ticket.parked_delivery_id else ""


class ParkedTicketAssignSerializer(serializers.Serializer):
    business_unit = serializers.PrimaryKeyRelatedField(
        queryset=BusinessUnit.objects.filter(is_active=True), help_text="The active business unit of the ticket."
    )


class ParkedTicketAssignedSerializer(serializers.Serializer):
    pain_point = serializers.IntegerField(help_text="The pain point made from the ticket.")
    url = serializers.CharField(help_text="The pain point's page in the portal.")


class InboundResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=[c for c in InboundResult.choices if c[0] not in (InboundResult.PROCESSING, InboundResult.REFUSED)]
    )
    detail = serializers.CharField()
    delivery_id = serializers.CharField()
    external_ref = serializers.CharField(allow_blank=True)
    pain_point = serializers.IntegerField(allow_null=True, help_text="The pain point of the ticket (none while parked).")
    url = serializers.CharField(allow_blank=True, help_text="The pain point's page in the portal.")


# --- The inbound formats, for the schema ---------------------------------------------------------


class _Named(serializers.Serializer):
    name = serializers.CharField(required=False)


class _JiraStatus(_Named):
    statusCategory = serializers.DictField(required=False, help_text="e.g. {\"key\": \"done\"}")


class _JiraUser(serializers.Serializer):
    accountId = serializers.CharField(required=False)
    displayName = serializers.CharField(required=False)
    emailAddress = serializers.CharField(required=False)


class _JiraFields(serializers.Serializer):
    summary = serializers.CharField()
    updated = serializers.CharField(
        required=False, help_text="The issue's updated time: an update older than the one applied is stale."
    )
    description = serializers.JSONField(required=False, help_text="Text, or an Atlassian Document Format object.")
    priority = _Named(required=False)
    status = _JiraStatus(required=False)
    reporter = _JiraUser(required=False)


class _JiraIssue(serializers.Serializer):
    key = serializers.CharField(max_length=200, help_text="The issue key, e.g. OPS-42: the ticket's external reference.")
    fields = _JiraFields()


class JiraWebhookSerializer(serializers.Serializer):
    webhookEvent = serializers.ChoiceField(choices=["jira:issue_created", "jira:issue_updated"])
    timestamp = serializers.IntegerField(required=False)
    issue = _JiraIssue()


class _ZendeskTicket(serializers.Serializer):
    id = serializers.CharField(max_length=200, help_text="The ticket id: the external reference.")
    subject = serializers.CharField()
    updated_at = serializers.CharField(required=False, help_text="The ticket's updated time (ISO 8601).")
    description = serializers.CharField(required=False)
    priority = serializers.CharField(required=False, help_text="LOW, NORMAL, HIGH or URGENT.")
    status = serializers.CharField(required=False, help_text="NEW, OPEN, PENDING, HOLD, SOLVED or CLOSED.")
    requester_id = serializers.CharField(required=False)
    requester = serializers.DictField(required=False, help_text="{\"email\": ...}: maps the ticket to a unit.")


class ZendeskWebhookSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="zen:event-type:ticket.created or another zen:event-type:ticket.* event.")
    id = serializers.CharField(help_text="The event id; a retry of the same event is a replay.")
    time = serializers.CharField(required=False)
    detail = _ZendeskTicket()


class ServiceNowRecordSerializer(serializers.Serializer):
    sys_id = serializers.CharField(max_length=200, help_text="The record's sys_id: the external reference.")
    sys_updated_on = serializers.CharField(required=False, help_text="The record's updated time (UTC).")
    number = serializers.CharField(required=False)
    short_description = serializers.CharField()
    description = serializers.CharField(required=False)
    priority = serializers.CharField(required=False, help_text="1 (critical) to 5 (planning).")
    state = serializers.CharField(required=False, help_text="1 new, 2 in progress, 3 on hold, 6 resolved, 7 closed, 8 canceled.")
    correlation_id = serializers.CharField(required=False)
    caller_email = serializers.CharField(required=False)


class _GenericTicket(serializers.Serializer):
    id = serializers.CharField(max_length=200, help_text="The ticket's id in the sending system.")
    updated_at = serializers.CharField(
        required=False, help_text="The ticket's updated time (ISO 8601 or Unix time): older updates are stale."
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False)
    severity = serializers.IntegerField(required=False, min_value=1, max_value=5)
    priority = serializers.ChoiceField(required=False, choices=["lowest", "low", "medium", "normal", "high", "critical", "highest"])
    status = serializers.ChoiceField(
        required=False, choices=["new", "acknowledged", "analysing", "planned", "resolved", "closed", "declined"]
    )
    status_note = serializers.CharField(required=False, help_text="The reason of a decline.")
    business_unit = serializers.CharField(required=False, help_text="A business unit slug.")
    reporter_email = serializers.CharField(required=False)


class GenericWebhookSerializer(serializers.Serializer):
    type = serializers.CharField(required=False, default="ticket.upserted", help_text="ticket.created, ticket.updated...")
    timestamp = serializers.CharField(required=False)
    data = _GenericTicket()


TICKET_WEBHOOK = PolymorphicProxySerializer(
    component_name="TicketWebhook",
    serializers=[JiraWebhookSerializer, ZendeskWebhookSerializer, ServiceNowRecordSerializer, GenericWebhookSerializer],
    resource_type_field_name=None,
)
