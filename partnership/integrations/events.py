"""Outbound webhook events, queued by the domain-event handler (handlers.py):

    emit("initiative.approved", {"id": initiative.pk, ...}, target=initiative)

Services do not call it: they publish a domain event (partnership/events.py). It runs inside the
service's transaction: the delivery rows commit (or roll back) with the
change, and the sender is queued only after the commit. With `target`, only subscribers whose
owner may see that object (its `for_user`) receive it, so a confidential pain point never leaves
the portal through someone who could not open it.
"""

from .choices import WebhookEvent
from .outbound import webhook_deliveries_queue


def emit(event: str, payload: dict, *, target=None) -> int:
    """Queue `event` with `payload` (JSON-safe values) for its subscribers; returns how many."""
    if event not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event!r}: add it to WebhookEvent first.")
    return len(webhook_deliveries_queue(event=event, payload=payload, target=target))
