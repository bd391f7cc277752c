"""Queueing outbound webhook deliveries: the rows in the caller's transaction, the sender
after commit. `events.emit` calls `webhook_deliveries_queue()`; the subscription services call
`deliveries_queue()` for a ping.
"""

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from ..visibility import can_see
from .models import WebhookDelivery, WebhookSubscription
from .tasks import deliveries_send


def webhook_deliveries_queue(*, event: str, payload: dict, target=None) -> list[WebhookDelivery]:
    """One delivery per enabled subscription of `event` whose owner may see `target` now."""
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(enabled=True).select_related("owner") if event in (s.events or [])
    ]
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
            WebhookDelivery(subscription=s, message_id=f"msg_{uuid.uuid4().hex}", event=event, payload=plain)
            for s in subscriptions
        ]
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: deliveries_send(ids))
    return deliveries
