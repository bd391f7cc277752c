"""The extra-mile workflows, declared once: a planned extra-mile action is done once IT completes
it; a repeated-problem proposal is open until IT accepts it (a planned action is created) or
dismisses it. Each step names where it leaves from and leads to, who may take it
(permissions.py), what it requires and the service that takes it.

The services' guards, the pages and the API's actions read `EXTRA_MILE_ACTION` and `SUGGESTION`
and `CHECK_IN` (see partnership/workflow.py).

A check-in is answered once, by its key user or by IT on their behalf: pending -> answered. The
answer itself (yes or no) decides which of the two answered statuses the check-in records: "ok"
(running correctly) or "problem" (a pain point is created). The workflow's states are therefore
pending and answered, read from the status (`CHECK_IN.state`), as an action item's are read from
its done date.
"""

from ..workflow import Transition, Workflow
from .choices import ActionStatus, CheckInStatus, SuggestionStatus
from .permissions import can_answer_check_in, can_manage


def _it(user, obj) -> bool:
    return can_manage(user)


EXTRA_MILE_ACTION = Workflow(
    name="extra-mile action",
    states=tuple(ActionStatus.values),
    object_arg="action",
    refused=lambda action, transition: {"status": "This action is already done."},
    transitions=(
        Transition(
            name="complete",
            label="Mark done",
            moves={ActionStatus.PLANNED: ActionStatus.DONE},
            may=_it,
            denied="Only IT staff can complete extra-mile actions.",
            service="partnership.extramile.services.extra_mile_action_complete",
            inputs=("performed_on", "effort_hours", "evidence_url", "recipients"),
            requires="a date not in the future",
            help="Mark a planned action done; its recipients are asked to rate it. IT only.",
        ),
    ),
)


def _suggestion_refused(suggestion, transition) -> dict:
    return {"status": f"This proposal was already {suggestion.get_status_display().lower()}."}


SUGGESTION = Workflow(
    name="repeated-problem proposal",
    states=tuple(SuggestionStatus.values),
    object_arg="suggestion",
    refused=_suggestion_refused,
    transitions=(
        Transition(
            name="accept",
            label="Plan it",
            moves={SuggestionStatus.OPEN: SuggestionStatus.ACCEPTED},
            may=_it,
            denied="Only IT staff can accept proposals.",
            service="partnership.extramile.services.suggestion_accept",
            inputs=("kind", "planned_on", "title", "recipients"),
            requires="a manual or FAQ, or a training",
            help="IT takes the proposal: a planned extra-mile action (a manual/FAQ or a training) is created.",
        ),
        Transition(
            name="dismiss",
            label="Dismiss",
            moves={SuggestionStatus.OPEN: SuggestionStatus.DISMISSED},
            may=_it,
            denied="Only IT staff can dismiss proposals.",
            service="partnership.extramile.services.suggestion_dismiss",
            inputs=("reason",),
            help="IT dismisses the proposal (with an optional reason).",
        ),
    ),
)


ANSWERED = "answered"  # ok or problem: the two statuses an answer leads to


CHECK_IN = Workflow(
    name="check-in",
    states=(CheckInStatus.PENDING, ANSWERED),
    object_arg="check_in",
    state=lambda check_in: CheckInStatus.PENDING if check_in.status == CheckInStatus.PENDING else ANSWERED,
    refused=lambda check_in, transition: {"status": "This check-in was already answered."},
    transitions=(
        Transition(
            name="answer",
            label="Send the answer",
            moves={CheckInStatus.PENDING: ANSWERED},
            may=can_answer_check_in,
            denied="Only the key user of a check-in, or IT on their behalf, can answer it.",
            service="partnership.extramile.services.check_in_answer",
            inputs=("systems_ok", "problem"),
            requires="a yes or a no; a no says what is wrong (it becomes a pain point)",
            help="Systems running correctly, yes or no; a \"no\" (with what is wrong) creates a pain point. "
            "The key user, or IT on their behalf.",
        ),
    ),
)
