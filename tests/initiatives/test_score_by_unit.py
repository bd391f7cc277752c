"""`measure_by_unit` of each proactivity indicator: the same numbers as `measure(window, unit)`
for every unit (an initiative concerning several units counts for each), in a number of
queries that does not grow with the number of units."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.choices import InitiativeStatus as S
from initiatives.choices import Origin as O
from initiatives.models import Initiative
from partnership.score import Window, registered_indicators
from partnership.score.scoring import gather_measures

from ..factories import BusinessUnitFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WINDOW = Window(start=TODAY - datetime.timedelta(days=89), end=TODAY)
KEYS = {"initiatives.yes_rate", "initiatives.it_originated", "initiatives.on_time_delivery"}

ORIGINS = [O.BUSINESS_REQUEST, O.PAIN_POINTS, O.IT_PROPOSED]
DECIDED = [S.APPROVED, S.REJECTED, S.IN_PROGRESS, S.CANCELLED]


def proactivity_indicators():
    indicators = [i for i in registered_indicators() if i.key.startswith("initiatives.")]
    assert {i.key for i in indicators} == KEYS
    return indicators


def _row(*, units, origin, status, proposed=None, decided=None, target=None, delivered=None):
    """Written directly: the measures read these columns and the units only."""
    now = timezone.now()
    initiative = Initiative.objects.create(
        title="Case",
        problem="p",
        proposal="q",
        origin=origin,
        status=status,
        proposed_at=None if proposed is None else now - datetime.timedelta(days=proposed),
        decided_at=None if decided is None else now - datetime.timedelta(days=decided),
        target_date=None if target is None else TODAY - datetime.timedelta(days=target),
        delivered_on=None if delivered is None else TODAY - datetime.timedelta(days=delivered),
    )
    initiative.business_units.set(units)
    return initiative


def seed(units, *, seed_no: int = 0):
    """Initiatives spread over the units in different ways: one unit, several units (they count
    for each), no unit (overall only), and rows outside the window or without a decision."""
    for n, unit in enumerate(units):
        neighbour = units[(n + 1) % len(units)]
        for k in range(1 + (n + seed_no) % 3):
            shared = [unit, neighbour] if k % 2 else [unit]
            _row(
                units=shared,
                origin=ORIGINS[(n + k + seed_no) % 3],
                status=DECIDED[(n * 2 + k) % 4],
                proposed=20 + k,
                decided=5 + k,
            )
            _row(
                units=shared,
                origin=ORIGINS[(n + k) % 3],
                status=S.DELIVERED,
                proposed=60,
                decided=50,
                target=10 + (n + k) % 3 * 5,  # 10, 15 or 20 days ago
                delivered=15,  # on time when the target is 15 or 20 days ago
            )
    # No unit: counted overall only.
    _row(units=[], origin=O.BUSINESS_REQUEST, status=S.REJECTED, proposed=10, decided=3)
    _row(units=[], origin=O.IT_PROPOSED, status=S.DELIVERED, proposed=40, decided=30, target=30, delivered=2)
    # Outside the window, or undecided: nowhere.
    _row(units=units[:1], origin=O.BUSINESS_REQUEST, status=S.APPROVED, proposed=300, decided=200)
    _row(units=units[:1], origin=O.PAIN_POINTS, status=S.PROPOSED, proposed=400)
    # Delivered without a target date: left out of on-time delivery.
    _row(units=units[:2], origin=O.IT_PROPOSED, status=S.DELIVERED, proposed=50, decided=40, delivered=3)


def test_measure_by_unit_gives_the_same_numbers_as_measure_for_each_unit():
    units = [BusinessUnitFactory() for _ in range(5)]
    idle = BusinessUnitFactory()  # concerned by nothing
    seed(units)
    for indicator in proactivity_indicators():
        by_unit = indicator.measure_by_unit(WINDOW)
        assert by_unit[None] == indicator.measure(WINDOW, None), indicator.key
        for unit in units:
            assert by_unit[unit.pk] == indicator.measure(WINDOW, unit), (indicator.key, unit.slug)
        assert idle.pk not in by_unit
        assert indicator.measure(WINDOW, idle).value is None
        assert set(by_unit) <= {None, *(u.pk for u in units)}


def test_an_initiative_concerning_two_units_counts_for_each_and_once_overall():
    sales, finance, hr = BusinessUnitFactory(), BusinessUnitFactory(), BusinessUnitFactory()
    _row(units=[sales, finance], origin=O.BUSINESS_REQUEST, status=S.APPROVED, proposed=10, decided=5)
    _row(units=[sales], origin=O.PAIN_POINTS, status=S.REJECTED, proposed=10, decided=5)
    _row(units=[hr], origin=O.IT_PROPOSED, status=S.APPROVED, proposed=10, decided=5)  # not a business request
    yes_rate = next(i for i in proactivity_indicators() if i.key == "initiatives.yes_rate").measure_by_unit(WINDOW)
    assert (yes_rate[sales.pk].value, yes_rate[sales.pk].records) == (50.0, 2)
    assert (yes_rate[finance.pk].value, yes_rate[finance.pk].records) == (100.0, 1)
    assert (yes_rate[None].value, yes_rate[None].records) == (50.0, 2)
    assert hr.pk not in yes_rate  # no business request decided: no data, no entry
    assert f"business_unit={finance.pk}" in yes_rate[finance.pk].url
    assert "business_unit" not in yes_rate[None].url


def test_without_any_data_only_the_overall_entry_is_there_and_it_says_no_data():
    BusinessUnitFactory()
    for indicator in proactivity_indicators():
        by_unit = indicator.measure_by_unit(WINDOW)
        assert list(by_unit) == [None]
        assert by_unit[None].value is None and by_unit[None].records == 0


@pytest.mark.parametrize("key", sorted(KEYS))
def test_measure_by_unit_runs_the_same_queries_for_2_and_for_8_units(key, django_assert_num_queries):
    indicator = next(i for i in proactivity_indicators() if i.key == key)
    seed([BusinessUnitFactory() for _ in range(2)])
    with django_assert_num_queries(2):
        small = indicator.measure_by_unit(WINDOW)
    seed([BusinessUnitFactory() for _ in range(6)], seed_no=1)
    with django_assert_num_queries(2):
        large = indicator.measure_by_unit(WINDOW)
    assert len([k for k in small if k is not None]) == 2
    assert len([k for k in large if k is not None]) == 8


def test_the_score_gathers_the_proactivity_pillar_for_every_unit_in_fixed_queries(monkeypatch):
    # Only this pillar's indicators: the other pillars have their own tests.
    monkeypatch.setattr("partnership.score.scoring.registered_indicators", proactivity_indicators)
    units = [BusinessUnitFactory() for _ in range(2)]
    seed(units)

    def gather(all_units):
        with CaptureQueriesContext(connection) as captured:
            gathered = gather_measures(WINDOW, all_units)
        return gathered, len(captured.captured_queries)

    _, small = gather(units)
    assert small == 6  # two aggregate queries per indicator
    more = units + [BusinessUnitFactory() for _ in range(6)]
    seed(more[2:], seed_no=1)
    gathered, large = gather(more)
    assert large == small
    assert gathered["initiatives.yes_rate"][more[-1].pk].has_data
