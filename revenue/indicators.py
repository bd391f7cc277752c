"""The revenue pillar's indicators for the partnership score.

- revenue.yearly_commitment: the status of the yearly commitment for the revenue year that
  contains the window's end, judged on that day, as points: met 100, on track 50, at risk 25,
  missed 0. No data when no revenue project had been identified by then (for a unit: none of
  its projects).
- revenue.realised_vs_expected: realised revenue in the window's months as a percentage of
  what the plans expected for those months (100 = on plan). No data when nothing was
  expected. Months are whole calendar months touched by the window.

Each indicator also gives `measure_by_unit(window)`: every business unit at once (plus the
overall measure under None) in two queries whatever the number of units, with the same numbers
as `measure(window, unit)`. A unit without data gets no entry.

The attention item `revenue.commitment_at_risk` flags the current year's company-wide
commitment when it is at risk (one query).
"""

from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from partnership.score import Indicator, Measure, Window
from partnership.score.registry import Attention, AttentionSource, Pillar

from .choices import CommitmentStatus, Stage
from .figures import commitment_for_year, month_start, year_of
from .models import RevenueEntry, RevenueProject, RevenueStageChange
from .selectors import (
    MONEY_OUTPUT,
    commitment_for,
    current_commitment,
    expected_between,
    expected_in_months,
    fiscal_first_month,
    realised_between,
)

# Collected by the score app when it is ready (partnership/declarations.py).
INDICATORS: list[Indicator] = []
ATTENTION: list[AttentionSource] = []

COMMITMENT_POINTS = {
    CommitmentStatus.MET: 100,
    CommitmentStatus.ON_TRACK: 50,
    CommitmentStatus.AT_RISK: 25,
    CommitmentStatus.MISSED: 0,
}


def _commitment_url(year: int, slug: str | None = None) -> str:
    query = {"executed_year": year, **({"unit": slug} if slug else {})}
    return f"{reverse('revenue:project-list')}?{urlencode(query)}"


def _realised_url(window: Window, slug: str | None = None) -> str:
    query = {"since": window.start.isoformat(), "until": window.end.isoformat(), **({"unit": slug} if slug else {})}
    return f"{reverse('revenue:entry-list')}?{urlencode(query)}"


def _projects_with_units(*fields):
    """ONE query: each project's `fields`, and its units as {unit id: slug}, in project order."""
    projects: dict[int, tuple] = {}
    units: dict[int, str] = {}
    members: dict[int, list[int]] = defaultdict(list)
    rows = RevenueProject.objects.order_by("name", "id").values_list(
        "pk", *fields, "business_units", "business_units__slug"
    )
    for pk, *values, unit_id, slug in rows:
        projects.setdefault(pk, tuple(values))
        if unit_id is not None:
            units[unit_id] = slug
            members[unit_id].append(pk)
    return projects, units, members


def yearly_commitment(window: Window, business_unit=None) -> Measure:
    history = RevenueStageChange.objects.filter(changed_on__lte=window.end)
    if business_unit is not None:
        history = history.filter(project__business_units=business_unit)
    if not history.exists():
        return Measure(None, 0, "")
    year = year_of(window.end, fiscal_first_month())
    status = commitment_for(year, today=window.end, business_unit=business_unit)
    url = _commitment_url(year, getattr(business_unit, "slug", None))
    return Measure(COMMITMENT_POINTS[CommitmentStatus(status.status)], status.executed, url)


def yearly_commitment_by_unit(window: Window) -> dict:
    """`yearly_commitment` for the whole company (key None) and every unit with a project
    identified by the window's end, in two queries: the projects with their units, and the
    stage history up to the window's end."""
    first_month = fiscal_first_month()
    year = year_of(window.end, first_month)
    past = window.end < timezone.localdate()
    projects, units, members = _projects_with_units("stage", "executed_on")
    # The stage each project was in at the window's end (the last change on or before it).
    stage_then: dict[int, str] = {}
    history = RevenueStageChange.objects.filter(changed_on__lte=window.end).order_by("changed_on", "id")
    for project_id, stage in history.values_list("project_id", "to_stage"):
        stage_then[project_id] = stage

    def measure(project_ids, slug=None) -> Measure | None:
        if not any(pk in stage_then for pk in project_ids):
            return None
        executed = [projects[pk][1] for pk in project_ids if projects[pk][1] is not None]
        if past:
            executed = [day for day in executed if day <= window.end]
            stages = {stage_then[pk] for pk in project_ids if pk in stage_then}
        else:
            stages = {projects[pk][0] for pk in project_ids}
        status = commitment_for_year(
            year=year,
            today=window.end,
            executed_dates=executed,
            active_stages=stages - {Stage.ABANDONED},
            first_month=first_month,
        )
        return Measure(COMMITMENT_POINTS[CommitmentStatus(status.status)], status.executed, _commitment_url(year, slug))

    result = {None: measure(list(projects)) or Measure(None, 0, "")}
    for unit_id, project_ids in members.items():
        found = measure(project_ids, units[unit_id])
        if found is not None:
            result[unit_id] = found
    return result


def realised_vs_expected(window: Window, business_unit=None) -> Measure:
    projects = RevenueProject.objects.all()
    entries = RevenueEntry.objects.all()
    if business_unit is not None:
        projects = projects.filter(business_units=business_unit)
        entries = entries.filter(project__in=projects)
    expected = expected_between(projects, window.start, window.end)
    realised, count = realised_between(entries, window.start, window.end)
    url = _realised_url(window, getattr(business_unit, "slug", None))
    if expected <= 0:
        return Measure(None, count, url)
    return Measure((realised * 100 / expected).quantize(Decimal("0.1")), count, url)


def realised_vs_expected_by_unit(window: Window) -> dict:
    """`realised_vs_expected` for the whole company (key None) and every unit with data, in
    two queries: the projects' plans with their units, and the window's revenue per project."""
    projects, units, members = _projects_with_units("expected_yearly_revenue", "revenue_expected_from", "executed_on")
    expected = {pk: expected_in_months(*plan, window.start, window.end) for pk, plan in projects.items()}
    realised = {
        row["project"]: (row["total"], row["count"])
        for row in RevenueEntry.objects.filter(month__gte=month_start(window.start), month__lte=month_start(window.end))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount", output_field=MONEY_OUTPUT), count=Count("pk"))
    }

    def measure(project_ids, slug=None) -> Measure:
        planned = sum((expected[pk] for pk in project_ids), Decimal("0")).quantize(Decimal("0.01"))
        total = sum((realised[pk][0] for pk in project_ids if pk in realised), Decimal("0"))
        count = sum(realised[pk][1] for pk in project_ids if pk in realised)
        url = _realised_url(window, slug)
        if planned <= 0:
            return Measure(None, count, url)
        return Measure((total * 100 / planned).quantize(Decimal("0.1")), count, url)

    # Overall: every project, and the revenue of all of them (a project without a unit too).
    result = {None: measure(list(projects))}
    for unit_id, project_ids in members.items():
        found = measure(project_ids, units[unit_id])
        if found.has_data or found.records:
            result[unit_id] = found
    return result


# --- The attention list -----------------------------------------------------------------------

NEEDS_ATTENTION = (CommitmentStatus.AT_RISK, CommitmentStatus.MISSED)


def commitment_attention(user, business_unit=None) -> Attention:
    """The dashboard's attention item: 1 when the current year's commitment is at risk (or
    missed), with the board's status text; one query. The commitment is IT's commitment to the
    whole company, so it is the same whoever looks and whichever unit is selected (as on the
    board): a unit without revenue projects is not "at risk" on its own."""
    status = current_commitment()
    return Attention(
        count=1 if status.status in NEEDS_ATTENTION else 0,
        url=reverse("revenue:index"),
        detail=f"{status.label}: {status.status_label}. {status.reason}",
    )


INDICATORS.append(
    Indicator(
        key="revenue.yearly_commitment",
        pillar=Pillar.REVENUE,
        label="Yearly revenue commitment",
        unit="points",
        target=100,
        measure=yearly_commitment,
        measure_by_unit=yearly_commitment_by_unit,
        description="At least one IT revenue project reaches execute each year: met 100, on track 50, "
        "at risk 25, missed 0.",
    )
)
INDICATORS.append(
    Indicator(
        key="revenue.realised_vs_expected",
        pillar=Pillar.REVENUE,
        label="Realised versus expected revenue",
        unit="%",
        target=100,
        measure=realised_vs_expected,
        measure_by_unit=realised_vs_expected_by_unit,
        description="Revenue realised in the window as a share of what the projects' plans expected.",
    )
)
ATTENTION.append(
    AttentionSource(
        key="revenue.commitment_at_risk",
        label="The yearly IT revenue commitment",
        pillar=Pillar.REVENUE,
        measure=commitment_attention,
    )
)
