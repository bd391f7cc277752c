"""The yearly commitment: met, on track, at risk, missed; across year boundaries and fiscal years."""

import datetime

import pytest

from revenue.choices import Stage
from revenue.figures import commitment_for_year, commitment_history
from revenue.selectors import yearly_commitment

from .factories import RevenueProjectFactory

d = datetime.date

# id, year, first month, today, execution dates, current stages, expected status
CASES = [
    ("executed this year: met", 2026, 1, d(2026, 3, 1), [d(2026, 2, 10)], [], "met"),
    ("met early stays met, whatever else", 2026, 1, d(2026, 11, 1), [d(2026, 1, 1)], [Stage.IDENTIFY], "met"),
    ("a past year without execution: missed", 2025, 1, d(2026, 3, 1), [d(2026, 2, 10)], [Stage.ACCEPTANCE], "missed"),
    ("a past year with an execution: met", 2025, 1, d(2026, 3, 1), [d(2025, 12, 31)], [], "met"),
    ("executed on 31 December counts for that year, not the next", 2026, 1, d(2026, 1, 5), [d(2025, 12, 31)], [], "on_track"),
    ("executed on 1 January counts for the new year", 2026, 1, d(2026, 1, 5), [d(2026, 1, 1)], [], "met"),
    ("a project in acceptance: on track", 2026, 1, d(2026, 10, 1), [], [Stage.ACCEPTANCE, Stage.IDENTIFY], "on_track"),
    ("the sixth month, nothing past identify: still on track", 2026, 1, d(2026, 6, 30), [], [Stage.IDENTIFY], "on_track"),
    ("after the sixth month, nothing past identify: at risk", 2026, 1, d(2026, 7, 1), [], [Stage.IDENTIFY], "at_risk"),
    ("after the sixth month with no project at all: at risk", 2026, 1, d(2026, 12, 31), [], [], "at_risk"),
    ("after the sixth month with a project in develop: on track", 2026, 1, d(2026, 8, 1), [], [Stage.DEVELOP], "on_track"),
    ("support from last year does not meet this year", 2026, 1, d(2026, 9, 1), [d(2025, 5, 1)], [Stage.SUPPORT], "at_risk"),
    ("fiscal year from April: February belongs to the year before", 2025, 4, d(2026, 3, 31), [d(2026, 2, 10)], [], "met"),
    ("fiscal year from April: the new fiscal year starts empty", 2026, 4, d(2026, 4, 1), [d(2026, 2, 10)], [], "on_track"),
    ("fiscal year from April: last fiscal year is over and met", 2025, 4, d(2026, 4, 1), [d(2026, 2, 10)], [], "met"),
    ("fiscal year from April: September is its sixth month", 2026, 4, d(2026, 9, 30), [], [Stage.IDENTIFY], "on_track"),
    ("fiscal year from April: October is past the sixth month", 2026, 4, d(2026, 10, 1), [], [Stage.IDENTIFY], "at_risk"),
    ("fiscal year from April: a March execution is the old year's", 2026, 4, d(2027, 4, 2), [d(2026, 3, 31)], [], "missed"),
]


@pytest.mark.parametrize(
    ("year", "first_month", "today", "executed", "stages", "status"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_commitment_status(year, first_month, today, executed, stages, status):
    result = commitment_for_year(
        year=year, today=today, executed_dates=executed, active_stages=stages, first_month=first_month
    )
    assert result.status == status
    assert result.reason


def test_the_history_lists_the_current_year_first_then_the_past_years_back_to_the_first_project():
    years = commitment_history(
        today=d(2026, 11, 27),
        executed_dates=[d(2024, 5, 1), d(2026, 2, 1)],
        active_stages=[],
        first_year=2023,
    )
    assert [(y.year, y.status, y.is_current) for y in years] == [
        (2026, "met", True),
        (2025, "missed", False),
        (2024, "met", False),
        (2023, "missed", False),
    ]
    assert years[0].executed == 1


def test_the_history_is_capped_and_shows_only_the_current_year_without_projects():
    assert len(commitment_history(today=d(2026, 1, 1), executed_dates=[], active_stages=[], first_year=2001)) == 6
    only = commitment_history(today=d(2026, 1, 1), executed_dates=[], active_stages=[], first_year=None)
    assert [y.year for y in only] == [2026]


@pytest.mark.django_db
def test_the_commitment_selector_reads_execution_dates_and_stages(sales, settings, django_assert_num_queries):
    RevenueProjectFactory(stage=Stage.SUPPORT, executed_on=d(2025, 12, 31), stage_changed_on=d(2025, 6, 1),
                          business_units=[sales])
    RevenueProjectFactory(stage=Stage.ACCEPTANCE, stage_changed_on=d(2026, 8, 1), business_units=[sales])
    with django_assert_num_queries(3):
        years = yearly_commitment(today=d(2026, 9, 1))
    assert [(y.label, y.status) for y in years] == [("2026", "on_track"), ("2025", "met")]

    settings.REVENUE_FISCAL_YEAR_FIRST_MONTH = 4
    years = yearly_commitment(today=d(2026, 2, 1))
    assert [(y.label, y.status) for y in years] == [("FY 2025/26", "met")]


@pytest.mark.django_db
def test_a_units_commitment_counts_only_its_projects(sales, finance):
    RevenueProjectFactory(stage=Stage.EXECUTE, executed_on=d(2026, 3, 1), business_units=[sales])
    assert yearly_commitment(today=d(2026, 9, 1), business_unit=sales)[0].status == "met"
    assert yearly_commitment(today=d(2026, 9, 1), business_unit=finance)[0].status == "at_risk"
