"""The measures of the sharing pillar, from tables of cases, and their fixed query counts."""

import datetime

import pytest
from django.utils import timezone

from partnership.score import Window, registered_indicators
from steering import selectors
from steering.choices import DecisionStatus, Side, Stance
from steering.models import Event

from ..factories import BusinessUnitFactory, UserFactory
from . import factories
from .factories import days

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WINDOW = Window(start=TODAY - datetime.timedelta(days=89), end=TODAY)
P, E, A = "present", "excused", "absent"


@pytest.fixture
def units():
    return {"sales": BusinessUnitFactory(name="Sales", slug="sales"), "finance": BusinessUnitFactory(name="Finance", slug="finance")}


# Attendance rows: (side, unit slug or None, status, meeting days ago)
ATTENDANCE_CASES = [
    pytest.param([], None, None, 0, id="no meetings: no data"),
    pytest.param([("business", "sales", P, 5), ("business", "sales", P, 5), ("business", "finance", A, 5)], None, 66.7, 3, id="two of three"),
    pytest.param([("business", "sales", P, 5), ("it", None, A, 5)], None, 100.0, 1, id="IT members do not count"),
    pytest.param([("business", "sales", E, 5), ("business", "sales", P, 200)], None, 0.0, 1, id="excused is not present; old meetings left out"),
    pytest.param([("business", "sales", P, 5), ("business", "finance", A, 5)], "sales", 100.0, 1, id="one unit"),
    pytest.param([("business", "finance", A, 5)], "sales", None, 0, id="a unit without members: no data"),
]


@pytest.mark.parametrize(("rows", "unit", "value", "records"), ATTENDANCE_CASES)
def test_business_attendance_rate(units, rows, unit, value, records):
    committee = factories.CommitteeFactory()
    meetings = {}
    for side, unit_slug, status, ago in rows:
        meeting = meetings.setdefault(ago, factories.MeetingFactory(committee=committee, starts_at=days(-ago)))
        user = UserFactory(business_unit=units.get(unit_slug))
        factories.AttendanceFactory(meeting=meeting, member=factories.MembershipFactory(committee=committee, user=user, side=side), status=status)
    measure = selectors.business_attendance_rate(WINDOW, units.get(unit))
    assert (measure.value, measure.records) == (value, records)
    assert measure.url.startswith("/steering/meetings/?from=")


# Decisions: (status, closed days ago, business stances of (unit, stance))
S, OP = Stance.SUPPORT, Stance.OPPOSE
BUY_IN_CASES = [
    pytest.param([], None, None, 0, id="nothing decided: no data"),
    pytest.param([("closed", 3, [("sales", S), ("finance", S)]), ("closed", 3, [("sales", S), ("finance", OP)])], None, 50.0, 2, id="one of two"),
    pytest.param([("closed", 3, []), ("closed", 3, [("sales", S)])], None, 50.0, 2, id="decided without the business counts as no buy-in"),
    pytest.param([("open", None, [("sales", S)]), ("closed", 300, [("sales", S)])], None, None, 0, id="open or old decisions left out"),
    pytest.param([("closed", 3, [("sales", S), ("finance", OP), ("finance", OP)]), ("closed", 3, [("finance", OP)])], "sales", 0.0, 1, id="a unit: the decisions it took a position on"),
]


@pytest.mark.parametrize(("decisions", "unit", "value", "records"), BUY_IN_CASES)
def test_share_of_decisions_with_business_buy_in(units, decisions, unit, value, records):
    committee = factories.CommitteeFactory()
    for status, ago, stances in decisions:
        decided = TODAY - datetime.timedelta(days=ago) if ago is not None else None
        decision = factories.DecisionFactory(committee=committee, status=status, decided_at=decided, outcome="x")
        for unit_slug, stance in stances:
            member = factories.MembershipFactory(committee=committee, user=UserFactory(business_unit=units[unit_slug]), side=Side.BUSINESS)
            factories.PositionFactory(decision=decision, member=member, stance=stance)
    measure = selectors.decisions_with_buy_in_share(WINDOW, units.get(unit))
    assert (measure.value, measure.records) == (value, records)
    assert "status=closed" in measure.url


# Action items: (due days from today, done)
OVERDUE_CASES = [
    pytest.param([], None, 0, id="no action items: no data"),
    pytest.param([(-5, False), (-5, True), (-1, False), (3, False)], 2, 2, id="two open past their due date"),
    pytest.param([(-200, False)], None, 0, id="due before the window"),
]


@pytest.mark.parametrize(("items", "value", "records"), OVERDUE_CASES)
def test_overdue_action_items(items, value, records):
    meeting = factories.MeetingFactory(starts_at=days(-60))
    for due, done in items:
        factories.ActionItemFactory(meeting=meeting, due_date=TODAY + datetime.timedelta(days=due), done_at=days(-1) if done else None)
    window = Window(start=TODAY - datetime.timedelta(days=89), end=TODAY + datetime.timedelta(days=30))
    measure = selectors.overdue_action_items(window)
    assert (measure.value, measure.records) == (value, records)


# Events: (days from today, audience slugs, attendees as (unit slug or None, rating or None))
EVENT_CASES = [
    pytest.param([], None, (0, None, None), id="no events: zero held, no attendance, no rating"),
    pytest.param(
        [(-10, [], [("sales", 5), ("finance", 3), (None, 4)]), (-20, ["finance"], [("finance", None)]), (5, [], [("sales", None)])],
        None, (2, 1.5, 4.0), id="two held, three business attendees",
    ),
    pytest.param(
        [(-10, [], [("sales", 5), ("finance", 3)]), (-20, ["finance"], [("finance", 4)])],
        "sales", (1, 1.0, 5.0), id="a unit sees the events open to it and its own people",
    ),
    pytest.param([(-200, [], [("sales", 5)])], None, (0, None, None), id="before the window"),
]


@pytest.mark.parametrize(("events", "unit", "expected"), EVENT_CASES)
def test_events_held_business_attendees_and_rating(units, events, unit, expected):
    for when, audience, attendees in events:
        event = factories.EventFactory(starts_at=days(when))
        event.audience_units.set([units[s] for s in audience])
        for unit_slug, rating in attendees:
            factories.RegistrationFactory(
                event=event, user=UserFactory(business_unit=units.get(unit_slug)),
                attended_at=event.starts_at if when < 0 else None, rating=rating,
            )
    business_unit = units.get(unit)
    held = selectors.events_held(WINDOW, business_unit)
    per_event = selectors.business_attendees_per_event(WINDOW, business_unit)
    rating = selectors.average_event_rating(WINDOW, business_unit)
    assert (held.value, per_event.value, rating.value) == expected


def test_events_and_business_attendees_per_quarter(units):
    this_quarter = factories.EventFactory(starts_at=days(-1))
    factories.RegistrationFactory(event=this_quarter, user=UserFactory(business_unit=units["sales"]), attended_at=days(-1))
    factories.RegistrationFactory(event=this_quarter, user=UserFactory(), attended_at=days(-1))  # IT: not business
    long_ago = factories.EventFactory(starts_at=days(-300))
    factories.RegistrationFactory(event=long_ago, user=UserFactory(business_unit=units["finance"]), attended_at=days(-300))
    factories.EventFactory(starts_at=days(-150))  # held, nobody came
    factories.EventFactory(starts_at=days(30))  # not held yet
    rows = selectors.events_per_quarter(TODAY - datetime.timedelta(days=365), TODAY)
    assert sum(r["events_held"] for r in rows) == 3
    assert sum(r["business_attendees"] for r in rows) == 2
    assert rows == sorted(rows, key=lambda r: r["quarter"])
    last = rows[-1]
    quarter_of_yesterday = (timezone.localtime(days(-1)).month - 1) // 3 + 1
    assert last["label"].endswith(f"Q{quarter_of_yesterday}")
    assert last["business_attendees"] >= 1


def test_the_sharing_pillar_registers_its_indicators():
    keys = {i.key for i in registered_indicators() if i.pillar == "sharing"}
    assert {
        "steering.business_attendance",
        "steering.decisions_with_buy_in",
        "steering.events_held",
        "steering.event_business_attendance",
    } <= keys


def _volume(n, units):
    committee = factories.CommitteeFactory()
    for i in range(n):
        meeting = factories.MeetingFactory(committee=committee, starts_at=days(-3 - i))
        member = factories.MembershipFactory(committee=committee, user=UserFactory(business_unit=units["sales"]))
        factories.AttendanceFactory(meeting=meeting, member=member)
        decision = factories.DecisionFactory(committee=committee, status=DecisionStatus.CLOSED, decided_at=TODAY, outcome="x")
        factories.PositionFactory(decision=decision, member=member)
        factories.ActionItemFactory(meeting=meeting, due_date=TODAY - datetime.timedelta(days=1))
        event = factories.EventFactory(starts_at=days(-2 - i))
        factories.RegistrationFactory(event=event, user=member.user, attended_at=event.starts_at, rating=4)


def test_each_indicator_runs_a_fixed_number_of_queries(units, django_assert_num_queries):
    indicators = [i for i in registered_indicators() if i.key.startswith("steering.")]
    _volume(1, units)
    counts = {}
    for indicator in indicators:
        for unit in (None, units["sales"]):
            with django_assert_num_queries(2, exact=False) as captured:
                indicator.measure(WINDOW, unit)
            counts[(indicator.key, unit)] = len(captured.captured_queries)
    _volume(6, units)
    for indicator in indicators:
        for unit in (None, units["sales"]):
            with django_assert_num_queries(counts[(indicator.key, unit)]):
                indicator.measure(WINDOW, unit)
    assert Event.objects.count() == 7
