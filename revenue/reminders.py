"""Reminder kinds of the revenue app (see docs/reminders.md).

- `revenue.commitment_at_risk`: every active CIO (users in the "CIO" group), once a month, while
  the current revenue year's commitment is at risk (or missed), as the board shows it. The
  status turns "at risk" once the sixth month of the (fiscal) year is over with no project
  executed and none in develop or acceptance, so the first reminder comes in the seventh month;
  it stops as soon as a project reaches develop, acceptance or execute. The kind has no natural
  object: its target is the CIO (the recipient), so the period (the month) alone makes it
  monthly.

`due(now)` costs two queries (the commitment in one aggregate, then the CIOs); `message()`
reads only the row's period and settings.
"""

import datetime

from django.db.models import F, Value
from django.urls import reverse
from django.utils import timezone

from partnership.notifications import Message, ReminderKind, period_month
from partnership.roles import Role

from .figures import year_label, year_of
from .indicators import NEEDS_ATTENTION

# Collected by the notifications app when it is ready (partnership/declarations.py).
REMINDER_KINDS: list[ReminderKind] = []

KEY = "revenue.commitment_at_risk"


def _at_risk(now) -> bool:
    from .selectors import current_commitment

    return current_commitment(timezone.localdate(now)).status in NEEDS_ATTENTION


def _due(now):
    """The CIOs, one row each for this month, when the commitment needs them."""
    from partnership.models import User

    cios = User.objects.filter(is_active=True, groups__name=Role.CIO.value)
    if not _at_risk(now):
        cios = cios.none()
    return cios.values(recipient_id=F("pk"), target_id=F("pk"), period=Value(period_month(now)))


def _still_due(now, ids):
    """At delivery time: a project that moved on meanwhile cancels the month's reminders."""
    return set(ids) if _at_risk(now) else set()


def _message(cio, reminder):
    from .selectors import fiscal_first_month

    first_month = fiscal_first_month()
    month = datetime.date.fromisoformat(f"{reminder.period}-01")
    label = year_label(year_of(month, first_month), first_month)
    return Message(
        title=f"The {label} IT revenue commitment is at risk",
        body=(
            f"No IT revenue project has reached execute in {label}, and none is in development or "
            "acceptance. Move a project forward, or plan one, before the year ends: the portfolio "
            "board shows the status and the projects."
        ),
        url=reverse("revenue:index"),
    )


REMINDER_KINDS.append(
    ReminderKind(
        key=KEY,
        label="Yearly revenue commitment at risk",
        description="Monthly, once the sixth month of the year is over, while no IT revenue project "
        "has reached execute and none is in development or acceptance.",
        target_model="partnership.User",
        due=_due,
        message=_message,
        still_due=_still_due,
    )
)
