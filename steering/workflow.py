"""The steering workflows, declared once: a decision is open for positions until the chair (or
IT) closes it; an action item is open until its owner (or whoever manages the committee) marks
it done, and may be reopened. Each step names where it leaves from and leads to, who may take it
(steering/permissions.py), what it requires and the service that takes it.

The services' guards, the pages' buttons and the API's actions read `DECISION` and
`ACTION_ITEM` (see partnership/workflow.py).
"""

from partnership.workflow import Transition, Workflow

from .choices import DecisionStatus
from .permissions import MANAGE_MESSAGE, can_complete_action_item, can_manage_committee

COMPLETE_MESSAGE = "Only the owner, the chair and IT can do this."
OPEN, DONE = "open", "done"

DECISION = Workflow(
    name="decision",
    states=tuple(DecisionStatus.values),
    object_arg="decision",
    refused=lambda decision, transition: {"status": "This decision is already closed."},
    transitions=(
        Transition(
            name="close",
            label="Close the decision",
            moves={DecisionStatus.OPEN: DecisionStatus.CLOSED},
            may=lambda user, decision: can_manage_committee(user, decision.committee),
            denied=MANAGE_MESSAGE,
            service="steering.services.decision_close",
            inputs=("outcome", "review_date"),
            help="Close the decision with its outcome (the chair or IT); positions are frozen.",
        ),
    ),
)


def _action_item_refused(item, transition) -> dict:
    if transition.name == "done":
        return {"done_at": "This action item is already done."}
    return {"done_at": "This action item is still open."}


ACTION_ITEM = Workflow(
    name="action item",
    states=(OPEN, DONE),
    object_arg="item",
    state=lambda item: DONE if item.done_at is not None else OPEN,
    refused=_action_item_refused,
    transitions=(
        Transition(
            name="done",
            label="Mark done",
            moves={OPEN: DONE},
            may=can_complete_action_item,
            denied=COMPLETE_MESSAGE,
            service="steering.services.action_item_complete",
            inputs=(),
            help="Mark the action item done (its owner, the chair or IT).",
        ),
        Transition(
            name="reopen",
            label="Reopen",
            moves={DONE: OPEN},
            may=can_complete_action_item,
            denied=COMPLETE_MESSAGE,
            service="steering.services.action_item_reopen",
            inputs=(),
            help="Reopen a done action item (its owner, the chair or IT).",
        ),
    ),
)
