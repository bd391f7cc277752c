"""What the listening app tells the outside world about a pain point (webhook event data)."""

from partnership.links import absolute_url
from partnership.payloads import unit_ref


def pain_point_payload(pain_point, *, previous_status: str | None = None) -> dict:
    """The `data` of the pain_point.* events."""
    data = {
        "id": pain_point.pk,
        "title": pain_point.title,
        "status": pain_point.status,
        "business_unit": unit_ref(pain_point.business_unit),
        "severity": pain_point.severity,
        "source": pain_point.source,
        "source_system": pain_point.source_system,
        "external_ref": pain_point.external_ref,
        "url": absolute_url(pain_point),
    }
    if previous_status is not None:
        data["previous_status"] = previous_status
    return data
