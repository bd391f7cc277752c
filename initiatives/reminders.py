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
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from partnership.notifications import Message, ReminderKind, register

from .choices import OPEN_STATUSES

KEY = "initiatives.milestone_due"
DUE_SOON = "due-soon"
OVERDUE = "overdue"


def _notice(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.INITIATIVES_MILESTONE_NOTICE_DAYS)


def _milestones_due(now):
    """One query: the IT owner of each open milestone due soon or overdue, of an open initiative."""
    from .models import Milestone

    today = timezone.localdate(now)
    stage = Case(When(due_on__lt=today, then=Value(OVERDUE)), default=Value(DUE_SOON), output_field=CharField())
    return Milestone.objects.filter(
        done_on__isnull=True,
        due_on__lte=_notice(today),
        initiative__status__in=OPEN_STATUSES,
        initiative__it_owner__isnull=False,
    ).values(
        recipient_id=F("initiative__it_owner_id"),
        target_id=F("pk"),
        # "due-soon:2026-11-30", "overdue:2026-11-30": a moved due date gives new periods.
        period=Concat(stage, Value(":"), Cast("due_on", CharField()), output_field=CharField()),
    )


def _message(milestone, reminder):
    initiative = milestone.initiative
    if reminder is not None and reminder.period.startswith(DUE_SOON):
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


def _still_due(now, ids):
    """At delivery: the milestones still not done, of initiatives still open (one query)."""
    from .models import Milestone

    return set(
        Milestone.objects.filter(pk__in=ids, done_on__isnull=True, initiative__status__in=OPEN_STATUSES).values_list(
            "pk", flat=True
        )
    )


register(
    ReminderKind(
        key=KEY,
        label="Initiative milestones due soon or overdue",
        description="A milestone of an initiative you own is due within a few days, or is overdue (one reminder each).",
        target_model="initiatives.Milestone",
        due=_milestones_due,
        message=_message,
        select_related=("initiative",),
        still_due=_still_due,
    )
)
