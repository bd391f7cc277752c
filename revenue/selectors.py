"""Reads of the revenue app: querysets ready for pages, API and exports, and the figures."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, DecimalField, Max, Min, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from partnership.delivered import DELIVERED as DELIVERED_SECTION
from partnership.delivered import DeliveredEntry, DeliveredSource
from partnership.models import BusinessUnit

from .choices import STAGE_ORDER, Stage
from .figures import (
    CommitmentYear,
    Figures,
    Plan,
    add_months,
    commitment_for_year,
    commitment_history,
    compute_figures,
    month_start,
    year_bounds,
    year_of,
)
from .models import RevenueEntry, RevenueProject, RevenueStageChange

# A sum of amounts: room for every month from 1900 to 2100 at the largest amount (2412 x 10^12),
# so no backend that converts with max_digits (SQLite) can overflow when it reads a total.
MONEY_OUTPUT = DecimalField(max_digits=20, decimal_places=2)


def fiscal_first_month() -> int:
    month = settings.REVENUE_FISCAL_YEAR_FIRST_MONTH
    if not 1 <= month <= 12:
        raise ImproperlyConfigured("REVENUE_FISCAL_YEAR_FIRST_MONTH must be a month number from 1 to 12.")
    return month


def current_year(today: datetime.date | None = None) -> int:
    return year_of(today or timezone.localdate(), fiscal_first_month())


def realised_subquery(since: datetime.date | None = None, until: datetime.date | None = None):
    entries = RevenueEntry.objects.filter(project=OuterRef("pk"))
    if since:
        entries = entries.filter(month__gte=since)
    if until:
        entries = entries.filter(month__lte=until)
    total = entries.order_by().values("project").annotate(total=Sum("amount", output_field=MONEY_OUTPUT)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY_OUTPUT), Value(Decimal("0")), output_field=MONEY_OUTPUT)


def project_list(
    *, user, search: str = "", stage: str = "", category: str = "", unit: str = "", executed_year: int | None = None
):
    """The projects a user may see, with their people, units and realised revenue to date."""
    today = timezone.localdate()
    projects = (
        RevenueProject.objects.for_user(user)
        .select_related("it_sponsor", "it_lead")
        .prefetch_related(Prefetch("business_units", queryset=BusinessUnit.objects.order_by("name")))
        .annotate(realised_to_date=realised_subquery(until=month_start(today)))
    )
    if search:
        projects = projects.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if stage:
        projects = projects.filter(stage=stage)
    if category:
        projects = projects.filter(category=category)
    if unit:
        unit_rows = RevenueProject.business_units.through.objects.filter(businessunit__slug=unit)
        projects = projects.filter(Q(pk__in=unit_rows.values("revenueproject_id")))
    if executed_year:
        start, end = year_bounds(executed_year, fiscal_first_month())
        projects = projects.filter(executed_on__gte=start, executed_on__lte=end)
    return projects


def project_detail_queryset(*, user):
    return (
        RevenueProject.objects.for_user(user)
        .select_related("it_sponsor", "it_lead", "accepted_by")
        .prefetch_related(
            "business_units",
            "business_partners",
            Prefetch("stage_changes", queryset=RevenueStageChange.objects.select_related("changed_by")),
        )
    )


BOARD_CARDS_PER_COLUMN = 12


def portfolio_board(*, user, search: str = "", category: str = "", unit: str = "") -> list[dict]:
    """The board's columns: one per stage on the path, each with its first cards and its count.

    Two queries whatever the size: the counts, then the cards (a window over stages would
    be one query, but a plain list sliced in Python is simple and bounded by the total)."""
    projects = project_list(user=user, search=search, category=category, unit=unit).exclude(
        stage=Stage.ABANDONED
    )
    counts = dict(projects.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    cards: dict[str, list] = {stage: [] for stage in STAGE_ORDER}
    # Only the rows shown are fetched: ids of the first cards per stage come from one query.
    ids = []
    seen: dict[str, int] = {}
    for pk, stage in projects.order_by("-stage_changed_on", "name").values_list("pk", "stage"):
        if seen.get(stage, 0) < BOARD_CARDS_PER_COLUMN:
            seen[stage] = seen.get(stage, 0) + 1
            ids.append(pk)
    for project in projects.filter(pk__in=ids).order_by("-stage_changed_on", "name"):
        cards[project.stage].append(project)
    return [
        {"stage": stage, "label": Stage(stage).label, "projects": cards[stage], "count": counts.get(stage, 0)}
        for stage in STAGE_ORDER
    ]


def entry_list(
    *, user, project: str = "", year: str = "", stage: str = "", unit: str = "", search: str = "",
    since: datetime.date | None = None, until: datetime.date | None = None,
):
    """Revenue entries a user may see, filtered like the API (project, year, stage, unit)."""
    entries = RevenueEntry.objects.for_user(user).select_related("project", "recorded_by")
    if project:
        entries = entries.filter(project_id=project)
    if year:
        start, end = year_bounds(int(year), fiscal_first_month())
        entries = entries.filter(month__gte=start, month__lte=end)
    if stage:
        entries = entries.filter(project__stage=stage)
    if unit:
        unit_rows = RevenueProject.business_units.through.objects.filter(businessunit__slug=unit)
        entries = entries.filter(project_id__in=unit_rows.values("revenueproject_id"))
    if search:
        entries = entries.filter(Q(project__name__icontains=search) | Q(note__icontains=search))
    if since:
        entries = entries.filter(month__gte=month_start(since))
    if until:
        entries = entries.filter(month__lte=until)
    return entries.order_by("-month", "project__name", "id")


def project_figures(project: RevenueProject, as_of: datetime.date | None = None) -> Figures:
    """The figures of one project (one query for its entries)."""
    entries = dict(project.entries.values_list("month", "amount"))
    plan = Plan(
        investment=project.investment,
        yearly_running_cost=project.yearly_running_cost,
        expected_yearly_revenue=project.expected_yearly_revenue,
        plan_start=project.plan_start,
    )
    return compute_figures(plan, entries, as_of or timezone.localdate(), fiscal_first_month())


def chart_data(figures: Figures, currency: str) -> dict:
    """Expected versus realised revenue by month, for the project page's chart."""
    return {
        "currency": currency,
        "labels": [f"{m.month:%Y-%m}" for m in figures.months],
        "expected": [str(m.expected) for m in figures.months],
        "realised": [str(m.realised) if m.realised is not None else None for m in figures.months],
    }


# --- The yearly commitment ---------------------------------------------------------------------


def _commitment_inputs(business_unit=None, as_of: datetime.date | None = None):
    """Execution dates, stages and the first day with a project: three queries.

    The stages are the current ones, or for a past day (a score window that ended) the ones
    the stage history shows on that day.
    """
    projects = RevenueProject.objects.all()
    changes = RevenueStageChange.objects.all()
    if business_unit is not None:
        projects = projects.filter(business_units=business_unit)
        changes = changes.filter(project__business_units=business_unit)
    executed = list(projects.filter(executed_on__isnull=False).values_list("executed_on", flat=True))
    if as_of is None or as_of >= timezone.localdate():
        stages = set(projects.exclude(stage=Stage.ABANDONED).values_list("stage", flat=True).distinct())
    else:
        executed = [day for day in executed if day <= as_of]
        latest: dict[int, str] = {}
        rows = changes.filter(changed_on__lte=as_of).order_by("changed_on", "id").values_list("project_id", "to_stage")
        for project_id, stage in rows:
            latest[project_id] = stage
        stages = set(latest.values()) - {Stage.ABANDONED}
    first = changes.aggregate(first=Min("changed_on"))["first"]
    return executed, stages, first


def yearly_commitment(*, today: datetime.date | None = None, business_unit=None) -> list[CommitmentYear]:
    """The company's commitment (or a unit's): the current year first, then the past years.

    It is IT's commitment to the whole company, so it counts every project, whoever looks.
    """
    today = today or timezone.localdate()
    first_month = fiscal_first_month()
    executed, stages, first = _commitment_inputs(business_unit, today)
    first_dates = [d for d in (first, min(executed, default=None)) if d is not None]
    return commitment_history(
        today=today,
        executed_dates=executed,
        active_stages=stages,
        first_year=year_of(min(first_dates), first_month) if first_dates else None,
        first_month=first_month,
    )


def commitment_for(year: int, *, today: datetime.date | None = None, business_unit=None) -> CommitmentYear:
    """One year's commitment as it stood on `today` (default: the real today)."""
    executed, stages, _ = _commitment_inputs(business_unit, today)
    return commitment_for_year(
        year=year,
        today=today or timezone.localdate(),
        executed_dates=executed,
        active_stages=stages,
        first_month=fiscal_first_month(),
    )


def current_commitment(today: datetime.date | None = None) -> CommitmentYear:
    """The company's commitment for the year that contains `today`, in ONE aggregate query
    (for the dashboard's attention list and the CIO's reminder). Same rules as the board:
    only whether a project was executed in the year and whether one is in develop or
    acceptance now matter."""
    today = today or timezone.localdate()
    first_month = fiscal_first_month()
    year = year_of(today, first_month)
    start, end = year_bounds(year, first_month)
    counts = RevenueProject.objects.aggregate(
        executed=Count("pk", filter=Q(executed_on__gte=start, executed_on__lte=end)),
        develop=Count("pk", filter=Q(stage=Stage.DEVELOP)),
        acceptance=Count("pk", filter=Q(stage=Stage.ACCEPTANCE)),
    )
    return commitment_for_year(
        year=year,
        today=today,
        executed_dates=[start] * counts["executed"],
        active_stages=[stage for stage in (Stage.DEVELOP, Stage.ACCEPTANCE) if counts[stage]],
        first_month=first_month,
    )


def projects_executed_in(year: int, *, user):
    start, end = year_bounds(year, fiscal_first_month())
    return RevenueProject.objects.for_user(user).filter(executed_on__gte=start, executed_on__lte=end)


# --- Portfolio totals and the score ------------------------------------------------------------


def expected_between(projects, start: datetime.date, end: datetime.date) -> Decimal:
    """The revenue the projects' plans expected in the months from `start` to `end` (one query)."""
    rows = projects.exclude(expected_yearly_revenue=0).values_list(
        "expected_yearly_revenue", "revenue_expected_from", "executed_on"
    )
    total = sum((expected_in_months(*row, start, end) for row in rows), Decimal("0"))
    return total.quantize(Decimal("0.01"))


def expected_in_months(
    yearly: Decimal, expected_from: datetime.date | None, executed_on: datetime.date | None,
    start: datetime.date, end: datetime.date,
) -> Decimal:
    """One project's expected revenue in the months from `start` to `end` (not rounded)."""
    plan_start = expected_from or executed_on
    if plan_start is None or not yearly:
        return Decimal("0")
    first, last = month_start(start), month_start(end)
    begin = max(first, month_start(plan_start))
    months = 0 if begin > last else (last.year - begin.year) * 12 + last.month - begin.month + 1
    return yearly * months / 12


def realised_between(entries, start: datetime.date, end: datetime.date) -> tuple[Decimal, int]:
    """Realised revenue and the number of entries in the months from `start` to `end` (one query)."""
    totals = entries.filter(month__gte=month_start(start), month__lte=month_start(end)).aggregate(
        total=Sum("amount", output_field=MONEY_OUTPUT), count=Count("pk")
    )
    return totals["total"] or Decimal("0"), totals["count"]


def portfolio_totals(*, user, today: datetime.date | None = None) -> dict:
    """This revenue year's realised and expected revenue over the projects a user may see."""
    today = today or timezone.localdate()
    year = current_year(today)
    start, end = year_bounds(year, fiscal_first_month())
    realised, _ = realised_between(RevenueEntry.objects.for_user(user), start, today)
    expected = expected_between(RevenueProject.objects.for_user(user), start, today)
    return {
        "year": year,
        "realised": realised,
        "expected": expected,
        "variance": realised - expected,
        "next_month": add_months(today, 1),
    }


def eligible_acceptors(project: RevenueProject):
    """The people whose business acceptance counts, for the acceptance form."""
    from django.contrib.auth import get_user_model

    from partnership.roles import Role

    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=project.business_partners.values("pk"))
            | Q(
                business_unit__in=project.business_units.values("pk"),
                groups__name=Role.BUSINESS_MANAGER.value,
            )
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- What IT delivered for a unit (partnership/delivered.py) ------------------------------------


def delivered_live_projects(user, unit, period):
    """The unit's revenue projects that reached execution (went live) within the period."""
    return (
        RevenueProject.objects.for_user(user)
        .filter(business_units=unit, executed_on__gte=period.start, executed_on__lte=period.end)
        .exclude(stage=Stage.ABANDONED)
        .order_by("-executed_on", "-id")
    )


def delivered_live_entry(user, project) -> DeliveredEntry:
    return DeliveredEntry(
        kind="revenue.live",
        title=project.name,
        url=project.get_absolute_url(),
        on=project.executed_on,
        detail=f"{project.get_category_display()} live; expected revenue a year:",
        amount=project.expected_yearly_revenue,
    )


def delivered_revenue_recorded(user, unit, period):
    """Revenue recorded for the months of the period, one row per project of the unit (the
    months overlapping the period count whole), the latest month first."""
    return (
        RevenueEntry.objects.for_user(user)
        .filter(project__business_units=unit, month__gte=period.start.replace(day=1), month__lte=period.end)
        .values("project_id", "project__name")
        .annotate(total=Sum("amount"), first_month=Min("month"), last_month=Max("month"), months=Count("id"))
        .order_by("-last_month", "project_id")
    )


def delivered_revenue_entry(user, row) -> DeliveredEntry:
    months = f"{row['first_month']:%Y-%m}" + (f" to {row['last_month']:%Y-%m}" if row["months"] > 1 else "")
    return DeliveredEntry(
        kind="revenue.recorded",
        title=row["project__name"],
        url=reverse("revenue:project-detail", args=[row["project_id"]]) + "#entries",
        on=row["last_month"],
        detail=f"Revenue recorded for {months}:",
        amount=row["total"],
    )


DELIVERED = (
    DeliveredSource(
        "revenue.live", DELIVERED_SECTION, "Revenue projects gone live", delivered_live_projects, delivered_live_entry,
        empty="No revenue project of the unit went live in this period.",
    ),
    DeliveredSource(
        "revenue.recorded", DELIVERED_SECTION, "Revenue recorded", delivered_revenue_recorded, delivered_revenue_entry,
        empty="No revenue was recorded for the unit's projects in this period.",
    ),
)
