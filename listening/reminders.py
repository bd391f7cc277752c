"""Reminder kinds of the listening app (see docs/reminders.md and docs/pillars/listening.md).

- `listening.ack_overdue`: a new pain point past its acknowledgement due day; every active member
  of the "IT staff" group (the triage group), daily while it stays unanswered.
- `listening.ack_escalated`: the same pain point still unanswered at twice its SLA; the CIO
  group, once.
- `listening.analysis_stale`: a pain point "analysing" for LISTENING_ANALYSIS_STALE_DAYS days;
  its IT owner (whoever started the analysis, else whoever wrote the evaluation), weekly.
- `listening.unit_not_listened`: an active business unit without a listening session in
  LISTENING_COVERAGE_DAYS days; IT leadership (the CIO group), weekly.

Every `due(now)` is one indexed query (a fan-out of two with `to_each`, which the sweep runs as
one CROSS JOIN inside its insert), dates come from `now` (tests move it), and each `message()`
reads only what `select_related` loaded.
"""

import datetime

from django.conf import settings
from django.db.models import BigIntegerField, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from partnership.notifications import Message, ReminderKind, period_day, period_week, still_in, to_each
from partnership.roles import Role

from .choices import PainPointStatus
from .sla import escalation_cutoff

# Collected by the notifications app when it is ready (partnership/declarations.py).
REMINDER_KINDS: list[ReminderKind] = []

ACK_OVERDUE = "listening.ack_overdue"
ACK_ESCALATED = "listening.ack_escalated"
ANALYSIS_STALE = "listening.analysis_stale"
UNIT_NOT_LISTENED = "listening.unit_not_listened"


def _members_of(role: str):
    """Ids of the active members of a role group (a values_list query, for `to_each`)."""
    from partnership.models import User

    return User.objects.filter(is_active=True, groups__name=role).order_by().values_list("pk", flat=True)


def _pain_points(now=None):
    from .models import PainPoint

    return PainPoint.objects.all()


def _declare_pain_point_kind(**fields) -> None:
    """Declare a kind of the pain points; its message reads their business unit."""
    REMINDER_KINDS.append(ReminderKind(target_model="listening.PainPoint", select_related=("business_unit",), **fields))


# --- Acknowledgement past its SLA: the IT triage group, daily ------------------------------------


def _unacknowledged(due_before: datetime.date):
    """New pain points whose due day is before `due_before` (the status + due-day index)."""
    return _pain_points().filter(status=PainPointStatus.NEW, ack_due_on__lt=due_before)


def _ack_overdue(now):
    rows = _unacknowledged(timezone.localdate(now)).values(target_id=F("pk"), period=Value(period_day(now)))
    return to_each(_members_of(Role.IT_STAFF), rows)


def _ack_overdue_message(pain_point, reminder):
    return Message(
        title=f"Acknowledge “{pain_point.title}”: its SLA has passed",
        body=(
            f"{pain_point.business_unit.name} raised it on {pain_point.created_at:%Y-%m-%d}; it was due to be "
            f"acknowledged by {pain_point.ack_due_on:%Y-%m-%d}. Acknowledge it, decline it with a reason "
            "or merge it into a duplicate."
        ),
        url=pain_point.get_absolute_url(),
    )


_still_new = still_in(_pain_points, status=PainPointStatus.NEW)

_declare_pain_point_kind(
    key=ACK_OVERDUE,
    label="Pain points waiting for acknowledgement",
    description="A new pain point passed its acknowledgement SLA (daily, to the IT triage group, until answered).",
    due=_ack_overdue,
    message=_ack_overdue_message,
    still_due=_still_new,
)


# --- ... still unanswered at twice the SLA: the CIO, once -----------------------------------------


def _ack_escalated(now):
    cutoff = escalation_cutoff(timezone.localdate(now))
    rows = _unacknowledged(cutoff + datetime.timedelta(days=1)).values(target_id=F("pk"), period=Value("once"))
    return to_each(_members_of(Role.CIO), rows)


def _ack_escalated_message(pain_point, reminder):
    return Message(
        title=f"Unanswered at twice its SLA: “{pain_point.title}”",
        body=(
            f"{pain_point.business_unit.name} raised it on {pain_point.created_at:%Y-%m-%d}. IT was due to "
            f"acknowledge it by {pain_point.ack_due_on:%Y-%m-%d} ({settings.LISTENING_ACK_SLA_DAYS} business "
            "days) and has not answered yet."
        ),
        url=pain_point.get_absolute_url(),
    )


_declare_pain_point_kind(
    key=ACK_ESCALATED,
    label="Pain points unanswered at twice their SLA (escalation)",
    description="A new pain point is still not acknowledged at twice its SLA (once, to the CIO).",
    due=_ack_escalated,
    message=_ack_escalated_message,
    still_due=_still_new,
)


# --- Analysis left lying: its IT owner, weekly ----------------------------------------------------


def _analysis_owner():
    """Who started the analysis (the actor of the latest move to "analysing"), else the evaluator."""
    from .models import PainPointStatusChange

    started_by = (
        PainPointStatusChange.objects.filter(pain_point=OuterRef("pk"), to_status=PainPointStatus.ANALYSING)
        .order_by("-at", "-id")
        .values("actor_id")[:1]
    )
    return Coalesce(Subquery(started_by), F("evaluation__evaluated_by_id"), output_field=BigIntegerField())


def _analysis_stale(now):
    since = now - datetime.timedelta(days=settings.LISTENING_ANALYSIS_STALE_DAYS)
    return _pain_points().filter(status=PainPointStatus.ANALYSING, status_changed_at__lte=since).values(
        recipient_id=_analysis_owner(), target_id=F("pk"), period=Value(period_week(now))
    )


def _analysis_stale_message(pain_point, reminder):
    return Message(
        title=f"Analysis open for {settings.LISTENING_ANALYSIS_STALE_DAYS}+ days: “{pain_point.title}”",
        body=(
            f"You started analysing this pain point of {pain_point.business_unit.name} on "
            f"{timezone.localdate(pain_point.status_changed_at):%Y-%m-%d}. Finish the evaluation and plan it, "
            "or decline it with a reason: the business is waiting for an answer."
        ),
        url=pain_point.get_absolute_url(),
    )


_declare_pain_point_kind(
    key=ANALYSIS_STALE,
    label="Pain points stuck in analysis",
    description="A pain point you analyse has been in analysis for days (weekly, until planned or declined).",
    due=_analysis_stale,
    message=_analysis_stale_message,
    still_due=still_in(_pain_points, status=PainPointStatus.ANALYSING),
)


# --- Business units IT has not listened to: IT leadership, weekly ---------------------------------


def _not_listened_units(now):
    """Active units, older than the coverage period, without a listening session in it."""
    from partnership.models import BusinessUnit

    from .models import ListeningSession

    days = settings.LISTENING_COVERAGE_DAYS
    since = timezone.localdate(now) - datetime.timedelta(days=days)
    recent = ListeningSession.objects.filter(business_unit=OuterRef("pk"), held_on__gte=since)
    units = BusinessUnit.objects.filter(is_active=True, created_at__lte=now - datetime.timedelta(days=days))
    return units.filter(~Exists(recent))


def _unit_not_listened(now):
    rows = _not_listened_units(now).values(target_id=F("pk"), period=Value(period_week(now)))
    return to_each(_members_of(Role.CIO), rows)


def _unit_not_listened_message(unit, reminder):
    days = settings.LISTENING_COVERAGE_DAYS
    return Message(
        title=f"IT has not listened to {unit.name} in {days} days",
        body=(
            f"No listening session with {unit.name} in the last {days} days. Plan one: a sales or "
            "marketing meeting, a day at the front line, a coffee, a one-to-one."
        ),
        url=reverse("listening:coverage"),
    )


REMINDER_KINDS.append(
    ReminderKind(
        key=UNIT_NOT_LISTENED,
        label="Business units not listened to",
        description="An active business unit had no listening session for a while (weekly, to IT leadership).",
        target_model="partnership.BusinessUnit",
        due=_unit_not_listened,
        message=_unit_not_listened_message,
        still_due=still_in(_not_listened_units),
    )
)
