"""Reminder kinds of the steering app (see docs/reminders.md).

- `steering.action_item_due`: the owner of an open action item, once when it is due within
  STEERING_ACTION_ITEM_NOTICE_DAYS ("due-soon") and once when it is overdue ("overdue"). The
  due date is part of the period, so moving it starts the two reminders over.
- `steering.meeting_upcoming`: every member of the committee, once per meeting, when it starts
  within STEERING_MEETING_NOTICE_DAYS (a meeting moved to another time is announced again).
- `steering.decision_review_due`: the chair of the committee, once per review date, when a
  closed decision's review date is within STEERING_REVIEW_NOTICE_DAYS (or has passed).

Each `due(now)` is one query on an indexed column; `message()` reads only what the kind's
`select_related` loads.
"""

import datetime

from django.conf import settings
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone

from partnership.notifications import Message, ReminderKind, dated_period, due_stage_period, is_due_soon, still_in

from .choices import DecisionStatus, MemberRole

# Collected by the notifications app when it is ready (partnership/declarations.py).
REMINDER_KINDS: list[ReminderKind] = []


def _today(now) -> datetime.date:
    return timezone.localdate(now)


# --- Action items ------------------------------------------------------------------------------


def _action_item_notice(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.STEERING_ACTION_ITEM_NOTICE_DAYS)


def _open_action_items(now=None):
    from .models import ActionItem

    return ActionItem.objects.filter(done_at__isnull=True)


def _action_items_due(now):
    """One query on the (done_at, due_date) index: the owner of each open item due soon or overdue."""
    today = _today(now)
    return (
        _open_action_items()
        .filter(due_date__lte=_action_item_notice(today))
        .values(recipient_id=F("owner_id"), target_id=F("pk"), period=due_stage_period("due_date", today))
    )


def _action_item_message(item, reminder):
    meeting = item.meeting
    origin = f"From the meeting “{meeting.title}” of {meeting.committee} on {meeting.local_date:%Y-%m-%d}."
    if is_due_soon(reminder):
        return Message(
            title=f"Action item due on {item.due_date:%Y-%m-%d}: {item.title}",
            body=f"{origin} Mark it done on the meeting page once it is.",
            url=item.get_absolute_url(),
        )
    return Message(
        title=f"Action item overdue: {item.title} (due {item.due_date:%Y-%m-%d})",
        body=f"{origin} Mark it done, or agree a new due date with the committee.",
        url=item.get_absolute_url(),
    )


REMINDER_KINDS.append(
    ReminderKind(
        key="steering.action_item_due",
        label="Steering action items due soon or overdue",
        description="An action item you own is due within a few days, or is overdue (one reminder each).",
        target_model="steering.ActionItem",
        due=_action_items_due,
        message=_action_item_message,
        select_related=("meeting__committee",),
        still_due=still_in(_open_action_items),
    )
)


# --- Upcoming meetings -----------------------------------------------------------------------


def _meetings_soon(now):
    """Meetings starting within the notice days (the starts_at index)."""
    from .models import Meeting

    end = now + datetime.timedelta(days=settings.STEERING_MEETING_NOTICE_DAYS)
    return Meeting.objects.filter(starts_at__gt=now, starts_at__lte=end)


def _meetings_upcoming(now):
    """One query on the starts_at index, joined to the members: each member of each meeting soon."""
    # A committee without members yields a row without recipient, which the sweep skips.
    return _meetings_soon(now).values(
        recipient_id=F("committee__memberships__user_id"),
        target_id=F("pk"),
        # The start time in the period: a meeting moved to another time is announced again.
        period=dated_period("starts ", "starts_at"),
    )


def _meeting_message(meeting, reminder):
    when = timezone.localtime(meeting.starts_at)
    where = meeting.place or ("online" if meeting.link else "")
    return Message(
        title=f"{meeting.committee}: “{meeting.title}” on {when:%Y-%m-%d at %H:%M}",
        body=f"The committee meets on {when:%A %Y-%m-%d at %H:%M}" + (f", {where}." if where else ".")
        + " The agenda and your open action items are on the meeting page.",
        url=meeting.get_absolute_url(),
    )


REMINDER_KINDS.append(
    ReminderKind(
        key="steering.meeting_upcoming",
        label="Upcoming steering meetings",
        description="A committee you are on meets in the next few days (once per meeting).",
        target_model="steering.Meeting",
        due=_meetings_upcoming,
        message=_meeting_message,
        select_related=("committee",),
        still_due=still_in(_meetings_soon),
    )
)


# --- Decisions near their review date ---------------------------------------------------------


def _review_notice(now) -> datetime.date:
    return _today(now) + datetime.timedelta(days=settings.STEERING_REVIEW_NOTICE_DAYS)


def _decisions_near_review(now):
    """Closed decisions whose review date is within the notice days, or past (the review_date index)."""
    from .models import Decision

    return Decision.objects.filter(status=DecisionStatus.CLOSED, review_date__lte=_review_notice(now))


def _decisions_to_review(now):
    """One query on the review_date index, joined to the chair: once per decision and review date."""
    return (
        _decisions_near_review(now)
        .annotate(chair=FilteredRelation("committee__memberships", condition=Q(committee__memberships__role=MemberRole.CHAIR)))
        .filter(chair__isnull=False)
        .values(
            recipient_id=F("chair__user_id"),
            target_id=F("pk"),
            period=dated_period("review ", "review_date"),
        )
    )


def _decision_message(decision, reminder):
    today = timezone.localdate()
    when = "was due" if decision.review_date < today else "is due"
    decided = f" on {decision.decided_at:%Y-%m-%d}" if decision.decided_at else ""
    return Message(
        title=f"Review due on {decision.review_date:%Y-%m-%d}: {decision.title}",
        body=(
            f"{decision.committee} decided this{decided}; its review {when} on {decision.review_date:%Y-%m-%d}. "
            "Put it on the agenda of a meeting, or set a new review date."
        ),
        url=decision.get_absolute_url(),
    )


REMINDER_KINDS.append(
    ReminderKind(
        key="steering.decision_review_due",
        label="Steering decisions to review",
        description="A decision of a committee you chair comes up for review (once per review date).",
        target_model="steering.Decision",
        due=_decisions_to_review,
        message=_decision_message,
        select_related=("committee",),
        still_due=still_in(_decisions_near_review),
    )
)
