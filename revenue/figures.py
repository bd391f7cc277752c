"""The figures of IT-driven revenue, as pure functions over plain inputs (no database).

Definitions (also in docs/pillars/revenue.md):

- Months. Revenue is recorded per calendar month; a month is its first day. "To date" means
  up to and including the month of the as-of date.
- Plan start. The first month of the plan: `revenue_expected_from` if set, else the month the
  project reached execute. Before it nothing is expected and no running cost accrues.
- Months live. The number of months from the plan start through the as-of month, both
  included (0 when the plan has not started).
- Expected to date = expected yearly revenue x months live / 12.
- Costs to date = one-off investment + yearly running cost x months live / 12 (the investment
  counts in full from the start; the running cost pro rata by whole months).
- Variance = realised to date - expected to date. Positive means better than plan.
- ROI = (realised to date - costs to date) / costs to date, a ratio (0.25 = 25 %); None when
  there are no costs (a return on nothing is undefined, not infinite), and None while the
  project is not live and has no revenue (an idea not started has no return yet, not -100 %).
- Payback month = the first month from which the cumulative net position (cumulative realised
  revenue - cumulative costs) is zero or better and stays so through the as-of month. A later
  month of refunds that pushes it below zero again un-does the payback. None when there are no
  costs, or when the project has not paid back yet.
- Run rate (yearly) = 4 x the revenue of the three months ending with the latest month that has
  an entry (months without an entry count as zero). None without revenue entries.
- Revenue year: the calendar year, or the fiscal year starting in month
  REVENUE_FISCAL_YEAR_FIRST_MONTH, named after the calendar year it starts in.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .choices import CommitmentStatus, Stage

CENT = Decimal("0.01")
ZERO = Decimal("0")
AT_RISK_AFTER_MONTH = 6


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day`."""
    years, month_index = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + years, month_index + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Months from the month of `start` through the month of `end`, both included; 0 if end < start."""
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return max(0, count)


def month_range(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [add_months(start, i) for i in range(months_between(start, end))]


def year_of(day: datetime.date, first_month: int = 1) -> int:
    """The revenue year of a day: named after the calendar year it starts in."""
    return day.year if day.month >= first_month else day.year - 1


def year_bounds(year: int, first_month: int = 1) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of a revenue year."""
    start = datetime.date(year, first_month, 1)
    return start, add_months(start, 12) - datetime.timedelta(days=1)


def year_label(year: int, first_month: int = 1) -> str:
    if first_month == 1:
        return str(year)
    return f"FY {year}/{(year + 1) % 100:02d}"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


@dataclass(frozen=True)
class Plan:
    """The money side of a project, as plain values."""

    investment: Decimal = ZERO
    yearly_running_cost: Decimal = ZERO
    expected_yearly_revenue: Decimal = ZERO
    plan_start: datetime.date | None = None


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date
    expected: Decimal
    realised: Decimal | None  # None: nothing recorded for that month
    cumulative_realised: Decimal
    cumulative_costs: Decimal

    @property
    def net(self) -> Decimal:
        return self.cumulative_realised - self.cumulative_costs


@dataclass(frozen=True)
class Figures:
    as_of: datetime.date
    realised_to_date: Decimal
    expected_to_date: Decimal
    variance: Decimal
    variance_percent: Decimal | None
    costs_to_date: Decimal
    roi: Decimal | None
    payback_month: datetime.date | None
    run_rate: Decimal | None
    months_live: int
    realised_by_year: dict[int, Decimal] = field(default_factory=dict)
    months: list[MonthFigures] = field(default_factory=list)

    @property
    def has_revenue(self) -> bool:
        return any(m.realised is not None for m in self.months)

    @property
    def not_live_yet(self) -> bool:
        """No month live and no revenue: the ROI is not measured yet."""
        return self.months_live == 0 and not self.has_revenue

    @property
    def roi_percent(self) -> Decimal | None:
        return None if self.roi is None else (self.roi * 100).quantize(Decimal("0.1"))


def _months_live(plan_start: datetime.date | None, through: datetime.date) -> int:
    return months_between(plan_start, through) if plan_start else 0


def _costs_through(plan: Plan, month: datetime.date) -> Decimal:
    return plan.investment + plan.yearly_running_cost * _months_live(plan.plan_start, month) / 12


def compute_figures(
    plan: Plan, entries: Mapping[datetime.date, Decimal], as_of: datetime.date, first_month: int = 1
) -> Figures:
    """Every figure of one project as of a day. `entries` maps a month (first day) to its amount."""
    as_of_month = month_start(as_of)
    plan_start = month_start(plan.plan_start) if plan.plan_start else None
    plan = Plan(plan.investment, plan.yearly_running_cost, plan.expected_yearly_revenue, plan_start)
    to_date = {month_start(m): Decimal(a) for m, a in entries.items() if month_start(m) <= as_of_month}

    live = _months_live(plan_start, as_of_month)
    realised = sum(to_date.values(), ZERO)
    expected = _cents(plan.expected_yearly_revenue * live / 12)
    costs = _cents(_costs_through(plan, as_of_month))
    variance = realised - expected
    variance_percent = (variance * 100 / expected).quantize(Decimal("0.1")) if expected > 0 else None
    not_live_yet = live == 0 and not to_date
    roi = ((realised - costs) / costs).quantize(Decimal("0.0001")) if costs > 0 and not not_live_yet else None

    by_year: dict[int, Decimal] = {}
    for month in sorted(to_date):
        year = year_of(month, first_month)
        by_year[year] = by_year.get(year, ZERO) + to_date[month]

    starts = [m for m in (plan_start, min(to_date, default=None)) if m is not None]
    months: list[MonthFigures] = []
    cumulative = ZERO
    for month in month_range(min(starts), as_of_month) if starts else []:
        amount = to_date.get(month)
        cumulative += amount or ZERO
        months.append(
            MonthFigures(
                month=month,
                expected=_cents(plan.expected_yearly_revenue / 12) if plan_start and month >= plan_start else ZERO,
                realised=amount,
                cumulative_realised=cumulative,
                cumulative_costs=_cents(_costs_through(plan, month)),
            )
        )

    return Figures(
        as_of=as_of,
        realised_to_date=realised,
        expected_to_date=expected,
        variance=variance,
        variance_percent=variance_percent,
        costs_to_date=costs,
        roi=roi,
        payback_month=_payback_month(months),
        run_rate=_run_rate(to_date),
        months_live=live,
        realised_by_year=by_year,
        months=months,
    )


def _payback_month(months: list[MonthFigures]) -> datetime.date | None:
    payback = None
    for row in reversed(months):
        if row.cumulative_costs <= 0 or row.net < 0:
            break
        payback = row.month
    return payback


def _run_rate(to_date: Mapping[datetime.date, Decimal]) -> Decimal | None:
    if not to_date:
        return None
    latest = max(to_date)
    window = {add_months(latest, -i) for i in range(3)}
    return sum((a for m, a in to_date.items() if m in window), ZERO) * 4


# --- The yearly commitment ---------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentYear:
    """The commitment of one revenue year: did a project reach execute in it?"""

    year: int
    label: str
    start: datetime.date
    end: datetime.date
    status: str
    reason: str
    executed: int
    is_current: bool

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label


def commitment_for_year(
    *,
    year: int,
    today: datetime.date,
    executed_dates: Iterable[datetime.date],
    active_stages: Iterable[str],
    first_month: int = 1,
) -> CommitmentYear:
    """The status of one year's commitment.

    - met: at least one project reached execute within the year;
    - missed: the year is over and none did;
    - at risk: the current year is past its sixth month and no project is past identify
      (none in develop or acceptance);
    - on track: otherwise in the current year (a project in acceptance, one in develop, or
      the first half of the year still running).
    `active_stages` are the current stages of the projects (used for the current year only).
    """
    start, end = year_bounds(year, first_month)
    executed = sum(1 for day in executed_dates if start <= day <= end)
    stages = set(active_stages)
    is_current = start <= today <= end
    label = year_label(year, first_month)

    def result(status, reason):
        return CommitmentYear(year, label, start, end, status, reason, executed, is_current)

    if executed:
        plural = "s" if executed != 1 else ""
        return result(CommitmentStatus.MET, f"{executed} project{plural} reached execute in {label}.")
    if end < today:
        return result(CommitmentStatus.MISSED, f"No project reached execute in {label}.")
    if start > today:
        return result(CommitmentStatus.ON_TRACK, f"{label} has not started yet.")
    month_of_year = months_between(start, today)
    months_left = 12 - month_of_year
    if Stage.ACCEPTANCE in stages:
        return result(CommitmentStatus.ON_TRACK, "A project is in acceptance: execute it before the year ends.")
    if month_of_year > AT_RISK_AFTER_MONTH and Stage.DEVELOP not in stages:
        return result(
            CommitmentStatus.AT_RISK,
            f"The sixth month is over and no project is past identify; {months_left} month(s) left.",
        )
    if Stage.DEVELOP in stages:
        return result(CommitmentStatus.ON_TRACK, f"A project is in development; {months_left} month(s) left.")
    return result(
        CommitmentStatus.ON_TRACK,
        f"No project is past identify yet, but the first half of the year is still running; {months_left} month(s) left.",
    )


def commitment_history(
    *,
    today: datetime.date,
    executed_dates: Iterable[datetime.date],
    active_stages: Iterable[str],
    first_year: int | None,
    first_month: int = 1,
    max_years: int = 6,
) -> list[CommitmentYear]:
    """The current year's commitment first, then the past years back to `first_year` (the year
    of the first project), at most `max_years` rows in all."""
    executed_dates = list(executed_dates)
    active_stages = list(active_stages)
    current = year_of(today, first_month)
    oldest = max(current - max_years + 1, first_year if first_year is not None else current)
    return [
        commitment_for_year(
            year=year,
            today=today,
            executed_dates=executed_dates,
            active_stages=active_stages,
            first_month=first_month,
        )
        for year in range(current, min(oldest, current) - 1, -1)
    ]
