"""What the initiatives app tells the outside world about an initiative (webhook event data)."""

from django.conf import settings

from partnership.links import absolute_url
from partnership.payloads import unit_refs

from .models import Initiative


def _iso(value):
    return value.isoformat() if value is not None else None


def initiative_payload(initiative: Initiative, *, previous_status: str) -> dict:
    """The `data` of the initiative.approved and initiative.delivered webhook events (JSON-safe).

    Linked pain points are left out: a subscriber who sees the initiative may not see them all.
    """
    return {
        "id": initiative.pk,
        "title": initiative.title,
        "status": initiative.status,
        "previous_status": previous_status,
        "origin": initiative.origin,
        "business_units": unit_refs(initiative.business_units.all()),
        "sponsor": initiative.sponsor.get_username() if initiative.sponsor else None,
        "it_owner": initiative.it_owner.get_username() if initiative.it_owner else None,
        "one_off_cost": str(initiative.one_off_cost),
        "yearly_running_cost": str(initiative.yearly_running_cost),
        "currency": settings.PORTAL_CURRENCY,
        "fte": str(initiative.fte),
        "start_date": _iso(initiative.start_date),
        "target_date": _iso(initiative.target_date),
        "decided_at": _iso(initiative.decided_at),
        "delivered_on": _iso(initiative.delivered_on),
        "delivered_on_time": initiative.delivered_on_time,
        "url": absolute_url(initiative),
    }
