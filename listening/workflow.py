"""The pain point's workflow: which status may follow which (TRANSITIONS, declared in
listening.choices), how a refused step is worded, and the row lock that serialises two steps.
The services' guards, the pages' buttons and the API's refusals read it here."""

from django.core.exceptions import ValidationError

from .choices import TRANSITIONS, PainPointStatus
from .models import PainPoint

VERBS = {
    PainPointStatus.ACKNOWLEDGED: "acknowledge",
    PainPointStatus.ANALYSING: "start the analysis of",
    PainPointStatus.PLANNED: "plan",
    PainPointStatus.RESOLVED: "resolve",
    PainPointStatus.CLOSED: "close",
    PainPointStatus.DECLINED: "decline",
    PainPointStatus.MERGED: "merge",
}


def lock(pain_point: PainPoint) -> PainPoint:
    """Reload the pain point under a row lock, so that two concurrent transitions serialise."""
    pain_point.refresh_from_db(from_queryset=PainPoint.objects.select_for_update())
    pain_point._audit_loaded = {f.attname: getattr(pain_point, f.attname) for f in pain_point._meta.concrete_fields}
    return pain_point


def check_transition(pain_point: PainPoint, to_status: str) -> None:
    if to_status in TRANSITIONS[pain_point.status]:
        return
    allowed_from = [
        PainPointStatus(status).label.lower() for status, targets in TRANSITIONS.items() if to_status in targets
    ]
    current = PainPointStatus(pain_point.status).label.lower()
    raise ValidationError(
        {
            "status": (
                f"Cannot {VERBS[to_status]} a pain point that is {current}: "
                f"only {' or '.join(allowed_from)} ones can be."
            )
        }
    )
