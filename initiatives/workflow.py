"""The initiative's workflow, declared once: its statuses, each step (where it leaves from and
leads to, who may take it, what it requires, the service that takes it), how a refused step is
worded, what a step requires beyond its role (the risk acceptance before approval), and the row
lock that serialises two steps.

The services' guards, the pages' buttons and the API's actions read `INITIATIVE` (see
partnership/workflow.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max

from partnership.workflow import Transition, Workflow

from .choices import FINAL_STATUSES, UNDECIDED_STATUSES, InitiativeStatus
from .choices import InitiativeStatus as S
from .models import Initiative
from .permissions import can_decide, can_manage, can_review_benefits

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


def _it(user, initiative) -> bool:
    return can_manage(user)


def _cio(user, initiative) -> bool:
    return can_decide(user)


def _step(name, label, sources, target, may, denied, **more) -> Transition:
    sources = sources if isinstance(sources, tuple) else (sources,)
    return Transition(
        name=name,
        label=label,
        moves=dict.fromkeys(sources, target),
        may=may,
        denied=denied,
        service=f"initiatives.services.initiative_{name.replace('-', '_')}",
        **more,
    )


def _refused(initiative, transition) -> dict:
    to_status = next(iter(transition.moves.values()))
    current = status_label(initiative.status)
    if to_status == S.DELIVERED and initiative.status in UNDECIDED_STATUSES:
        return {"status": f"Cannot deliver an initiative that is {current}: it must be approved and started first."}
    allowed_from = [status_label(status) for status in transition.moves]
    return {
        "status": (
            f"Cannot {VERBS[to_status]} an initiative that is {current}: "
            f"only {' or '.join(allowed_from)} ones can be."
        )
    }


INITIATIVE = Workflow(
    name="initiative",
    states=tuple(S.values),
    object_arg="initiative",
    refused=_refused,
    transitions=(
        _step(
            "propose", "Propose for a decision", S.IDEA, S.PROPOSED, _it, "Only IT staff can propose initiatives.",
            requires="a sponsor, a target date, and a pain point when it comes from pain points",
            help="idea -> proposed. Needs a sponsor and a target date (400 on `sponsor` / `target_date`).",
        ),
        _step(
            "evaluate", "Start the evaluation", S.PROPOSED, S.EVALUATING, _it, "Only IT staff can evaluate initiatives.",
            help="proposed -> evaluating (IT staff).",
        ),
        _step(
            "approve", "Approve: say “YES”", (S.PROPOSED, S.EVALUATING), S.APPROVED, _cio,
            "Only the CIO can approve initiatives.",
            requires="a risk acceptance when a risk scores at or above the threshold",
            help=(
                "The CIO approves (from proposed or evaluating). A risk at or above the threshold needs a "
                "risk acceptance first (400 on `risk_acceptance`). Linked pain points become planned."
            ),
        ),
        _step(
            "reject", "Reject", (S.PROPOSED, S.EVALUATING), S.REJECTED, _cio, "Only the CIO can reject initiatives.",
            inputs=("reason",),
            required={"reason": "Say why the initiative is rejected: the sponsor and the owner will read it."},
            help="The CIO rejects; a reason is required.",
        ),
        _step(
            "start", "Start the work", S.APPROVED, S.IN_PROGRESS, _it, "Only IT staff can start initiatives.",
            requires="a target date not before the start",
            help="approved -> in progress (IT staff); the start date defaults to today.",
        ),
        _step(
            "deliver", "Mark delivered", S.IN_PROGRESS, S.DELIVERED, _it, "Only IT staff can deliver initiatives.",
            inputs=("delivered_on", "note"),
            help="in progress -> delivered (IT staff); refused before approval.",
        ),
        _step(
            "review-benefits", "Review the benefits", S.DELIVERED, S.BENEFITS_REVIEWED,
            lambda user, initiative: can_review_benefits(user, initiative),
            "Only IT staff or the sponsor can review the benefits.",
            inputs=("realised", "summary"),
            requires="what was realised for each expected benefit (or a summary when none was expected)",
            help="delivered -> benefits reviewed (IT staff or the sponsor): what each expected benefit became.",
        ),
        _step(
            "cancel", "Cancel the initiative", (S.IDEA, S.PROPOSED, S.EVALUATING, S.APPROVED, S.IN_PROGRESS),
            S.CANCELLED, _it, "Only IT staff can cancel initiatives.",
            inputs=("reason",),
            required={"reason": "Say why the initiative is cancelled: the sponsor and the owner will read it."},
            help="IT stops an initiative before delivery; a reason is required.",
        ),
    ),
)


def status_label(status: str) -> str:
    return InitiativeStatus(status).label.lower()


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
    if not risk_acceptance_needed(top, covered=None):
        return None
    covered = initiative.risk_acceptances.aggregate(top=Max("highest_score"))["top"]
    return top if risk_acceptance_needed(top, covered) else None


def risk_acceptance_needed(top: int | None, covered: int | None) -> bool:
    """The rule itself, on already known scores (the detail page reads them from its prefetched
    lists): the highest risk is at or above the threshold and no acceptance covered it."""
    if top is None or top < settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD:
        return False
    return covered is None or covered < top


def lock(initiative: Initiative) -> Initiative:
    """Reload the initiative under a row lock, so that two concurrent transitions serialise."""
    initiative.refresh_from_db(from_queryset=Initiative.objects.select_for_update())
    initiative._audit_loaded = {f.attname: getattr(initiative, f.attname) for f in initiative._meta.concrete_fields}
    return initiative
