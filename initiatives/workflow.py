"""The initiative's workflow: which status may follow which, how a refused step is worded, and what
a step requires beyond its role (the risk acceptance before approval).

The statuses and TRANSITIONS are declared in initiatives.choices; the services' guards, the pages'
buttons and the API's refusals read them through this module.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max

from .choices import FINAL_STATUSES, TRANSITIONS, UNDECIDED_STATUSES, InitiativeStatus
from .models import Initiative

VERBS = {
    InitiativeStatus.PROPOSED: "propose",
    InitiativeStatus.EVALUATING: "start the evaluation of",
    InitiativeStatus.APPROVED: "approve",
    InitiativeStatus.REJECTED: "reject",
    InitiativeStatus.IN_PROGRESS: "start",
    InitiativeStatus.DELIVERED: "deliver",
    InitiativeStatus.BENEFITS_REVIEWED: "review the benefits of",
    InitiativeStatus.CANCELLED: "cancel",
}


def status_label(status: str) -> str:
    return InitiativeStatus(status).label.lower()


def check_transition(initiative: Initiative, to_status: str) -> None:
    if to_status in TRANSITIONS[initiative.status]:
        return
    current = status_label(initiative.status)
    if to_status == InitiativeStatus.DELIVERED and initiative.status in UNDECIDED_STATUSES:
        raise ValidationError(
            {"status": f"Cannot deliver an initiative that is {current}: it must be approved and started first."}
        )
    allowed_from = [
        status_label(status) for status, targets in TRANSITIONS.items() if to_status in targets
    ]
    raise ValidationError(
        {
            "status": (
                f"Cannot {VERBS[to_status]} an initiative that is {current}: "
                f"only {' or '.join(allowed_from)} ones can be."
            )
        }
    )


def require_not_final(initiative: Initiative, what: str) -> None:
    if initiative.status in FINAL_STATUSES:
        raise ValidationError(
            {"status": f"The initiative is {status_label(initiative.status)}: {what} is closed."}
        )


def highest_risk_score(initiative: Initiative) -> int | None:
    return initiative.risks.aggregate(top=Max("score"))["top"]


def missing_risk_acceptance(initiative: Initiative) -> int | None:
    """The highest risk score when approval needs an acceptance that is not there yet, else None.

    A risk at or above INITIATIVES_RISK_ACCEPTANCE_THRESHOLD needs an acceptance that covered a
    score at least as high (an acceptance given before a worse risk was added does not count).
    """
    top = highest_risk_score(initiative)
    if top is None or top < settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD:
        return None
    covered = initiative.risk_acceptances.aggregate(top=Max("highest_score"))["top"]
    if covered is not None and covered >= top:
        return None
    return top


def lock(initiative: Initiative) -> Initiative:
    """Reload the initiative under a row lock, so that two concurrent transitions serialise."""
    initiative.refresh_from_db(from_queryset=Initiative.objects.select_for_update())
    initiative._audit_loaded = {f.attname: getattr(initiative, f.attname) for f in initiative._meta.concrete_fields}
    return initiative
