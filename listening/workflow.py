"""The pain point's workflow, declared once: its statuses, each step (where it leaves from and
leads to, who may take it, what it requires, the service that takes it), how a refused step is
worded, and the row lock that serialises two steps.

The services' guards, the pages' buttons, the API's actions and the ticketing integration's
walk all read `PAIN_POINT` (see partnership/workflow.py).
"""

from partnership.workflow import Transition, Workflow

from .choices import PainPointStatus as S
from .models import PainPoint
from .permissions import can_change_status

VERBS = {
    S.ACKNOWLEDGED: "acknowledge",
    S.ANALYSING: "start the analysis of",
    S.PLANNED: "plan",
    S.RESOLVED: "resolve",
    S.CLOSED: "close",
    S.DECLINED: "decline",
    S.MERGED: "merge",
}

# Where IT still has work to do, a pain point may be declined or merged into another one.
_UNDECIDED = (S.NEW, S.ACKNOWLEDGED, S.ANALYSING, S.PLANNED)


def _it(user, pain_point) -> bool:
    return can_change_status(user)


def _step(name, label, source, target, *, denied, service, **more) -> Transition:
    sources = source if isinstance(source, tuple) else (source,)
    return Transition(
        name=name,
        label=label,
        moves=dict.fromkeys(sources, target),
        may=_it,
        denied=f"Only IT staff can {denied}.",
        service=f"listening.services.pain_point_{service}",
        **more,
    )


def _refused(pain_point, transition) -> dict:
    to_status = next(iter(transition.moves.values()))
    allowed_from = [S(status).label.lower() for status in transition.moves]
    current = S(pain_point.status).label.lower()
    return {
        "status": (
            f"Cannot {VERBS[to_status]} a pain point that is {current}: "
            f"only {' or '.join(allowed_from)} ones can be."
        )
    }


PAIN_POINT = Workflow(
    name="pain point",
    states=tuple(S.values),
    object_arg="pain_point",
    refused=_refused,
    transitions=(
        _step("acknowledge", "Acknowledge", S.NEW, S.ACKNOWLEDGED, denied="acknowledge a pain point", service="acknowledge"),
        _step(
            "start-analysis", "Start analysis", S.ACKNOWLEDGED, S.ANALYSING,
            denied="start an analysis", service="start_analysis",
        ),
        _step(
            "plan", "Mark planned", S.ANALYSING, S.PLANNED, denied="plan a pain point", service="plan",
            requires="an evaluation with a recommended option",
            help="Needs an evaluation with a recommended option (400 on `evaluation` otherwise).",
        ),
        _step("resolve", "Resolve", S.PLANNED, S.RESOLVED, denied="resolve a pain point", service="resolve"),
        _step("close", "Close", S.RESOLVED, S.CLOSED, denied="close a pain point", service="close"),
        _step(
            "decline", "Decline", _UNDECIDED, S.DECLINED, denied="decline a pain point", service="decline",
            inputs=("reason",),
            required={"reason": "Say why the pain point is declined: the submitter will read it."},
            help="A reason is required; the submitter reads it.",
        ),
        _step(
            "merge", "Merge", _UNDECIDED, S.MERGED, denied="merge pain points", service="merge",
            inputs=("target", "note"),
            requires="a target pain point that is open and that the followers may see",
            help="Merge into `target`: votes and watchers move there; this one becomes read-only.",
        ),
        # An approved initiative answers the pain point: its approval was the authorised act and
        # its business case the evaluated plan, so neither role nor evaluation is asked here. From
        # planned, resolved or closed nothing moves (pain_point_mark_planned returns quietly).
        Transition(
            name="mark-planned",
            label="Planned by an initiative",
            moves=dict.fromkeys((S.NEW, S.ACKNOWLEDGED, S.ANALYSING, S.DECLINED), S.PLANNED),
            may=lambda user, pain_point: True,
            denied="",
            service="listening.services.pain_point_mark_planned",
            requires="an approved initiative that answers the pain point",
            manual=False,
        ),
    ),
)

# The steps an inbound ticket may walk a pain point along (never a merge: a ticket names no
# target), each with the service that takes it for a ticket when it is not the step's own: an
# approved plan in the ticketing system stands for the evaluation, as an approved initiative does.
TICKET_STEPS = {
    "acknowledge": None,
    "start-analysis": None,
    "plan": "listening.services.pain_point_mark_planned",
    "resolve": None,
    "close": None,
    "decline": None,
}


def lock(pain_point: PainPoint) -> PainPoint:
    """Reload the pain point under a row lock, so that two concurrent transitions serialise."""
    pain_point.refresh_from_db(from_queryset=PainPoint.objects.select_for_update())
    pain_point._audit_loaded = {f.attname: getattr(pain_point, f.attname) for f in pain_point._meta.concrete_fields}
    return pain_point
