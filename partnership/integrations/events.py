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


def pain_point_payload(pain_point, *, previous_status: str | None = None) -> dict:
    """The `data` of the pain_point.* events."""
    data = {
        "id": pain_point.pk,
        "title": pain_point.title,
        "status": pain_point.status,
        "business_unit": getattr(pain_point.business_unit, "slug", None),
        "severity": pain_point.severity,
        "source": pain_point.source,
        "source_system": pain_point.source_system,
        "external_ref": pain_point.external_ref,
        "url": absolute_url(pain_point),
    }
    if previous_status is not None:
        data["previous_status"] = previous_status
    return data
