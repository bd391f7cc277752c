"""The revenue pillar's score indicators: the yearly commitment and realised versus expected."""

import datetime
from decimal import Decimal

import pytest

from partnership.score import Window, registered_indicators
from revenue.choices import Stage
from revenue.indicators import realised_vs_expected, yearly_commitment

from .factories import RevenueEntryFactory, RevenueProjectFactory

pytestmark = pytest.mark.django_db

WINDOW = Window(start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30))


def test_both_indicators_are_registered_for_the_revenue_pillar():
    keys = {i.key: i.pillar for i in registered_indicators()}
    assert keys["revenue.yearly_commitment"] == "revenue"
    assert keys["revenue.realised_vs_expected"] == "revenue"


def test_no_projects_means_no_data_not_zero():
    assert yearly_commitment(WINDOW).value is None
    assert realised_vs_expected(WINDOW).value is None


@pytest.mark.parametrize(
    ("stage", "executed_on", "points"),
    [
        (Stage.EXECUTE, datetime.date(2026, 2, 1), 100),
        (Stage.ACCEPTANCE, None, 50),
        (Stage.IDENTIFY, None, 25),
    ],
    ids=["met", "on track", "at risk"],
)
def test_the_commitment_indicator_scores_the_years_status(sales, stage, executed_on, points):
    RevenueProjectFactory(stage=stage, executed_on=executed_on, stage_changed_on=datetime.date(2026, 1, 10),
                          business_units=[sales])
    measure = yearly_commitment(WINDOW)
    assert measure.value == points
    assert measure.url.startswith("/revenue/projects/?executed_year=2026")


def test_the_commitment_is_judged_at_the_windows_end(sales):
    RevenueProjectFactory(stage=Stage.IDENTIFY, stage_changed_on=datetime.date(2024, 1, 10), business_units=[sales])
    # The last day of 2025: the year is not over yet on that day, and nothing is past identify.
    assert yearly_commitment(Window(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))).value == 25


def test_realised_versus_expected_over_the_window_months(sales, finance, django_assert_num_queries):
    project = RevenueProjectFactory(
        stage=Stage.EXECUTE, executed_on=datetime.date(2026, 1, 15), expected_yearly_revenue=Decimal("12000"),
        business_units=[sales],
    )
    for month in (7, 8, 9):
        RevenueEntryFactory(project=project, month=datetime.date(2026, month, 1), amount=Decimal("1200"))
    RevenueEntryFactory(project=project, month=datetime.date(2026, 6, 1), amount=Decimal("99999"))
    with django_assert_num_queries(2):
        measure = realised_vs_expected(WINDOW)
    assert measure.value == Decimal("120.0")
    assert measure.records == 3
    assert "since=2026-07-01" in measure.url
    assert realised_vs_expected(WINDOW, business_unit=finance).value is None
    assert realised_vs_expected(WINDOW, business_unit=sales).value == Decimal("120.0")
