"""The proactivity measures, from tables of cases."""

import datetime

import pytest
from django.utils import timezone

from initiatives import selectors
from initiatives.choices import InitiativeStatus as S
from initiatives.choices import Origin as O
from initiatives.models import Initiative, Milestone, Risk
from partnership.score import Window, registered_indicators

from ..factories import BusinessUnitFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WINDOW = Window(start=TODAY - datetime.timedelta(days=89), end=TODAY)


def _at(days_ago):
    if days_ago is None:
        return None
    return timezone.now() - datetime.timedelta(days=days_ago)


def _day(days_ago):
    return None if days_ago is None else TODAY - datetime.timedelta(days=days_ago)


def _row(origin=O.IT_PROPOSED, status=S.PROPOSED, proposed=None, decided=None, target=None, delivered=None, unit=None):
    """Test data written directly: the measures read these columns only."""
    initiative = Initiative.objects.create(
        title="Case", problem="p", proposal="q", origin=origin, status=status,
        proposed_at=_at(proposed), decided_at=_at(decided), target_date=_day(target), delivered_on=_day(delivered),
    )
    if unit is not None:
        initiative.business_units.add(unit)
    return initiative


YES_RATE_CASES = [
    # (rows: (origin, status, decided days ago), expected value, expected records)
    ([], None, 0),
    ([(O.BUSINESS_REQUEST, S.APPROVED, 5)], 100.0, 1),
    ([(O.BUSINESS_REQUEST, S.APPROVED, 5), (O.PAIN_POINTS, S.REJECTED, 5)], 50.0, 2),
    # Approved then started, delivered or even cancelled: the answer was still "YES".
    ([(O.PAIN_POINTS, S.IN_PROGRESS, 5), (O.BUSINESS_REQUEST, S.CANCELLED, 5), (O.BUSINESS_REQUEST, S.REJECTED, 5)], 66.7, 3),
    # IT's own ideas are not business requests.
    ([(O.IT_PROPOSED, S.REJECTED, 5), (O.BUSINESS_REQUEST, S.APPROVED, 5)], 100.0, 1),
    # Decided outside the window, or not decided at all: left out.
    ([(O.BUSINESS_REQUEST, S.REJECTED, 200), (O.BUSINESS_REQUEST, S.PROPOSED, None)], None, 0),
]


@pytest.mark.parametrize(("rows", "value", "records"), YES_RATE_CASES)
def test_the_yes_rate(rows, value, records):
    for origin, status, decided in rows:
        _row(origin=origin, status=status, proposed=decided + 3 if decided else 10, decided=decided)
    measure = selectors.measure_yes_rate(WINDOW)
    assert (measure.value, measure.records) == (value, records)
    assert measure.url.startswith("/initiatives/?decided_after=")


DAYS_CASES = [
    # (rows: (proposed days ago, decided days ago), expected median days)
    ([], None),
    ([(10, 4)], 6.0),
    ([(10, 8), (30, 20), (50, 10)], 10.0),
    ([(10, 8), (30, 20)], 6.0),
    ([(300, 200)], None),  # decided before the window
]


@pytest.mark.parametrize(("rows", "value"), DAYS_CASES)
def test_the_median_days_from_proposal_to_decision(rows, value):
    for proposed, decided in rows:
        _row(status=S.APPROVED, proposed=proposed, decided=decided)
    assert selectors.measure_days_to_decision(WINDOW).value == value


IT_ORIGINATED_CASES = [
    ([], None),
    ([(O.IT_PROPOSED, 5)], 100.0),
    ([(O.IT_PROPOSED, 5), (O.BUSINESS_REQUEST, 5), (O.PAIN_POINTS, 5), (O.IT_PROPOSED, 5)], 50.0),
    ([(O.IT_PROPOSED, 200), (O.BUSINESS_REQUEST, 5)], 0.0),  # a real zero: business asked, IT did not
    ([(O.IT_PROPOSED, None)], None),  # an idea never proposed is not counted
]


@pytest.mark.parametrize(("rows", "value"), IT_ORIGINATED_CASES)
def test_the_share_of_it_originated_initiatives(rows, value):
    for origin, proposed in rows:
        _row(origin=origin, status=S.PROPOSED if proposed is not None else S.IDEA, proposed=proposed)
    assert selectors.measure_it_originated(WINDOW).value == value


ON_TIME_CASES = [
    # (rows: (target days ago, delivered days ago), expected)
    ([], None),
    ([(5, 10)], 100.0),  # delivered five days early
    ([(5, 5)], 100.0),  # on the day
    ([(10, 5)], 0.0),  # five days late
    ([(10, 5), (5, 10), (1, 3), (20, 2)], 50.0),
    ([(300, 250)], None),  # delivered before the window
]


@pytest.mark.parametrize(("rows", "value"), ON_TIME_CASES)
def test_the_on_time_delivery_rate(rows, value):
    for target, delivered in rows:
        _row(status=S.DELIVERED, target=target, delivered=delivered)
    assert selectors.measure_on_time_delivery(WINDOW).value == value


OVERDUE_CASES = [
    # (milestones: (due days ago, done?, initiative status), expected value, records)
    ([], None, 0),
    ([(3, False, S.IN_PROGRESS)], 1, 1),
    ([(3, True, S.IN_PROGRESS)], 0, 1),
    ([(3, False, S.IN_PROGRESS), (4, False, S.APPROVED), (5, True, S.IN_PROGRESS)], 2, 3),
    ([(3, False, S.CANCELLED)], None, 0),  # a cancelled initiative's milestones are not chased
    ([(-3, False, S.IN_PROGRESS)], None, 0),  # not due yet
]


@pytest.mark.parametrize(("rows", "value", "records"), OVERDUE_CASES)
def test_overdue_milestones(rows, value, records):
    for due, done, status in rows:
        initiative = _row(status=status)
        Milestone.objects.create(initiative=initiative, title="m", due_on=_day(due), done_on=_day(due) if done else None)
    measure = selectors.measure_overdue_milestones(WINDOW)
    assert (measure.value, measure.records) == (value, records)


def test_the_overdue_milestones_count_and_the_list_it_links_to_agree(client, carla):
    import re

    from initiatives.indicators import _overdue_milestones

    two_late = _row(status=S.IN_PROGRESS, target=-30)
    for due in (3, 4):
        Milestone.objects.create(initiative=two_late, title="late", due_on=_day(due))
    late_target_only = _row(status=S.IN_PROGRESS, target=3)  # overdue, but no late milestone
    Milestone.objects.create(initiative=late_target_only, title="done", due_on=_day(3), done_on=_day(3))
    measure = selectors.measure_overdue_milestones(WINDOW)
    attention = _overdue_milestones(carla)
    assert measure.value == attention.count == 2
    client.force_login(carla)
    for url in (measure.url, attention.url):
        page = client.get(url).content.decode()
        badges = [int(n) for n in re.findall(r"(\d+) overdue milestones?<", page)]
        assert sum(badges) == 2, url
        assert 'data-testid="late-milestones-filter"' in page


def test_a_measure_for_one_business_unit_counts_only_its_initiatives():
    sales, finance = BusinessUnitFactory(slug="m-sales"), BusinessUnitFactory(slug="m-finance")
    _row(origin=O.BUSINESS_REQUEST, status=S.APPROVED, proposed=9, decided=5, unit=sales)
    _row(origin=O.BUSINESS_REQUEST, status=S.REJECTED, proposed=9, decided=5, unit=finance)
    assert selectors.measure_yes_rate(WINDOW, sales).value == 100.0
    assert selectors.measure_yes_rate(WINDOW, finance).value == 0.0
    assert selectors.measure_yes_rate(WINDOW).value == 50.0
    assert f"business_unit={sales.pk}" in selectors.measure_yes_rate(WINDOW, sales).url


def test_the_measures_take_a_fixed_number_of_queries(django_assert_num_queries):
    _row(origin=O.BUSINESS_REQUEST, status=S.APPROVED, proposed=9, decided=5)
    with django_assert_num_queries(5):
        selectors.initiative_measures(WINDOW)
    for _ in range(20):
        _row(origin=O.BUSINESS_REQUEST, status=S.DELIVERED, proposed=9, decided=5, target=3, delivered=4)
    with django_assert_num_queries(5):
        selectors.initiative_measures(WINDOW)


def test_the_proactivity_indicators_are_registered():
    keys = {i.key for i in registered_indicators() if i.pillar == "proactivity"}
    assert {"initiatives.yes_rate", "initiatives.it_originated", "initiatives.on_time_delivery"} <= keys


def test_the_heat_map_puts_each_risk_in_its_cell():
    initiative = _row()
    risks = [
        Risk(initiative=initiative, description="a", probability=4, impact=5, score=20),
        Risk(initiative=initiative, description="b", probability=4, impact=5, score=20),
        Risk(initiative=initiative, description="c", probability=1, impact=2, score=2),
    ]
    grid = selectors.risk_heat_map(risks)
    assert [p for p, _ in grid] == [5, 4, 3, 2, 1]
    cells = {(c.probability, c.impact): c for _, row in grid for c in row}
    assert len(cells) == 25
    assert cells[(4, 5)].count == 2 and cells[(4, 5)].css == "table-danger"
    assert cells[(1, 2)].count == 1 and cells[(1, 2)].css == "table-success"
    assert cells[(2, 4)].css == "table-warning"


def test_the_overdue_filter_finds_late_targets_and_late_milestones():
    late_target = _row(status=S.IN_PROGRESS, target=3)
    late_milestone = _row(status=S.APPROVED, target=-30)
    Milestone.objects.create(initiative=late_milestone, title="m", due_on=_day(2))
    _row(status=S.IN_PROGRESS, target=-30)  # on track
    _row(status=S.DELIVERED, target=10, delivered=12)  # delivered: never overdue
    found = set(selectors.filter_overdue(Initiative.objects.all(), True).values_list("pk", flat=True))
    assert found == {late_target.pk, late_milestone.pk}
