"""`measure_by_unit` of each sharing indicator: the same numbers as `measure(window, unit)` for
every unit, in a number of queries that does not grow with the number of units."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.score import Window, registered_indicators
from partnership.score.scoring import gather_measures
from steering.choices import AttendanceStatus, DecisionStatus, MemberRole, Side, Stance

from ..factories import BusinessUnitFactory, UserFactory
from . import factories
from .factories import days

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WINDOW = Window(start=TODAY - datetime.timedelta(days=89), end=TODAY)
STANCES = [Stance.SUPPORT, Stance.SUPPORT_WITH_CONCERNS, Stance.OPPOSE, Stance.ABSTAIN]
STATUSES = [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED]


def steering_indicators():
    indicators = [i for i in registered_indicators() if i.key.startswith("steering.")]
    assert len(indicators) == 4
    return indicators


def seed(units, *, seed_no: int = 0):
    """Meetings, decisions and events touching every unit in a different way, plus the cases
    that only count overall: business members without a unit, IT members, decisions without
    business positions, events nobody attended."""
    committee = factories.CommitteeFactory()
    nobody = factories.MembershipFactory(committee=committee, user=UserFactory(), side=Side.BUSINESS)  # no unit
    it_member = factories.MembershipFactory(committee=committee, user=UserFactory(), side=Side.IT)
    members = []
    for n, unit in enumerate(units):
        for _ in range(1 + n % 3):
            members.append(factories.MembershipFactory(committee=committee, user=UserFactory(business_unit=unit), side=Side.BUSINESS))
    for m in range(3):
        meeting = factories.MeetingFactory(committee=committee, starts_at=days(-5 - 20 * m))
        for n, member in enumerate(members):
            if (n + m + seed_no) % 5 != 4:  # some members were not recorded at some meetings
                factories.AttendanceFactory(meeting=meeting, member=member, status=STATUSES[(n + m) % 4])
        factories.AttendanceFactory(meeting=meeting, member=nobody, status=AttendanceStatus.PRESENT)
        factories.AttendanceFactory(meeting=meeting, member=it_member, status=AttendanceStatus.ABSENT)
    old = factories.MeetingFactory(committee=committee, starts_at=days(-200))
    factories.AttendanceFactory(meeting=old, member=members[0], status=AttendanceStatus.ABSENT)

    for d in range(4):
        decision = factories.DecisionFactory(committee=committee, status=DecisionStatus.CLOSED, decided_at=TODAY - datetime.timedelta(days=3 + d), outcome="x")
        for n, member in enumerate(members):
            if (n + d) % 3 != 2:
                factories.PositionFactory(decision=decision, member=member, stance=STANCES[(n * d + d) % 4])
        factories.PositionFactory(decision=decision, member=it_member, stance=Stance.OPPOSE)
    factories.DecisionFactory(committee=committee, status=DecisionStatus.CLOSED, decided_at=TODAY, outcome="x")  # no positions
    open_decision = factories.DecisionFactory(committee=committee)
    factories.PositionFactory(decision=open_decision, member=members[0])

    for e, audience in enumerate([[], units[:1], units[1:3], [], units[-1:]]):
        event = factories.EventFactory(starts_at=days(-2 - 10 * e))
        event.audience_units.set(audience)
        for n, unit in enumerate(units):
            if (n + e) % 2 == 0:  # walk-ins from uninvited units count for their unit too
                factories.RegistrationFactory(event=event, user=UserFactory(business_unit=unit), attended_at=event.starts_at)
        factories.RegistrationFactory(event=event, user=UserFactory(), attended_at=event.starts_at)  # IT
        factories.RegistrationFactory(event=event, user=UserFactory(business_unit=units[0]))  # registered, did not come
    upcoming = factories.EventFactory(starts_at=days(5))
    factories.RegistrationFactory(event=upcoming, user=UserFactory(business_unit=units[0]))


def test_measure_by_unit_gives_the_same_numbers_as_measure_for_each_unit():
    units = [BusinessUnitFactory() for _ in range(5)]
    idle = BusinessUnitFactory()  # no people, no data
    seed(units)
    for indicator in steering_indicators():
        by_unit = indicator.measure_by_unit(WINDOW)
        assert by_unit[None] == indicator.measure(WINDOW, None), indicator.key
        for unit in [*units, idle]:
            expected = indicator.measure(WINDOW, unit)
            if unit.pk in by_unit:
                assert by_unit[unit.pk] == expected, (indicator.key, unit.slug)
            else:
                assert expected.value is None, (indicator.key, unit.slug)
        assert set(by_unit) <= {None, *(u.pk for u in [*units, idle])}


def test_units_with_data_have_values_and_units_without_get_no_entry():
    units = [BusinessUnitFactory() for _ in range(3)]
    idle = BusinessUnitFactory()
    seed(units)
    by_key = {i.key: i.measure_by_unit(WINDOW) for i in steering_indicators()}
    for key in ("steering.business_attendance", "steering.decisions_with_buy_in"):
        assert idle.pk not in by_key[key]
        assert all(by_key[key][u.pk].has_data for u in units)
        assert f"unit={units[0].slug}" in by_key[key][units[0].pk].url
    # Events open to everyone were held, so every unit has a count (0 is data for a count).
    assert by_key["steering.events_held"][idle.pk].value == 2
    assert by_key["steering.events_held"][None].value == 5


def test_the_overall_measure_counts_what_belongs_to_no_unit():
    unit = BusinessUnitFactory()
    committee = factories.CommitteeFactory()
    meeting = factories.MeetingFactory(committee=committee, starts_at=days(-3))
    without_unit = factories.MembershipFactory(committee=committee, user=UserFactory(), side=Side.BUSINESS)
    factories.AttendanceFactory(meeting=meeting, member=without_unit, status=AttendanceStatus.PRESENT)
    chair = factories.MembershipFactory(committee=committee, user=UserFactory(business_unit=unit), side=Side.BUSINESS, role=MemberRole.CHAIR)
    factories.AttendanceFactory(meeting=meeting, member=chair, status=AttendanceStatus.ABSENT)
    attendance = next(i for i in steering_indicators() if i.key == "steering.business_attendance").measure_by_unit(WINDOW)
    assert (attendance[None].value, attendance[None].records) == (50.0, 2)
    assert (attendance[unit.pk].value, attendance[unit.pk].records) == (0.0, 1)


@pytest.mark.parametrize("indicator_key", ["steering.business_attendance", "steering.decisions_with_buy_in",
                                           "steering.events_held", "steering.event_business_attendance"])
def test_measure_by_unit_runs_the_same_queries_for_2_and_for_8_units(indicator_key, django_assert_num_queries):
    indicator = next(i for i in steering_indicators() if i.key == indicator_key)
    seed([BusinessUnitFactory() for _ in range(2)])
    with django_assert_num_queries(2, exact=False) as captured:
        indicator.measure_by_unit(WINDOW)
    small = len(captured.captured_queries)
    assert small <= 2
    seed([BusinessUnitFactory() for _ in range(6)], seed_no=1)
    with django_assert_num_queries(small):
        result = indicator.measure_by_unit(WINDOW)
    assert len([k for k in result if k is not None]) >= 2


def test_the_score_gathers_the_sharing_pillar_for_every_unit_in_fixed_queries(monkeypatch):
    # Only this pillar's indicators: the other pillars have their own tests.
    monkeypatch.setattr("partnership.score.scoring.registered_indicators", steering_indicators)
    units = [BusinessUnitFactory() for _ in range(2)]
    seed(units)

    def gather(all_units):
        with CaptureQueriesContext(connection) as captured:
            gathered = gather_measures(WINDOW, all_units)
        return gathered, len(captured.captured_queries)

    gathered, small = gather(units)
    assert small <= 8
    more = units + [BusinessUnitFactory() for _ in range(6)]
    seed(more[2:], seed_no=1)
    gathered, large = gather(more)
    assert large == small
    assert gathered["steering.business_attendance"][more[-1].pk].has_data
