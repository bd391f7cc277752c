"""The figures (realised, expected, variance, ROI, payback, run rate) from tables of cases."""

import datetime
from decimal import Decimal

import pytest

from revenue.figures import (
    Plan,
    add_months,
    compute_figures,
    months_between,
    year_bounds,
    year_label,
    year_of,
)

D = Decimal
JUNE = datetime.date(2026, 6, 15)


def monthly(start: datetime.date, *amounts) -> dict:
    return {add_months(start, i): D(a) for i, a in enumerate(amounts)}


JAN = datetime.date(2026, 1, 1)

# id, plan, entries, as_of, expected figures (only the keys named are checked)
CASES = [
    (
        "no costs and no revenue: nothing to measure",
        Plan(),
        {},
        JUNE,
        {"realised_to_date": D("0"), "expected_to_date": D("0"), "variance": D("0"), "variance_percent": None,
         "costs_to_date": D("0"), "roi": None, "payback_month": None, "run_rate": None, "months": []},
    ),
    (
        "no revenue yet: the investment and three months of running cost are lost so far",
        Plan(D("12000"), D("1200"), D("12000"), datetime.date(2026, 4, 20)),
        {},
        JUNE,
        {"months_live": 3, "expected_to_date": D("3000.00"), "costs_to_date": D("12300.00"), "realised_to_date": D("0"),
         "variance": D("-3000.00"), "variance_percent": D("-100.0"), "roi": D("-1.0000"), "payback_month": None,
         "run_rate": None},
    ),
    (
        "an idea not started: costs planned but not live and no revenue, so no ROI yet (not -100 %)",
        Plan(D("12000"), D("1200"), D("12000"), None),
        {},
        JUNE,
        {"months_live": 0, "costs_to_date": D("12000.00"), "realised_to_date": D("0"), "roi": None},
    ),
    (
        "better than plan: the variance is positive",
        Plan(D("0"), D("0"), D("12000"), JAN),
        monthly(JAN, 1500, 1500, 1500, 1500, 1500, 1500),
        JUNE,
        {"expected_to_date": D("6000.00"), "realised_to_date": D("9000"), "variance": D("3000.00"),
         "variance_percent": D("50.0"), "roi": None, "payback_month": None},
    ),
    (
        "worse than plan: the variance is negative",
        Plan(D("0"), D("0"), D("12000"), JAN),
        monthly(JAN, 500, 500, 500, 500, 500, 500),
        JUNE,
        {"variance": D("-3000.00"), "variance_percent": D("-50.0")},
    ),
    (
        "ROI and payback: costs grow by the running cost each month, payback when revenue overtakes",
        Plan(D("3000"), D("1200"), D("12000"), JAN),
        monthly(JAN, 1000, 1000, 1000, 1000, 1000, 1000),
        JUNE,
        {"costs_to_date": D("3600.00"), "realised_to_date": D("6000"), "roi": D("0.6667"),
         "payback_month": datetime.date(2026, 4, 1), "run_rate": D("12000")},
    ),
    (
        "a negative month that falls back below the costs un-does the payback",
        Plan(D("3000"), D("1200"), D("12000"), JAN),
        monthly(JAN, 1000, 1000, 1000, 1000, 1000, -2000),
        JUNE,
        {"realised_to_date": D("3000"), "roi": D("-0.1667"), "payback_month": None, "run_rate": D("0")},
    ),
    (
        "a negative month that stays above the costs keeps the payback",
        Plan(D("1000"), D("0"), D("0"), JAN),
        monthly(JAN, 2000, -500, 1000),
        datetime.date(2026, 3, 10),
        {"realised_to_date": D("2500"), "roi": D("1.5000"), "payback_month": JAN, "variance_percent": None},
    ),
    (
        "revenue recorded for next month is not revenue to date",
        Plan(D("0"), D("0"), D("0"), None),
        {datetime.date(2026, 6, 1): D("100"), datetime.date(2026, 7, 1): D("5000")},
        JUNE,
        {"realised_to_date": D("100"), "run_rate": D("400")},
    ),
    (
        "revenue before the plan starts: the series starts with the first entry, no running cost yet",
        Plan(D("1000"), D("0"), D("0"), None),
        {datetime.date(2026, 3, 1): D("600"), datetime.date(2026, 4, 1): D("600")},
        datetime.date(2026, 4, 30),
        {"months_live": 0, "expected_to_date": D("0"), "costs_to_date": D("1000.00"),
         "payback_month": datetime.date(2026, 4, 1), "roi": D("0.2000")},
    ),
    (
        "run rate: the three months up to the latest entry, a month without entry counts as zero",
        Plan(),
        {JAN: D("1000"), datetime.date(2026, 4, 1): D("900"), datetime.date(2026, 6, 1): D("300")},
        JUNE,
        {"run_rate": D("4800")},
    ),
    (
        "only negative months: ROI below -100 %",
        Plan(D("1000"), D("0"), D("0"), JAN),
        monthly(JAN, -200),
        datetime.date(2026, 1, 31),
        {"realised_to_date": D("-200"), "roi": D("-1.2000"), "payback_month": None, "run_rate": D("-800")},
    ),
]


@pytest.mark.parametrize(("plan", "entries", "as_of", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_project_figures(plan, entries, as_of, expected):
    figures = compute_figures(plan, entries, as_of)
    for name, value in expected.items():
        assert getattr(figures, name) == value, name


def test_the_month_series_carries_expected_realised_and_cumulative_values():
    figures = compute_figures(
        Plan(D("3000"), D("1200"), D("12000"), datetime.date(2026, 2, 1)), {JAN: D("50"), add_months(JAN, 2): D("900")}, JUNE
    )
    assert [m.month for m in figures.months] == [add_months(JAN, i) for i in range(6)]
    assert [m.expected for m in figures.months] == [D("0"), *[D("1000.00")] * 5]
    assert [m.realised for m in figures.months] == [D("50"), None, D("900"), None, None, None]
    assert figures.months[-1].cumulative_realised == D("950")
    assert figures.months[-1].cumulative_costs == D("3500.00")
    assert figures.has_revenue
    assert figures.roi_percent == D("-72.9")


@pytest.mark.parametrize(
    ("first_month", "expected"),
    [(1, {2025: D("100"), 2026: D("500")}), (4, {2024: D("100"), 2025: D("200"), 2026: D("300")})],
    ids=["calendar year", "fiscal year from April"],
)
def test_realised_revenue_per_year(first_month, expected):
    entries = {datetime.date(2025, 3, 1): D("100"), datetime.date(2026, 2, 1): D("200"), datetime.date(2026, 4, 1): D("300")}
    assert compute_figures(Plan(), entries, JUNE, first_month).realised_by_year == expected


@pytest.mark.parametrize(
    ("day", "first_month", "year", "bounds", "label"),
    [
        (datetime.date(2026, 1, 1), 1, 2026, (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)), "2026"),
        (datetime.date(2025, 12, 31), 1, 2025, (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)), "2025"),
        (datetime.date(2026, 3, 31), 4, 2025, (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)), "FY 2025/26"),
        (datetime.date(2026, 4, 1), 4, 2026, (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)), "FY 2026/27"),
        (datetime.date(2099, 12, 1), 12, 2099, (datetime.date(2099, 12, 1), datetime.date(2100, 11, 30)), "FY 2099/00"),
    ],
)
def test_revenue_years(day, first_month, year, bounds, label):
    assert year_of(day, first_month) == year
    assert year_bounds(year, first_month) == bounds
    assert year_label(year, first_month) == label


def test_month_arithmetic():
    assert add_months(datetime.date(2026, 11, 27), 1) == datetime.date(2026, 12, 1)
    assert add_months(datetime.date(2026, 12, 5), 1) == datetime.date(2027, 1, 1)
    assert add_months(datetime.date(2026, 1, 31), -1) == datetime.date(2025, 12, 1)
    assert months_between(datetime.date(2025, 11, 30), datetime.date(2026, 2, 1)) == 4
    assert months_between(datetime.date(2026, 3, 1), datetime.date(2026, 2, 28)) == 0
