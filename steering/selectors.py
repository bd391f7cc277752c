"""Reads of the steering app: querysets ready for pages, API and exports, and the measures.

Each measure runs a fixed number of aggregate queries whatever the size of the data; the
indicators of the partnership score (indicators.py) are built on them.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, TruncQuarter
from django.urls import reverse
from django.utils import timezone

from partnership.agenda import PER_SOURCE, AgendaEntry, AgendaSource
from partnership.models import BusinessUnit
from partnership.roles import Role
from partnership.score import Measure, Window

from .choices import VOTING_ROLES, AttendanceStatus, DecisionStatus, Side
from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Event,
    Meeting,
    Membership,
    Position,
    Registration,
)

# --- Querysets for pages and the API ------------------------------------------------------------


def members_prefetch():
    return Prefetch("memberships", queryset=Membership.objects.select_related("user__business_unit"))


def positions_prefetch():
    return Prefetch("positions", queryset=Position.objects.select_related("member__user__business_unit"))


def committee_list(*, user, q: str = "", scope: str = ""):
    committees = Committee.objects.for_user(user).prefetch_related(members_prefetch()).annotate(
        open_decisions=Count("decisions", filter=Q(decisions__status=DecisionStatus.OPEN), distinct=True),
    )
    if q:
        committees = committees.filter(Q(name__icontains=q) | Q(purpose__icontains=q))
    if scope:
        committees = committees.filter(scope=scope)
    return committees


def meeting_list(*, user, committee=None, date_from=None, date_to=None, business_unit=None, q: str = ""):
    meetings = Meeting.objects.for_user(user).select_related("committee").annotate(
        present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT), distinct=True),
        business_present=Count(
            "attendance",
            filter=Q(attendance__status=AttendanceStatus.PRESENT, attendance__member__side=Side.BUSINESS),
            distinct=True,
        ),
        business_recorded=Count("attendance", filter=Q(attendance__member__side=Side.BUSINESS), distinct=True),
    )
    if committee:
        meetings = meetings.filter(committee=committee)
    if date_from:
        meetings = meetings.filter(starts_at__date__gte=date_from)
    if date_to:
        meetings = meetings.filter(starts_at__date__lte=date_to)
    if business_unit:
        meetings = meetings.filter(
            pk__in=Attendance.objects.filter(member__user__business_unit=business_unit).values("meeting_id")
        )
    if q:
        meetings = meetings.filter(Q(title__icontains=q) | Q(committee__name__icontains=q))
    return meetings


def meeting_detail_queryset(user):
    return Meeting.objects.for_user(user).select_related("committee", "scheduled_by").prefetch_related(
        Prefetch("committee__memberships", queryset=Membership.objects.select_related("user__business_unit")),
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter")),
        Prefetch("attendance", queryset=Attendance.objects.select_related("member")),
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
        Prefetch("decisions", queryset=Decision.objects.order_by("created_at")),
    )


def decision_register(
    *,
    user,
    q: str = "",
    topic: str = "",
    status: str = "",
    buy_in: str = "",
    review_due: bool = False,
    committee=None,
    date_from=None,
    date_to=None,
    business_unit=None,
):
    """Decisions with their business buy-in and every position (dissent included)."""
    decisions = (
        Decision.objects.for_user(user)
        .select_related("committee", "meeting", "proposed_by")
        .with_buy_in()
        .prefetch_related(positions_prefetch())
    )
    if q:
        decisions = decisions.filter(Q(title__icontains=q) | Q(context__icontains=q) | Q(outcome__icontains=q))
    if topic:
        decisions = decisions.filter(topic=topic)
    if status:
        decisions = decisions.filter(status=status)
    if buy_in == "yes":
        decisions = decisions.filter(has_buy_in=True)
    elif buy_in == "no":
        decisions = decisions.filter(has_buy_in=False, business_positions__gt=0)
    elif buy_in == "none":
        decisions = decisions.filter(business_positions=0)
    if review_due:
        decisions = decisions.review_due().order_by("review_date", "id")
    if committee:
        decisions = decisions.filter(committee=committee)
    if date_from:
        decisions = decisions.filter(decided_at__gte=date_from)
    if date_to:
        decisions = decisions.filter(decided_at__lte=date_to)
    if business_unit:
        decisions = decisions.filter(
            pk__in=Position.objects.filter(
                member__side=Side.BUSINESS, member__user__business_unit=business_unit
            ).values("decision_id")
        )
    return decisions


def action_item_list(*, user, state: str = "", owner=None, date_from=None, date_to=None, business_unit=None):
    items = ActionItem.objects.for_user(user).select_related("meeting__committee", "owner")
    today = timezone.localdate()
    if state == "open":
        items = items.open()
    elif state == "overdue":
        items = items.overdue(today)
    elif state == "done":
        items = items.filter(done_at__isnull=False)
    if owner is not None:
        items = items.filter(owner=owner)
    if date_from:
        items = items.filter(due_date__gte=date_from)
    if date_to:
        items = items.filter(due_date__lte=date_to)
    if business_unit:
        items = items.filter(owner__business_unit=business_unit)
    return items


def action_item_list_url(*, state: str = "", business_unit=None) -> str:
    """The action item list page, filtered as `action_item_list` is."""
    return _url("steering:action-item-list", state=state, unit=_unit_slug(business_unit))


def event_list(*, user, when: str = "upcoming", kind: str = "", q: str = "", date_from=None, date_to=None):
    now = timezone.now()
    events = (
        Event.objects.for_user(user)
        .select_related("host")
        .prefetch_related("audience_units")
        .annotate(
            registered=Count("registrations", distinct=True),
            attendees=Count("registrations", filter=Q(registrations__attended_at__isnull=False), distinct=True),
            business_attendees=Count(
                "registrations",
                filter=Q(registrations__attended_at__isnull=False, registrations__user__business_unit__isnull=False),
                distinct=True,
            ),
            average_rating=Avg("registrations__rating"),
            is_registered=Exists(Registration.objects.filter(event=OuterRef("pk"), user_id=user.pk)),
        )
    )
    if when == "upcoming":
        events = events.filter(starts_at__gte=now).order_by("starts_at", "id")
    elif when == "past":
        events = events.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    if kind:
        events = events.filter(kind=kind)
    if q:
        events = events.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if date_from:
        events = events.filter(starts_at__date__gte=date_from)
    if date_to:
        events = events.filter(starts_at__date__lte=date_to)
    return events


def event_detail_queryset(user):
    return Event.objects.for_user(user).select_related("host").prefetch_related(
        "audience_units",
        Prefetch("registrations", queryset=Registration.objects.select_related("user__business_unit")),
    )


# --- Measures -------------------------------------------------------------------------------------


def _url(name: str, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _unit_slug(business_unit) -> str:
    return getattr(business_unit, "slug", "") if business_unit is not None else ""


def business_attendance_rate(window: Window, business_unit=None) -> Measure:
    """Percent of the business members' recorded attendance at meetings in the window that was "present"."""
    rows = Attendance.objects.filter(
        member__side=Side.BUSINESS, meeting__starts_at__date__range=(window.start, window.end)
    )
    if business_unit is not None:
        rows = rows.filter(member__user__business_unit=business_unit)
    counts = rows.aggregate(total=Count("id"), present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)))
    return _attendance_measure(window, counts["total"], counts["present"], _unit_slug(business_unit))


def _attendance_measure(window: Window, total: int, present: int, unit_slug: str = "") -> Measure:
    return Measure(
        value=round(100 * present / total, 1) if total else None,
        records=total,
        url=_url("steering:meeting-list", **{"from": window.start, "to": window.end, "unit": unit_slug}),
    )


def business_attendance_rate_by_unit(window: Window) -> dict:
    """`business_attendance_rate` for every business unit and overall, in one query.

    Business members without a unit count in the overall rate only.
    """
    rows = list(
        Attendance.objects.filter(member__side=Side.BUSINESS, meeting__starts_at__date__range=(window.start, window.end))
        .values("member__user__business_unit", "member__user__business_unit__slug")
        .annotate(total=Count("id"), present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)))
        .order_by()
    )
    result = {
        row["member__user__business_unit"]: _attendance_measure(
            window, row["total"], row["present"], row["member__user__business_unit__slug"]
        )
        for row in rows
        if row["member__user__business_unit"] is not None
    }
    result[None] = _attendance_measure(window, sum(r["total"] for r in rows), sum(r["present"] for r in rows))
    return result


def decisions_with_buy_in_share(window: Window, business_unit=None) -> Measure:
    """Percent of the decisions closed in the window that have business buy-in.

    A decision closed without any business position counts as one without buy-in: buy-in is
    measured, not assumed. For a business unit: the decisions its business members took a
    position on.
    """
    decisions = Decision.objects.filter(status=DecisionStatus.CLOSED, decided_at__range=(window.start, window.end))
    if business_unit is not None:
        decisions = decisions.filter(
            pk__in=Position.objects.filter(
                member__side=Side.BUSINESS, member__user__business_unit=business_unit
            ).values("decision_id")
        )
    flags = list(decisions.with_buy_in().values_list("has_buy_in", flat=True))
    return _buy_in_measure(window, len(flags), sum(flags), _unit_slug(business_unit))


def _buy_in_measure(window: Window, total: int, with_buy_in: int, unit_slug: str = "") -> Measure:
    return Measure(
        value=round(100 * with_buy_in / total, 1) if total else None,
        records=total,
        url=_url(
            "steering:decision-list",
            status=DecisionStatus.CLOSED,
            **{"from": window.start, "to": window.end, "unit": unit_slug},
        ),
    )


def decisions_with_buy_in_share_by_unit(window: Window) -> dict:
    """`decisions_with_buy_in_share` for every business unit and overall, in two queries.

    Buy-in is a property of the whole decision (all business positions), so the decisions with
    buy-in are a subquery; each unit counts the distinct decisions its business members took a
    position on.
    """
    closed = Decision.objects.filter(status=DecisionStatus.CLOSED, decided_at__range=(window.start, window.end))
    with_buy_in = closed.with_buy_in().filter(has_buy_in=True).values("pk")
    overall = closed.aggregate(total=Count("pk"), with_buy_in=Count("pk", filter=Q(pk__in=with_buy_in)))
    rows = (
        Position.objects.filter(
            member__side=Side.BUSINESS,
            member__user__business_unit__isnull=False,
            decision__in=closed.values("pk"),
        )
        .values("member__user__business_unit", "member__user__business_unit__slug")
        .annotate(
            total=Count("decision", distinct=True),
            with_buy_in=Count("decision", distinct=True, filter=Q(decision__in=with_buy_in)),
        )
        .order_by()
    )
    result = {
        row["member__user__business_unit"]: _buy_in_measure(
            window, row["total"], row["with_buy_in"], row["member__user__business_unit__slug"]
        )
        for row in rows
    }
    result[None] = _buy_in_measure(window, overall["total"], overall["with_buy_in"])
    return result


def overdue_action_items(window: Window, business_unit=None, today: datetime.date | None = None) -> Measure:
    """How many of the action items due in the window are overdue (still open after their due date)."""
    today = today or timezone.localdate()
    items = ActionItem.objects.filter(due_date__range=(window.start, window.end))
    if business_unit is not None:
        items = items.filter(owner__business_unit=business_unit)
    counts = items.aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(done_at__isnull=True, due_date__lt=today))
    )
    return Measure(
        value=counts["overdue"] if counts["total"] else None,
        records=counts["overdue"],
        url=_url(
            "steering:action-item-list",
            state="overdue",
            **{"from": window.start, "to": window.end, "unit": _unit_slug(business_unit)},
        ),
    )


def _held_events(window: Window, business_unit=None, now=None):
    now = now or timezone.now()
    events = Event.objects.filter(starts_at__date__range=(window.start, window.end), starts_at__lt=now)
    if business_unit is not None:
        # Events open to everyone, or to this unit.
        audience = Event.audience_units.through.objects.filter(event_id=OuterRef("pk"))
        events = events.filter(~Exists(audience) | Exists(audience.filter(businessunit=business_unit)))
    return events


def _business_attendance(window: Window, business_unit=None, now=None):
    rows = Registration.objects.filter(
        event__in=_held_events(window, None, now).values("pk"),
        attended_at__isnull=False,
        user__business_unit__isnull=False,
    )
    if business_unit is not None:
        rows = rows.filter(user__business_unit=business_unit)
    return rows


def _events_url(window: Window) -> str:
    return _url("steering:event-list", when="past", **{"from": window.start, "to": window.end})


def _held_measure(window: Window, held: int) -> Measure:
    return Measure(value=held, records=held, url=_events_url(window))


def _attendees_measure(window: Window, held: int, attendees: int) -> Measure:
    return Measure(value=round(attendees / held, 1) if held else None, records=attendees, url=_events_url(window))


def events_held(window: Window, business_unit=None) -> Measure:
    """Open days, workshops, informal meetings and trainings held in the window (a count; 0 is data)."""
    return _held_measure(window, _held_events(window, business_unit).count())


def business_attendees_per_event(window: Window, business_unit=None) -> Measure:
    """Business people who attended, per event held in the window."""
    held = _held_events(window, business_unit).count()
    attendees = _business_attendance(window, business_unit).count()
    return _attendees_measure(window, held, attendees)


def _events_by_unit(window: Window) -> tuple[dict, list[dict]]:
    """Two queries: the events held overall (and how many were open to everyone), and per unit
    the held events that invited it by name and its business people who attended.

    A unit sees the events open to everyone plus those that invited it, so every unit has a
    count (0 is data for "events held").
    """
    now = timezone.now()
    held = _held_events(window, None, now)
    audience = Event.audience_units.through.objects.filter(event_id=OuterRef("pk"))
    overall = held.aggregate(
        total=Count("pk"),
        open_to_all=Count("pk", filter=~Exists(audience)),
    )
    invited = (
        Event.audience_units.through.objects.filter(businessunit=OuterRef("pk"), event__in=held.values("pk"))
        .order_by()
        .values("businessunit")
        .annotate(n=Count("event", distinct=True))
        .values("n")
    )
    attended = (
        _business_attendance(window, None, now)
        .filter(user__business_unit=OuterRef("pk"))
        .order_by()
        .values("user__business_unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = list(
        BusinessUnit.objects.order_by()
        .annotate(
            invited=Coalesce(Subquery(invited, output_field=IntegerField()), 0),
            attendees=Coalesce(Subquery(attended, output_field=IntegerField()), 0),
        )
        .values("pk", "invited", "attendees")
    )
    overall["attendees"] = sum(u["attendees"] for u in units)
    return overall, units


def events_held_by_unit(window: Window) -> dict:
    """`events_held` for every business unit and overall, in two queries."""
    overall, units = _events_by_unit(window)
    result = {u["pk"]: _held_measure(window, overall["open_to_all"] + u["invited"]) for u in units}
    result[None] = _held_measure(window, overall["total"])
    return result


def business_attendees_per_event_by_unit(window: Window) -> dict:
    """`business_attendees_per_event` for every business unit and overall, in two queries."""
    overall, units = _events_by_unit(window)
    result = {}
    for unit in units:
        measure = _attendees_measure(window, overall["open_to_all"] + unit["invited"], unit["attendees"])
        if measure.has_data:
            result[unit["pk"]] = measure
    result[None] = _attendees_measure(window, overall["total"], overall["attendees"])
    return result


def average_event_rating(window: Window, business_unit=None) -> Measure:
    """The average 1-5 rating attendees gave the events held in the window."""
    rows = Registration.objects.filter(
        event__starts_at__date__range=(window.start, window.end), rating__isnull=False
    )
    if business_unit is not None:
        rows = rows.filter(user__business_unit=business_unit)
    result = rows.aggregate(average=Avg("rating"), count=Count("id"))
    return Measure(
        value=round(result["average"], 2) if result["count"] else None,
        records=result["count"],
        url=_url("steering:event-list", when="past", **{"from": window.start, "to": window.end}),
    )


def events_per_quarter(start: datetime.date, end: datetime.date, business_unit=None) -> list[dict]:
    """Events held and their business attendees, per calendar quarter (two queries)."""
    window = Window(start=start, end=end)
    held = (
        _held_events(window, business_unit)
        .annotate(quarter=TruncQuarter("starts_at"))
        .values("quarter")
        .annotate(events=Count("pk", distinct=True))
    )
    attended = (
        _business_attendance(window, business_unit)
        .annotate(quarter=TruncQuarter("event__starts_at"))
        .values("quarter")
        .annotate(attendees=Count("pk"))
    )
    rows: dict[datetime.date, dict] = {}
    for row in held:
        quarter = _as_date(row["quarter"])
        rows.setdefault(quarter, _quarter_row(quarter))["events_held"] = row["events"]
    for row in attended:
        quarter = _as_date(row["quarter"])
        rows.setdefault(quarter, _quarter_row(quarter))["business_attendees"] = row["attendees"]
    return [rows[q] for q in sorted(rows)]


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _quarter_row(quarter: datetime.date) -> dict:
    return {
        "quarter": quarter,
        "label": f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}",
        "events_held": 0,
        "business_attendees": 0,
    }


# --- What waits for me (partnership/agenda.py) ---------------------------------------------------


def agenda_positions(user, since) -> list[AgendaEntry]:
    """Open decisions of a committee where the user votes and has stated no position (one query)."""
    voting = Membership.objects.filter(committee=OuterRef("committee_id"), user=user, role__in=VOTING_ROLES)
    stated = Position.objects.filter(decision=OuterRef("pk"), member__user=user)
    waiting = (
        Decision.objects.for_user(user)
        .filter(Exists(voting), ~Exists(stated), status=DecisionStatus.OPEN)
        .select_related("committee")
        .order_by("-created_at", "-id")
    )
    return [
        AgendaEntry(
            kind="decision.position",
            title=f"Give your position on “{d.title}” ({d.committee.name})",
            url=d.get_absolute_url(),
            at=d.created_at,
        )
        for d in waiting[:PER_SOURCE]
    ]


def agenda_action_items(user, since) -> list[AgendaEntry]:
    """The open action items the user owns, the soonest due first (one query)."""
    items = ActionItem.objects.for_user(user).open().filter(owner=user).order_by("due_date", "id")
    return [
        AgendaEntry(
            kind="steering.action_item",
            title=item.title,
            url=reverse("steering:meeting-detail", args=[item.meeting_id]),
            at=item.created_at,
            due_on=item.due_date,
            detail="Overdue." if item.is_overdue else "",
        )
        for item in items[:PER_SOURCE]
    ]


AGENDA = (
    AgendaSource("steering.positions", frozenset({Role.BUSINESS_MANAGER, Role.IT_STAFF}), agenda_positions),
    AgendaSource(
        "steering.action_items", frozenset({Role.BUSINESS_MANAGER, Role.IT_STAFF, Role.CIO}), agenda_action_items
    ),
)
