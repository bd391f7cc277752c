"""The revenue indicators measured for every business unit at once (`measure_by_unit`): the same
numbers as one unit at a time, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from partnership.score import Window, registered_indicators
from revenue.choices import Stage
from revenue.indicators import realised_vs_expected_by_unit, yearly_commitment_by_unit
from revenue.models import RevenueStageChange
from tests.factories import BusinessUnitFactory

from .factories import RevenueEntryFactory, RevenueProjectFactory

pytestmark = pytest.mark.django_db

KEYS = ("revenue.yearly_commitment", "revenue.realised_vs_expected")
D = datetime.date


def revenue_indicators():
    return [i for i in registered_indicators() if i.key in KEYS]


def entries(project, months, amount="1000"):
    for month in months:
        RevenueEntryFactory(project=project, month=month, amount=Decimal(amount))


@pytest.fixture
def portfolio():
    """Eight units: projects in one or two units, one without a unit, abandoned, in every stage,
    with revenue and a stage history; three units without any project."""
    units = [BusinessUnitFactory() for _ in range(8)]
    u = units
    executed = RevenueProjectFactory(
        stage=Stage.EXECUTE,
        executed_on=D(2025, 3, 10),
        stage_changed_on=D(2025, 3, 10),
        expected_yearly_revenue=Decimal("12000"),
        business_units=[u[0]],
    )
    entries(executed, [D(2025, m, 1) for m in range(3, 13)], "950.50")
    shared = RevenueProjectFactory(
        stage=Stage.DEVELOP,
        stage_changed_on=D(2025, 5, 1),
        business_units=[u[0], u[1]],
        revenue_expected_from=D(2025, 9, 1),
        expected_yearly_revenue=Decimal("7000"),
    )
    RevenueStageChange.objects.create(project=shared, from_stage="", to_stage=Stage.IDENTIFY, changed_on=D(2025, 1, 5))
    entries(shared, [D(2025, 10, 1), D(2025, 11, 1)], "-120.25")
    RevenueProjectFactory(stage=Stage.ABANDONED, stage_changed_on=D(2025, 2, 1), business_units=[u[2]])
    RevenueProjectFactory(stage=Stage.IDENTIFY, stage_changed_on=D(2024, 1, 10), business_units=[u[3]])
    no_plan = RevenueProjectFactory(
        stage=Stage.ACCEPTANCE,
        stage_changed_on=D(2025, 6, 1),
        expected_yearly_revenue=Decimal("0"),
        business_units=[u[4], u[1]],
    )
    entries(no_plan, [D(2025, 7, 1), D(2025, 8, 1)], "300")
    orphan = RevenueProjectFactory(
        stage=Stage.SUPPORT,
        executed_on=D(2025, 1, 20),
        stage_changed_on=D(2025, 4, 1),
        expected_yearly_revenue=Decimal("36000"),
    )
    entries(orphan, [D(2025, m, 1) for m in range(1, 13)], "2999.99")
    recent = RevenueProjectFactory(
        stage=Stage.EXECUTE,
        executed_on=timezone.localdate(),
        business_units=[u[4]],
        expected_yearly_revenue=Decimal("5000"),
    )
    entries(recent, [timezone.localdate().replace(day=1)], "410")
    return units


WINDOWS = [
    Window(D(2025, 1, 1), D(2025, 2, 28)),  # before unit 0's project reached execute
    Window(D(2025, 1, 1), D(2025, 3, 31)),
    Window(D(2025, 4, 1), D(2025, 9, 30)),
    Window(D(2025, 7, 15), D(2025, 12, 31)),
    Window(D(2024, 1, 1), D(2024, 12, 31)),
    Window.last_days(30, timezone.localdate()),
    Window.last_days(365, timezone.localdate()),
]


@pytest.mark.parametrize("window", WINDOWS, ids=lambda w: f"{w.start}..{w.end}")
def test_every_unit_at_once_gives_the_same_measures_as_one_unit_at_a_time(portfolio, window):
    for indicator in revenue_indicators():
        by_unit = indicator.measure_by_unit(window)
        assert by_unit[None] == indicator.measure(window, None), indicator.key
        for unit in portfolio:
            alone = indicator.measure(window, unit)
            if unit.pk in by_unit:
                assert by_unit[unit.pk] == alone, (indicator.key, unit.slug)
            else:
                assert (alone.value, alone.records) == (None, 0), (indicator.key, unit.slug)
        assert set(by_unit) - {None} <= {unit.pk for unit in portfolio}


def test_units_with_data_get_an_entry_and_units_without_none(portfolio):
    window = Window(D(2025, 7, 1), D(2025, 12, 31))
    u = portfolio
    assert set(yearly_commitment_by_unit(window)) == {None, u[0].pk, u[1].pk, u[2].pk, u[3].pk, u[4].pk}
    realised = realised_vs_expected_by_unit(window)
    # Unit 4 has revenue but no plan in the window: its records count, its value is "no data".
    assert set(realised) == {None, u[0].pk, u[1].pk, u[4].pk}
    assert realised[u[4].pk].value is None and realised[u[4].pk].records == 2
    assert realised[u[0].pk].value is not None
    assert realised[u[0].pk].url.endswith(f"unit={u[0].slug}")


def test_no_projects_means_no_data_for_everyone(db):
    window = WINDOWS[1]
    assert yearly_commitment_by_unit(window) == {None: yearly_commitment_by_unit(window)[None]}
    assert yearly_commitment_by_unit(window)[None].value is None
    assert realised_vs_expected_by_unit(window)[None].value is None


def test_both_indicators_give_measure_by_unit_to_the_score():
    assert all(i.measure_by_unit is not None for i in revenue_indicators())
    assert len(revenue_indicators()) == 2


def _add_units_with_projects(count):
    units = BusinessUnitFactory.create_batch(count)
    for index, unit in enumerate(units):
        project = RevenueProjectFactory(
            stage=Stage.EXECUTE if index % 2 else Stage.DEVELOP,
            executed_on=D(2025, 2, 1) if index % 2 else None,
            stage_changed_on=D(2025, 1, 15),
            business_units=[unit],
        )
        entries(project, [D(2025, 2, 1), D(2025, 3, 1)])
    return units


def test_gathering_every_unit_costs_the_same_queries_with_2_or_8_units(django_assert_num_queries):
    window = Window(D(2025, 1, 1), D(2025, 12, 31))
    _add_units_with_projects(2)
    for measure_by_unit in (yearly_commitment_by_unit, realised_vs_expected_by_unit):
        with django_assert_num_queries(2):
            assert len(measure_by_unit(window)) == 3
    _add_units_with_projects(6)
    for measure_by_unit in (yearly_commitment_by_unit, realised_vs_expected_by_unit):
        with django_assert_num_queries(2):
            assert len(measure_by_unit(window)) == 9
