"""Models of the ticketing integration: inbound sources and their delivery log, idempotency
records of API writes, and outbound webhook subscriptions with their deliveries.

They belong to the integrations app; their tables keep the names they had in the partnership app.
Links to pillar objects (the pain point a delivery wrote) are generic (content type + id), so
partnership/ never depends on a pillar app's migrations.
"""

import base64
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .. import bounds
from ..audit import AuditedModel
from ..roles import is_cio, is_it_staff
from .choices import CLAIMING_RESULTS, DeliveryStatus, IdempotencyState, InboundResult, SourceKind, WebhookEvent
from .destinations import validate_webhook_url

__all__ = [
    "IdempotencyRecord", "InboundDelivery", "InboundTicket", "IntegrationSource", "WebhookDelivery", "WebhookSubscription",
]


def generate_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class IntegrationSourceQuerySet(models.QuerySet):
    def for_user(self, user):
        """Sources hold secrets: admins (staff) and superusers only."""
        if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
            return self
        return self.none()


class IntegrationSource(AuditedModel):
    """A ticketing system allowed to post signed webhooks to `/api/v1/integrations/<name>/webhook/`.

    It keeps up to two valid secrets: after a rotation the previous one stays valid until
    `previous_secret_valid_until`, so the sender can switch without a refused delivery.
    """

    name = models.SlugField(max_length=50, unique=True, help_text="The {source} part of the webhook URL.")
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    business_unit = models.ForeignKey(
        "partnership.BusinessUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="New pain points land in this unit; empty: the reporter's unit (or the payload's, generic).",
    )
    secret = models.CharField(max_length=255, validators=bounds.SINGLE_LINE)
    previous_secret = models.CharField(max_length=255, blank=True, validators=bounds.SINGLE_LINE)
    previous_secret_valid_until = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    enabled = models.BooleanField(default=True)
    actor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="integration_source",
        help_text="The inactive service account that status changes from this source are recorded under.",
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_sources",
        help_text="The integration client account that acts for this source over the REST API: it may create "
        "pain points with this source's references, and update and comment on this source's pain points.",
    )

    objects = IntegrationSourceQuerySet.as_manager()

    audit_exclude = AuditedModel.audit_exclude | {"secret", "previous_secret"}

    class Meta:
        db_table = "partnership_integrationsource"  # kept from the partnership app (no table moved)
        ordering = ["name"]
        constraints = bounds.constraints(
            "partnership_integrationsource",
            datetimes=["previous_secret_valid_until"],
            nullable=["previous_secret_valid_until"],
        )

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def valid_secrets(self, now=None) -> list[str]:
        """The current secret, then the previous one while its overlap lasts."""
        now = now or timezone.now()
        valid = [self.secret]
        if self.previous_secret and (self.previous_secret_valid_until is None or self.previous_secret_valid_until > now):
            valid.append(self.previous_secret)
        return valid


class InboundDeliveryQuerySet(models.QuerySet):
    def for_user(self, user):
        """The delivery log is for admins (staff), superusers and the CIO."""
        if getattr(user, "is_staff", False) or is_cio(user):
            return self
        return self.none()


class InboundDelivery(models.Model):
    """One webhook received from a ticketing system, accepted or refused, and why.

    A delivery id is used once: the partial unique constraint lets a second delivery with the
    same id wait for the first one's transaction and then see it as a replay. Refused and
    replayed deliveries are logged too but claim nothing.
    """

    received_at = models.DateTimeField(default=timezone.now, db_index=True, validators=bounds.YEARS)
    source = models.ForeignKey(IntegrationSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries")
    source_name = models.CharField(max_length=100, help_text="As named in the URL, also for unknown sources.")
    delivery_id = models.CharField(max_length=255, blank=True)
    event = models.CharField(max_length=100, blank=True)
    external_ref = models.CharField(max_length=200, blank=True)
    result = models.CharField(max_length=20, choices=InboundResult.choices)
    status_code = models.PositiveSmallIntegerField(validators=bounds.HTTP_STATUS)
    reason = models.TextField(blank=True)
    object_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.CharField(max_length=64, blank=True, validators=bounds.SINGLE_LINE)

    objects = InboundDeliveryQuerySet.as_manager()

    class Meta:
        db_table = "partnership_inbounddelivery"  # kept from the partnership app (no table moved)
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "inbound deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "delivery_id"],
                condition=Q(result__in=CLAIMING_RESULTS),
                name="inbound_delivery_id_used_once",
            ),
            *bounds.constraints(
                "partnership_inbounddelivery",
                numbers={"status_code": bounds.HTTP_STATUS},
                datetimes=["received_at"],
            ),
        ]

    def __str__(self):
        return f"{self.source_name} {self.delivery_id or '-'}: {self.result}"


class InboundTicketQuerySet(models.QuerySet):
    def for_user(self, user):
        """The tickets of the integration (the "needs a unit" queue among them) are IT's."""
        if is_it_staff(user):
            return self
        return self.none()

    def parked(self):
        return self.filter(parked_at__isnull=False)


class InboundTicket(models.Model):
    """What the portal knows of one ticket of one source, beside its pain point.

    - `updated_at` and `content_digest`: the ticket's own updated time (from its payload) and a
      digest of its content, as last applied; an older delivery, or the same content again,
      changes nothing and is logged as stale. The row is locked while a delivery of the ticket is
      applied, so deliveries of one ticket take turns.
    - While `parked_at` is set, the ticket (`ticket`: what its last delivery said) waits in IT's
      "needs a unit" queue because its business unit could not be told; assigning one creates the
      pain point.
    """

    source = models.ForeignKey(IntegrationSource, on_delete=models.CASCADE, related_name="tickets")
    external_ref = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    updated_at = models.DateTimeField(
        null=True, blank=True, validators=bounds.YEARS, help_text="The ticket's own updated time last applied."
    )
    content_digest = models.CharField(max_length=64, blank=True, validators=bounds.SINGLE_LINE)
    parked_at = models.DateTimeField(null=True, blank=True, db_index=True, validators=bounds.YEARS)
    parked_reason = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    parked_delivery = models.ForeignKey(
        InboundDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The last delivery of the parked ticket.",
    )
    ticket = models.JSONField(default=dict, blank=True, help_text="The parked ticket, as its last delivery said.")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)

    objects = InboundTicketQuerySet.as_manager()

    class Meta:
        ordering = ["parked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_ref"], name="inbound_ticket_once_per_source"),
            *bounds.constraints(
                "integrations_inboundticket",
                datetimes=["updated_at", "parked_at", "assigned_at"],
                nullable=["updated_at", "parked_at", "assigned_at"],
            ),
        ]

    def __str__(self):
        return f"{self.source.name} {self.external_ref}"

    @property
    def title(self) -> str:
        return str(self.ticket.get("title", ""))


class IdempotencyRecordQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class IdempotencyRecord(models.Model):
    """The first answer to a POST or PATCH sent with an `Idempotency-Key`, kept for a day.

    The row is inserted (claimed) before the request runs: the unique constraint makes a
    concurrent request with the same key fail to claim it and answer 409.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(
        max_length=64, help_text="SHA-256 of method, path and body.", validators=bounds.SINGLE_LINE
    )
    method = models.CharField(max_length=10, validators=bounds.SINGLE_LINE)
    path = models.CharField(max_length=500)
    state = models.CharField(max_length=20, choices=IdempotencyState.choices, default=IdempotencyState.IN_PROGRESS)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, validators=bounds.HTTP_STATUS)
    content_type = models.CharField(max_length=200, blank=True, validators=bounds.SINGLE_LINE)
    response_body = models.BinaryField(blank=True, default=b"")
    location = models.CharField(max_length=500, blank=True, validators=bounds.SINGLE_LINE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True, validators=bounds.YEARS)

    objects = IdempotencyRecordQuerySet.as_manager()

    class Meta:
        db_table = "partnership_idempotencyrecord"  # kept from the partnership app (no table moved)
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user"),
            *bounds.constraints(
                "partnership_idempotencyrecord",
                numbers={"status_code": bounds.HTTP_STATUS},
                datetimes=["expires_at"],
                nullable=["status_code"],
            ),
        ]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"


class WebhookSubscriptionQuerySet(models.QuerySet):
    def for_user(self, user):
        """A subscription is managed by its owner; superusers see them all."""
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class WebhookSubscription(AuditedModel):
    """An URL that receives signed deliveries (Standard Webhooks) of the events it chose."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions")
    url = models.URLField(
        max_length=500, help_text="http(s) URL that receives a POST for each event.", validators=bounds.SINGLE_LINE
    )
    description = models.CharField(max_length=200, blank=True, validators=bounds.SINGLE_LINE)
    events = models.JSONField(default=list, help_text="Event types, e.g. ['pain_point.created'].")
    secret = models.CharField(max_length=100, default=generate_webhook_secret, validators=bounds.SINGLE_LINE)
    # After a rotation deliveries carry a signature with each secret until the overlap ends
    # (INTEGRATIONS_SECRET_OVERLAP_HOURS), so a receiver can switch without losing one.
    previous_secret = models.CharField(max_length=100, blank=True, validators=bounds.SINGLE_LINE)
    previous_secret_valid_until = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    enabled = models.BooleanField(default=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, validators=bounds.YEARS,
        help_text="When the first delivery of the current run of failures was created (none after a success).",
    )
    consecutive_failures = models.PositiveIntegerField(
        default=0, help_text="Deliveries that failed after every retry, since the last success.", validators=bounds.COUNTER
    )
    disabled_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    disabled_reason = models.CharField(max_length=300, blank=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    audit_exclude = AuditedModel.audit_exclude | {"secret", "previous_secret"}

    class Meta:
        db_table = "partnership_webhooksubscription"  # kept from the partnership app (no table moved)
        ordering = ["-created_at", "-id"]
        constraints = bounds.constraints(
            "partnership_webhooksubscription",
            numbers={"consecutive_failures": bounds.COUNTER},
            datetimes=["disabled_at", "previous_secret_valid_until", "failing_since"],
            nullable=["disabled_at", "previous_secret_valid_until", "failing_since"],
        )

    def __str__(self):
        return self.description or self.url

    def get_absolute_url(self):
        return reverse("webhook-subscription-detail", args=[self.pk])

    def signing_secrets(self, now=None) -> list[str]:
        """The current secret, then the previous one while the rotation's overlap lasts."""
        now = now or timezone.now()
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_valid_until and self.previous_secret_valid_until > now:
            secrets.append(self.previous_secret)
        return secrets

    def clean(self):
        errors = {}
        if not isinstance(self.events, list) or not self.events:
            errors["events"] = "Choose at least one event."
        else:
            unknown = sorted(set(map(str, self.events)) - set(WebhookEvent.values))
            if unknown:
                errors["events"] = f"Unknown event: {', '.join(unknown)}."
        try:
            validate_webhook_url(self.url)
        except ValidationError as refused:
            errors["url"] = refused.messages
        if errors:
            raise ValidationError(errors)


class WebhookDeliveryQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(subscription__in=WebhookSubscription.objects.for_user(user))


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one subscription: status, response code, attempts."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(
        max_length=64, unique=True, help_text="The `webhook-id` header; receivers de-duplicate on it.",
        validators=bounds.SINGLE_LINE,
    )
    event = models.CharField(max_length=60, validators=bounds.SINGLE_LINE)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0, validators=bounds.COUNTER)
    # Only codes of HTTP_STATUS: delivery.py stores a receiver's other code as none (with an error).
    response_code = models.PositiveSmallIntegerField(null=True, blank=True, validators=bounds.HTTP_STATUS)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    delivered_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        db_table = "partnership_webhookdelivery"  # kept from the partnership app (no table moved)
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["id"], condition=Q(status="pending"), name="webhook_delivery_pending_idx")]
        constraints = bounds.constraints(
            "partnership_webhookdelivery",
            numbers={"attempts": bounds.COUNTER, "response_code": bounds.HTTP_STATUS},
            datetimes=["last_attempt_at", "delivered_at"],
            nullable=["response_code", "last_attempt_at", "delivered_at"],
        )

    def __str__(self):
        return f"{self.event} → {self.subscription_id} ({self.status})"
