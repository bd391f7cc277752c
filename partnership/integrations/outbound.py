"""Queueing outbound webhook deliveries: the rows in the caller's transaction, the sender
after commit. `events.emit` calls `webhook_deliveries_queue()`; the subscription services call
`deliveries_queue()` for a ping and `deliveries_resend()` to send held or failed ones again.

A disabled subscription still gets its rows, `held`: nothing is sent until it is enabled
again, and then nothing was lost (the purge drops held rows after the log's retention).
"""

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from ..visibility import can_see
from .choices import DeliveryStatus
from .models import WebhookDelivery, WebhookSubscription
from .tasks import deliveries_send


def webhook_deliveries_queue(*, event: str, payload: dict, target=None) -> list[WebhookDelivery]:
    """One delivery per subscription of `event` whose owner may see `target` now (held for a
    disabled subscription)."""
    subscriptions = [s for s in WebhookSubscription.objects.select_related("owner") if event in (s.events or [])]
    if target is not None:
        subscriptions = [s for s in subscriptions if can_see(s.owner, target)]
    return deliveries_queue(subscriptions, event, payload)


def deliveries_queue(subscriptions, event: str, payload: dict) -> list[WebhookDelivery]:
    """Write one pending delivery of `event` per subscription; queue the sender once committed."""
    if not subscriptions:
        return []
    plain = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=s,
                message_id=f"msg_{uuid.uuid4().hex}",
                event=event,
                payload=plain,
                status=DeliveryStatus.PENDING if s.enabled else DeliveryStatus.HELD,
            )
            for s in subscriptions
        ]
    )
    ids = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
    if ids:
        transaction.on_commit(lambda: deliveries_send(ids))
    return deliveries


def deliveries_resend(deliveries) -> int:
    """Send `deliveries` (a queryset) again from their first attempt, oldest first, under their
    own message ids (receivers de-duplicate on `webhook-id`). Pending ones are left alone."""
    ids = list(deliveries.exclude(status=DeliveryStatus.PENDING).order_by("created_at", "id").values_list("pk", flat=True))
    if not ids:
        return 0
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, attempts=0, last_attempt_at=None, response_code=None, last_error="",
        delivered_at=None,
    )
    transaction.on_commit(lambda: deliveries_send(ids))
    return len(ids)
