"""Writes of outbound webhook subscriptions: create, change, enable again, rotate the secret,
ping and send deliveries again. The API's views call these.

Nothing a subscriber was promised is lost: while a subscription is disabled its events are
kept (`held`), and enabling it again sends them, with every delivery that failed since its
run of failures began; `deliveries_redeliver()` sends chosen ones again. Deliveries are queued
by `outbound.py` and sent by `delivery.py`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import PING_EVENT, DeliveryStatus
from .models import WebhookDelivery, WebhookSubscription, generate_webhook_secret
from .outbound import deliveries_queue, deliveries_resend
from .permissions import can_subscribe

SUBSCRIPTION_FIELDS = ("url", "events", "description", "enabled")
# One "redeliver failed since" sends at most this many; the answer says when more are left.
REDELIVER_LIMIT = 1000


def _require_subscriber(actor) -> None:
    if not can_subscribe(actor):
        raise PermissionDenied("Only IT staff and integration clients can manage webhook subscriptions.")


def _dedupe(events) -> list:
    return list(dict.fromkeys(events)) if isinstance(events, (list, tuple)) else events


@transaction.atomic
def webhook_subscription_create(*, owner, url: str, events, description: str = "", enabled: bool = True) -> WebhookSubscription:
    """Subscribe `owner` to events; the secret is generated and shown in the answer."""
    _require_subscriber(owner)
    subscription = WebhookSubscription(
        owner=owner, url=(url or "").strip(), events=_dedupe(events), description=(description or "").strip(), enabled=enabled
    )
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def webhook_subscription_update(
    *, subscription: WebhookSubscription, actor, send_held: bool = True, **changes
) -> WebhookSubscription:
    """Change url, events, description or enabled. Enabling again clears the failure count and
    sends what waited (held deliveries, and those failed since the run of failures began) unless
    `send_held` is false, which drops the held ones."""
    _require_subscriber(actor)
    unknown = set(changes) - set(SUBSCRIPTION_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if "events" in changes:
        changes["events"] = _dedupe(changes["events"])
    enabling = bool(changes.get("enabled")) and not subscription.enabled
    failing_since = subscription.failing_since
    if enabling:
        subscription.consecutive_failures = 0
        subscription.failing_since = None
        subscription.disabled_at = None
        subscription.disabled_reason = ""
    for name, value in changes.items():
        setattr(subscription, name, value.strip() if isinstance(value, str) else value)
    subscription.full_clean()
    subscription.save()
    if enabling:
        held = subscription.deliveries.filter(status=DeliveryStatus.HELD)
        if send_held:
            waiting = held
            if failing_since is not None:
                waiting = subscription.deliveries.filter(status__in=[DeliveryStatus.HELD, DeliveryStatus.FAILED]).filter(
                    created_at__gte=failing_since
                ) | held
            deliveries_resend(waiting)
        else:
            held.delete()
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription, actor) -> None:
    _require_subscriber(actor)
    subscription.delete()


@transaction.atomic
def webhook_subscription_rotate_secret(*, subscription: WebhookSubscription, actor) -> WebhookSubscription:
    """A new secret at once; deliveries are signed with both the new and the old one until the
    overlap (INTEGRATIONS_SECRET_OVERLAP_HOURS) ends, so the receiver can switch at leisure."""
    _require_subscriber(actor)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_valid_until = timezone.now() + datetime.timedelta(
        hours=settings.INTEGRATIONS_SECRET_OVERLAP_HOURS
    )
    subscription.secret = generate_webhook_secret()
    subscription.save()
    return subscription


@transaction.atomic
def webhook_subscription_ping(*, subscription: WebhookSubscription, actor) -> WebhookDelivery:
    """Queue a `ping` delivery to this subscription, to test the receiver."""
    _require_subscriber(actor)
    if not subscription.enabled:
        raise ValidationError({"enabled": "The subscription is disabled: enable it before sending a ping."})
    return deliveries_queue([subscription], PING_EVENT, {"subscription": subscription.pk, "message": "Hello from the portal."})[0]


def _require_enabled(subscription: WebhookSubscription) -> None:
    if not subscription.enabled:
        raise ValidationError(
            {"enabled": "The subscription is disabled: enabling it again sends its held and failed deliveries."}
        )


@transaction.atomic
def webhook_delivery_redeliver(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send one delivery again (failed, or succeeded but lost by the receiver), under its own
    message id, from its first attempt."""
    _require_subscriber(actor)
    delivery = WebhookDelivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
    _require_enabled(delivery.subscription)
    if delivery.status == DeliveryStatus.PENDING:
        raise ValidationError({"status": "The delivery is pending already: it is being sent."})
    deliveries_resend(WebhookDelivery.objects.filter(pk=delivery.pk))
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def webhook_subscription_redeliver(*, subscription: WebhookSubscription, actor, since) -> dict:
    """Send again every failed delivery of the subscription created at or after `since`,
    oldest first, at most REDELIVER_LIMIT at a time. Returns how many and whether more are left."""
    _require_subscriber(actor)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    _require_enabled(subscription)
    failed = subscription.deliveries.filter(status=DeliveryStatus.FAILED, created_at__gte=since).order_by("created_at", "id")
    chosen = list(failed.values_list("pk", flat=True)[: REDELIVER_LIMIT + 1])
    queued = deliveries_resend(WebhookDelivery.objects.filter(pk__in=chosen[:REDELIVER_LIMIT]))
    return {"queued": queued, "more": len(chosen) > REDELIVER_LIMIT}
