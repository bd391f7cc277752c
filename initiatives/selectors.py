"""Reads of the initiatives app: querysets ready for pages, API and exports, the risk heat
map and the measures of the proactivity pillar.

Every list starts from `for_user()`, so pages, the API and the score apply one visibility rule.
The measures are plain functions of `(window, business_unit=None)` returning a `Measure`, with
a fixed number of aggregate queries whatever the data size.
"""

import datetime
import statistics
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from partnership.agenda import PER_SOURCE, AgendaEntry, AgendaSource
from partnership.delivered import COMING, DeliveredEntry, DeliveredSource
from partnership.delivered import DELIVERED as DELIVERED_SECTION
from partnership.roles import Role
from partnership.score import Measure, Window

from .choices import BUSINESS_ORIGINS, OPEN_STATUSES, UNDECIDED_STATUSES, InitiativeStatus, Origin
from .models import Benefit, DecisionRecord, Initiative, InitiativeComment, Milestone, Risk, RiskAcceptance

# --- Lists and details ---------------------------------------------------------------------------


def overdue_milestones_q(today: datetime.date):
    """Milestones not done and past due, of initiatives that are still open."""
    return Q(done_on__isnull=True, due_on__lt=today, initiative__status__in=OPEN_STATUSES)


def late_milestones(*, today: datetime.date | None = None, due_after=None, due_before=None):
    """THE late milestones: not done, past due, of an open initiative; optionally only those due
    from `due_after` to `due_before`. The dashboard's count, the initiatives page's measure, the
    list their links open and each row's badge all read this one queryset."""
    queryset = Milestone.objects.filter(overdue_milestones_q(today or timezone.localdate()))
    if due_after is not None:
        queryset = queryset.filter(due_on__gte=due_after)
    if due_before is not None:
        queryset = queryset.filter(due_on__lte=due_before)
    return queryset


def filter_late_milestones(queryset, *, due_after=None, due_before=None):
    """Initiatives with a late milestone (due in the range, when given)."""
    late = late_milestones(due_after=due_after, due_before=due_before)
    return queryset.filter(Exists(late.filter(initiative=OuterRef("pk"))))


def _count(queryset):
    """A correlated COUNT subquery: filters never multiply the initiative rows."""
    return Coalesce(
        Subquery(queryset.order_by().values("initiative").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def initiative_annotate(queryset):
    """Add what lists show: related rows, the highest risk score, overdue and open milestones."""
    today = timezone.localdate()
    milestones = Milestone.objects.filter(initiative=OuterRef("pk"))
    return queryset.select_related("sponsor", "it_owner").prefetch_related("business_units").annotate(
        top_risk=Subquery(
            Risk.objects.filter(initiative=OuterRef("pk")).order_by().values("initiative").annotate(m=Max("score")).values("m"),
            output_field=IntegerField(),
        ),
        overdue_milestones=_count(late_milestones(today=today).filter(initiative=OuterRef("pk"))),
        open_milestones=_count(milestones.filter(done_on__isnull=True)),
    )


def initiative_list(*, user):
    """Initiatives the user may see, annotated for lists."""
    return initiative_annotate(Initiative.objects.for_user(user))


def visible_pain_points(user):
    """Linked pain points are narrowed to those the user may see (a confidential one of another
    unit stays hidden): `initiative.pain_points.all()` then lists only those."""
    from listening.models import PainPoint

    return Prefetch(
        "pain_points",
        queryset=PainPoint.objects.for_user(user).select_related("business_unit").order_by("-created_at"),
    )


def initiative_prefetch_detail(queryset, *, user):
    """What the detail page and the API detail show besides the list columns."""
    return queryset.select_related("business_case_confirmed_by", "created_by").prefetch_related(
        Prefetch("risks", queryset=Risk.objects.select_related("owner").order_by("-score", "id")),
        Prefetch("risk_acceptances", queryset=RiskAcceptance.objects.select_related("accepted_by")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
        "benefits",
        Prefetch("comments", queryset=InitiativeComment.objects.select_related("author")),
        Prefetch("decisions", queryset=DecisionRecord.objects.select_related("actor")),
        visible_pain_points(user),
    )


def initiative_detail(*, user):
    return initiative_prefetch_detail(initiative_list(user=user), user=user)


def filter_overdue(queryset, value: bool, today: datetime.date | None = None):
    """Overdue: still open and past its target date, or with an overdue milestone."""
    today = today or timezone.localdate()
    late_milestone = Milestone.objects.filter(initiative=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
    overdue = Q(status__in=OPEN_STATUSES) & (Q(target_date__lt=today) | Q(Exists(late_milestone)))
    return queryset.filter(overdue) if value else queryset.exclude(overdue)


def initiative_search(queryset, text: str):
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q()
    for word in text.split()[:8]:
        condition &= Q(title__icontains=word) | Q(problem__icontains=word) | Q(proposal__icontains=word)
    return queryset.filter(condition)


def overdue_milestones(*, user, business_unit=None):
    """Overdue milestones of open initiatives the user may see, the oldest first."""
    queryset = late_milestones().filter(initiative__in=Initiative.objects.for_user(user))
    if business_unit is not None:
        queryset = queryset.filter(initiative__in=Initiative.objects.concerning(business_unit))
    return queryset.select_related("initiative").order_by("due_on", "id")


# --- The risk heat map ------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    score: int
    risks: tuple

    @property
    def css(self) -> str:
        threshold = settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD
        if self.score >= threshold:
            return "table-danger"
        if self.score >= max(1, threshold // 2):
            return "table-warning"
        return "table-success"

    @property
    def count(self) -> int:
        return len(self.risks)


def risk_heat_map(risks) -> list[tuple[int, list[HeatCell]]]:
    """A 5x5 grid: rows are probability 5 (top) to 1, columns impact 1 to 5; each cell holds
    the risks that fall in it. Works on an already loaded (prefetched) list: no query."""
    by_cell: dict[tuple[int, int], list] = {}
    for risk in risks:
        by_cell.setdefault((risk.probability, risk.impact), []).append(risk)
    return [
        (p, [HeatCell(p, i, p * i, tuple(by_cell.get((p, i), ()))) for i in range(1, 6)])
        for p in range(5, 0, -1)
    ]


# --- Measures ---------------------------------------------------------------------------------


def _list_url(**params) -> str:
    query = urlencode([(k, v) for k, values in params.items() for v in (values if isinstance(values, list) else [values])])
    return f"{reverse('initiatives:index')}?{query}"


def _percent(part: int, whole: int):
    return None if not whole else round(100.0 * part / whole, 1)


def _for_unit(queryset, business_unit):
    return queryset if business_unit is None else queryset.concerning(business_unit)


def _unit_param(params: dict, business_unit) -> dict:
    if business_unit is not None:
        params["business_unit"] = getattr(business_unit, "pk", business_unit)
    return params


def _decided_in(window: Window):
    return Initiative.objects.filter(decided_at__date__range=(window.start, window.end))


_APPROVED = ~Q(status=InitiativeStatus.REJECTED)


def _by_unit(queryset, measure_of, **aggregates) -> dict:
    """{business unit id: Measure, ..., None: the overall Measure} in two aggregate queries.

    An initiative counts for every unit it concerns (grouping the many-to-many rows: a pair
    (initiative, unit) is unique, so nothing is counted twice in a unit). Units without data
    get no entry. `measure_of(counts, unit_id)` builds the Measure from the aggregated counts.
    """
    overall = queryset.order_by().aggregate(**aggregates)
    rows = queryset.order_by().values("business_units").annotate(**aggregates)
    result = {}
    for row in rows:
        unit_id = row["business_units"]  # None: the initiatives that concern no unit
        measure = measure_of(row, unit_id) if unit_id is not None else None
        if measure is not None and measure.has_data:
            result[unit_id] = measure
    result[None] = measure_of(overall, None)
    return result


# YES rate -----------------------------------------------------------------------------------


def _yes_rate_queryset(window: Window):
    return _decided_in(window).filter(origin__in=BUSINESS_ORIGINS)


_YES_RATE_COUNTS = {"total": Count("pk"), "approved": Count("pk", filter=_APPROVED)}


def _yes_rate_measure(window: Window, counts: dict, business_unit) -> Measure:
    params = _unit_param(
        {"decided_after": window.start.isoformat(), "decided_before": window.end.isoformat(), "origin": list(BUSINESS_ORIGINS)},
        business_unit,
    )
    return Measure(value=_percent(counts["approved"], counts["total"]), records=counts["total"], url=_list_url(**params))


def measure_yes_rate(window: Window, business_unit=None) -> Measure:
    """Share of the business requests (business request or from pain points) decided in the
    window that the CIO approved rather than rejected: how often IT says "YES"."""
    counts = _for_unit(_yes_rate_queryset(window), business_unit).aggregate(**_YES_RATE_COUNTS)
    return _yes_rate_measure(window, counts, business_unit)


def measure_yes_rate_by_unit(window: Window) -> dict:
    """`measure_yes_rate` for every business unit and overall, in two queries."""
    return _by_unit(
        _yes_rate_queryset(window), lambda counts, unit: _yes_rate_measure(window, counts, unit), **_YES_RATE_COUNTS
    )


# Median days to a decision --------------------------------------------------------------------


def measure_days_to_decision(window: Window, business_unit=None) -> Measure:
    """Median days from proposal to decision of the initiatives decided in the window (lower is better)."""
    rows = list(
        _for_unit(_decided_in(window).filter(proposed_at__isnull=False), business_unit).values_list(
            "proposed_at", "decided_at"
        )
    )
    days = [max(0, (decided - proposed).total_seconds() / 86400) for proposed, decided in rows]
    params = _unit_param({"decided_after": window.start.isoformat(), "decided_before": window.end.isoformat()}, business_unit)
    value = round(statistics.median(days), 1) if days else None
    return Measure(value=value, records=len(days), url=_list_url(**params))


# IT-originated ------------------------------------------------------------------------------------


def _it_originated_queryset(window: Window):
    return Initiative.objects.filter(proposed_at__date__range=(window.start, window.end))


_IT_ORIGINATED_COUNTS = {"total": Count("pk"), "it": Count("pk", filter=Q(origin=Origin.IT_PROPOSED))}


def _it_originated_measure(window: Window, counts: dict, business_unit) -> Measure:
    params = _unit_param({"proposed_after": window.start.isoformat(), "proposed_before": window.end.isoformat()}, business_unit)
    return Measure(value=_percent(counts["it"], counts["total"]), records=counts["total"], url=_list_url(**params))


def measure_it_originated(window: Window, business_unit=None) -> Measure:
    """Share of the initiatives proposed in the window that IT originated: proactivity."""
    counts = _for_unit(_it_originated_queryset(window), business_unit).aggregate(**_IT_ORIGINATED_COUNTS)
    return _it_originated_measure(window, counts, business_unit)


def measure_it_originated_by_unit(window: Window) -> dict:
    """`measure_it_originated` for every business unit and overall, in two queries."""
    return _by_unit(
        _it_originated_queryset(window),
        lambda counts, unit: _it_originated_measure(window, counts, unit),
        **_IT_ORIGINATED_COUNTS,
    )


# On-time delivery -------------------------------------------------------------------------------


def _on_time_queryset(window: Window):
    return Initiative.objects.filter(delivered_on__range=(window.start, window.end), target_date__isnull=False)


_ON_TIME_COUNTS = {"total": Count("pk"), "on_time": Count("pk", filter=Q(delivered_on__lte=F("target_date")))}


def _on_time_measure(window: Window, counts: dict, business_unit) -> Measure:
    params = _unit_param(
        {"delivered_after": window.start.isoformat(), "delivered_before": window.end.isoformat()}, business_unit
    )
    return Measure(value=_percent(counts["on_time"], counts["total"]), records=counts["total"], url=_list_url(**params))


def measure_on_time_delivery(window: Window, business_unit=None) -> Measure:
    """Share of the initiatives delivered in the window on or before their target date."""
    counts = _for_unit(_on_time_queryset(window), business_unit).aggregate(**_ON_TIME_COUNTS)
    return _on_time_measure(window, counts, business_unit)


def measure_on_time_delivery_by_unit(window: Window) -> dict:
    """`measure_on_time_delivery` for every business unit and overall, in two queries."""
    return _by_unit(
        _on_time_queryset(window), lambda counts, unit: _on_time_measure(window, counts, unit), **_ON_TIME_COUNTS
    )


def measure_overdue_milestones(window: Window, business_unit=None) -> Measure:
    """Milestones due in the window (up to today) that are not done, of open initiatives.
    The value is a count, so zero is a real value here when there are milestones due."""
    today = timezone.localdate()
    end = min(window.end, today - datetime.timedelta(days=1))
    queryset = Milestone.objects.filter(due_on__range=(window.start, end), initiative__status__in=OPEN_STATUSES)
    if business_unit is not None:
        queryset = queryset.filter(initiative__in=Initiative.objects.concerning(business_unit))
    late = late_milestones(today=today, due_after=window.start, due_before=end)
    counts = queryset.aggregate(total=Count("pk"), late=Count("pk", filter=Q(pk__in=late.values("pk"))))
    params = _unit_param(
        {"late_milestones": "true", "milestones_due_after": window.start.isoformat(), "milestones_due_before": end.isoformat()},
        business_unit,
    )
    value = counts["late"] if counts["total"] else None
    return Measure(value=value, records=counts["total"], url=_list_url(**params))


@dataclass(frozen=True)
class MeasureRow:
    key: str
    label: str
    measure: Measure
    unit: str
    lower_is_better: bool = False
    help: str = ""


def initiative_measures(window: Window, business_unit=None) -> list[MeasureRow]:
    """The measures shown on the initiatives page (a fixed number of queries)."""
    return [
        MeasureRow(
            "yes_rate",
            "YES rate",
            measure_yes_rate(window, business_unit),
            "%",
            help="Business requests approved, of those decided.",
        ),
        MeasureRow(
            "days_to_decision",
            "Median days to a decision",
            measure_days_to_decision(window, business_unit),
            "days",
            lower_is_better=True,
            help="From proposal to approval or rejection.",
        ),
        MeasureRow(
            "it_originated",
            "IT-originated",
            measure_it_originated(window, business_unit),
            "%",
            help="Initiatives proposed that IT thought of first.",
        ),
        MeasureRow(
            "on_time",
            "Delivered on time",
            measure_on_time_delivery(window, business_unit),
            "%",
            help="Delivered on or before the target date.",
        ),
        MeasureRow(
            "overdue_milestones",
            "Overdue milestones",
            measure_overdue_milestones(window, business_unit),
            "",
            lower_is_better=True,
            help="Milestones due in the window and not done.",
        ),
    ]


# --- What waits for me (partnership/agenda.py) ---------------------------------------------------


def agenda_milestones(user, since) -> list[AgendaEntry]:
    """IT: the open milestones of the open initiatives the user owns in IT, the soonest due first
    (one query)."""
    milestones = (
        Milestone.objects.for_user(user)
        .filter(done_on__isnull=True, initiative__it_owner=user, initiative__status__in=OPEN_STATUSES)
        .select_related("initiative")
        .order_by("due_on", "id")
    )
    return [
        AgendaEntry(
            kind="initiative.milestone",
            title=f"{m.title} ({m.initiative.title})",
            url=m.get_absolute_url(),
            at=m.created_at,
            due_on=m.due_on,
            detail="Overdue." if m.is_overdue else "",
        )
        for m in milestones[:PER_SOURCE]
    ]


def agenda_approvals(user, since) -> list[AgendaEntry]:
    """The CIO: initiatives proposed for a decision, waiting for "YES" or "NO" (one query)."""
    waiting = Initiative.objects.for_user(user).filter(
        status__in=(InitiativeStatus.PROPOSED, InitiativeStatus.EVALUATING)
    )
    return [
        AgendaEntry(
            kind="initiative.approval",
            title=f"Decide on “{i.title}” ({i.get_status_display().lower()})",
            url=i.get_absolute_url(),
            at=i.proposed_at or i.created_at,
        )
        for i in waiting.order_by("-proposed_at", "-id")[:PER_SOURCE]
    ]


def agenda_risk_acceptances(user, since) -> list[AgendaEntry]:
    """The CIO: undecided initiatives whose highest risk is at or above the threshold and that no
    acceptance covers yet, so they cannot be approved (one query; the rule of
    initiatives.workflow.risk_acceptance_needed, in SQL)."""
    top = Risk.objects.filter(initiative=OuterRef("pk")).order_by("-score").values("score")[:1]
    covered = RiskAcceptance.objects.filter(initiative=OuterRef("pk")).order_by("-highest_score").values("highest_score")[:1]
    waiting = (
        Initiative.objects.for_user(user)
        .filter(status__in=UNDECIDED_STATUSES)
        .annotate(top_risk=Subquery(top), covered=Subquery(covered))
        .filter(top_risk__gte=settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD)
        .filter(Q(covered__isnull=True) | Q(covered__lt=F("top_risk")))
    )
    return [
        AgendaEntry(
            kind="initiative.risk_acceptance",
            title=f"Accept the risk of “{i.title}” (risk score {i.top_risk})",
            url=f"{i.get_absolute_url()}#risks",
            at=i.status_changed_at or i.created_at,
        )
        for i in waiting.order_by("-status_changed_at", "-id")[:PER_SOURCE]
    ]


AGENDA = (
    AgendaSource("initiatives.milestones", frozenset({Role.IT_STAFF}), agenda_milestones),
    AgendaSource("initiatives.approvals", frozenset({Role.CIO}), agenda_approvals),
    AgendaSource("initiatives.risk_acceptances", frozenset({Role.CIO}), agenda_risk_acceptances),
)


# --- What IT delivered for a unit (partnership/delivered.py) ------------------------------------


def delivered_initiatives(user, unit, period):
    """Initiatives concerning the unit delivered within the period, newest first, with their
    benefits (one more query for the page's benefits)."""
    return (
        Initiative.objects.for_user(user)
        .concerning(unit)
        .filter(
            status__in=(InitiativeStatus.DELIVERED, InitiativeStatus.BENEFITS_REVIEWED),
            delivered_on__gte=period.start,
            delivered_on__lte=period.end,
        )
        .prefetch_related(Prefetch("benefits", queryset=Benefit.objects.order_by("id")))
        .order_by("-delivered_on", "-id")
    )


def _benefits_text(initiative) -> tuple[str, object]:
    """What the business got: the realised benefits once reviewed, else the expected ones."""
    benefits = list(initiative.benefits.all())
    realised = [b for b in benefits if b.reviewed_at is not None or b.realised.strip() or b.realised_amount is not None]
    if realised:
        amounts = [b.realised_amount for b in realised if b.realised_amount is not None]
        text = "; ".join(b.realised.strip() or b.description for b in realised)
        return f"Realised: {text}", sum(amounts) if amounts else None
    if benefits:
        return "Expected: " + "; ".join(b.description for b in benefits) + " (benefits not reviewed yet)", None
    return "", None


def delivered_initiative_entry(user, initiative) -> DeliveredEntry:
    detail, amount = _benefits_text(initiative)
    on_time = initiative.delivered_on_time
    timing = "" if on_time is None else (" On time." if on_time else f" Target was {initiative.target_date:%Y-%m-%d}.")
    return DeliveredEntry(
        kind="initiative.delivered",
        title=initiative.title,
        url=initiative.get_absolute_url(),
        on=initiative.delivered_on,
        detail=f"{detail}{timing}".strip(),
        amount=amount,
    )


def coming_initiatives(user, unit, period):
    """Initiatives concerning the unit that are approved or under way, the soonest target first."""
    return (
        Initiative.objects.for_user(user)
        .concerning(unit)
        .filter(status__in=(InitiativeStatus.APPROVED, InitiativeStatus.IN_PROGRESS))
        .order_by(F("target_date").asc(nulls_last=True), "id")
    )


def coming_initiative_entry(user, initiative) -> DeliveredEntry:
    late = " Past its target date." if initiative.is_late else ""
    return DeliveredEntry(
        kind=f"initiative.{initiative.status}",
        title=initiative.title,
        url=initiative.get_absolute_url(),
        on=initiative.target_date,
        detail=f"{initiative.get_status_display()}.{late}",
    )


DELIVERED = (
    DeliveredSource(
        "initiatives.delivered", DELIVERED_SECTION, "Initiatives delivered", delivered_initiatives, delivered_initiative_entry,
        empty="No initiative for the unit was delivered in this period.",
    ),
    DeliveredSource(
        "initiatives.coming", COMING, "Initiatives under way", coming_initiatives, coming_initiative_entry,
        empty="No initiative for the unit is approved or in progress.",
    ),
)
