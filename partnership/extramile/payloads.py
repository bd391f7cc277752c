"""What the extra mile tells the outside world about a failed check-in (webhook event data)."""

from django.utils import timezone

from listening.payloads import pain_point_payload

from ..links import absolute_url
from ..payloads import unit_ref
from .models import CheckIn


def check_in_failed_payload(check_in: CheckIn, pain_point, *, answered_by, problem: str) -> dict:
    """The `data` of the check_in.failed webhook event: the check-in, its window and the pain point."""
    window = check_in.window
    return {
        "id": check_in.pk,
        "url": absolute_url(check_in),
        "problem": problem,
        "key_user": check_in.key_user.username,
        "business_unit": unit_ref(check_in.key_user.business_unit),
        "answered_by": answered_by.username,
        "answered_at": timezone.now().isoformat(),
        "due_at": check_in.due_at.isoformat(),
        "window": {
            "id": window.pk,
            "system": window.system,
            "starts_at": window.starts_at.isoformat(),
            "ends_at": window.ends_at.isoformat(),
            "url": absolute_url(window),
        },
        "pain_point": pain_point_payload(pain_point),
    }
