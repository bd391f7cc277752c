"""Outbound events: the one function the pillar apps call when something happens.

    from partnership.integrations.events import emit
    emit("initiative.approved", {"id": initiative.pk, ...}, target=initiative)

Call it inside the service's transaction: the delivery rows commit (or roll back) with the
change, and the sender is queued only after the commit. With `target`, only subscribers whose
owner may see that object (its `for_user`) receive it, so a confidential pain point never leaves
the portal through someone who could not open it.
"""

from django.conf import settings

from .choices import WebhookEvent
from .outbound import webhook_deliveries_queue


def emit(event: str, payload: dict, *, target=None) -> int:
    """Queue `event` with `payload` (JSON-safe values) for its subscribers; returns how many."""
    if event not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event!r}: add it to WebhookEvent first.")
    return len(webhook_deliveries_queue(event=event, payload=payload, target=target))


def absolute_url(obj) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + obj.get_absolute_url()
