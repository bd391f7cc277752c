"""Reminder kinds of the initiatives app (see docs/reminders.md).

- `initiatives.milestone_due`: the IT owner of an open initiative, once when one of its
  milestones is due within INITIATIVES_MILESTONE_NOTICE_DAYS (default 3; "due-soon") and once
  when it is overdue ("overdue"). The due date is part of the period, so moving the milestone
  starts the two reminders over; a milestone done, or an initiative closed, is not chased.

`due(now)` is one query on the (done_on, due_on) index; `message()` reads only what the kind's
`select_related` loads.
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from partnership.notifications import Message, ReminderKind, due_stage_period, is_due_soon, still_in

from .choices import OPEN_STATUSES

# Collected by the notifications app when it is ready (partnership/declarations.py).
REMINDER_KINDS: list[ReminderKind] = []

KEY = "initiatives.milestone_due"


def _notice(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.INITIATIVES_MILESTONE_NOTICE_DAYS)


def _open_milestones(now=None):
    """Milestones not done, of initiatives still open (the (done_on, due_on) index)."""
    from .models import Milestone

    return Milestone.objects.filter(done_on__isnull=True, initiative__status__in=OPEN_STATUSES)


def _milestones_due(now):
    """One query: the IT owner of each open milestone due soon or overdue, of an open initiative."""
    today = timezone.localdate(now)
    return (
        _open_milestones()
        .filter(due_on__lte=_notice(today), initiative__it_owner__isnull=False)
        .values(recipient_id=F("initiative__it_owner_id"), target_id=F("pk"), period=due_stage_period("due_on", today))
    )


def _message(milestone, reminder):
    initiative = milestone.initiative
    if is_due_soon(reminder):
        return Message(
            title=f"Milestone due on {milestone.due_on:%Y-%m-%d}: {milestone.title}",
            body=f"“{initiative.title}”: the milestone is due on {milestone.due_on:%Y-%m-%d}. "
            "Mark it done on the initiative page once it is, or move its due date and tell the sponsor.",
            url=milestone.get_absolute_url(),
        )
    return Message(
        title=f"Milestone overdue: {milestone.title} (due {milestone.due_on:%Y-%m-%d})",
        body=f"“{initiative.title}”: the milestone was due on {milestone.due_on:%Y-%m-%d}. "
        "Mark it done, or move its due date and tell the sponsor.",
        url=milestone.get_absolute_url(),
    )


REMINDER_KINDS.append(
    ReminderKind(
        key=KEY,
        label="Initiative milestones due soon or overdue",
        description="A milestone of an initiative you own is due within a few days, or is overdue (one reminder each).",
        target_model="initiatives.Milestone",
        due=_milestones_due,
        message=_message,
        select_related=("initiative",),
        still_due=still_in(_open_milestones),  # at delivery: still not done, initiative still open
    )
)
