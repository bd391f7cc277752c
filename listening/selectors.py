"""Reads of the listening app: querysets ready for pages, API and exports.

Every function starts from `for_user()`, so pages, the API, the similar-titles endpoint and
the score all apply the same visibility rule.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from partnership.agenda import PER_SOURCE, AgendaEntry, AgendaSource
from partnership.delivered import COMING, DeliveredEntry, DeliveredSource
from partnership.delivered import DELIVERED as DELIVERED_SECTION
from partnership.models import BusinessUnit
from partnership.roles import Role
from partnership.score import Measure, Window
from partnership.score.registry import Attention

from .choices import OPEN_STATUSES, PainPointStatus
from .models import Evaluation, EvaluationOption, ListeningSession, PainPoint, PainPointStatusChange, Vote, Watch

# Words of a search text: letters and digits only, so nothing reaches a tsquery unescaped.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
SEARCH_CONFIG = "english"


def _vote_count():
    votes = Vote.objects.filter(pain_point=OuterRef("pk")).order_by().values("pain_point")
    return Coalesce(Subquery(votes.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))


# Never the pain point a row was merged into, nor its listening session: another object, named
# only through visibility.reference_to (so never loaded without the reader's for_user).
LIST_RELATED = ("business_unit", "submitted_by")


def pain_point_annotate(queryset, *, user, related=LIST_RELATED):
    """Add what lists show: related rows, the vote count, and whether `user` voted or watches.

    Counts are subqueries, not joins, so filters never multiply rows and a page costs the same
    number of queries at any size. `related` names the joined rows.
    """
    return queryset.select_related(*related).annotate(
        vote_count=_vote_count(),
        has_voted=Exists(Vote.objects.filter(pain_point=OuterRef("pk"), user_id=user.pk)),
        is_watching=Exists(Watch.objects.filter(pain_point=OuterRef("pk"), user_id=user.pk)),
    )


def pain_point_list(*, user):
    """Pain points the user may see, annotated for lists."""
    return pain_point_annotate(PainPoint.objects.for_user(user), user=user)


def pain_point_prefetch_detail(queryset, *, user):
    """What the detail page and the API detail show besides the list columns."""
    return queryset.prefetch_related(
        "comments__author",
        "status_changes__actor",
        Prefetch("evaluation__options", queryset=EvaluationOption.objects.order_by("position", "id")),
    ).select_related("evaluation", "evaluation__evaluated_by")


def pain_point_detail(*, user):
    """The list queryset plus what the detail page shows."""
    return pain_point_prefetch_detail(pain_point_list(user=user), user=user)


def evaluation_of(pain_point: PainPoint) -> Evaluation | None:
    """The evaluation of a pain point, or None (without raising on a missing reverse one-to-one)."""
    try:
        return pain_point.evaluation
    except Evaluation.DoesNotExist:
        return None


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def _words(text: str) -> list[str]:
    return _WORD.findall((text or "").lower())[:12]


def pain_point_search(queryset, text: str):
    """Full-text search on PostgreSQL (title weighs more than description, stemmed words);
    a plain `icontains` on every word elsewhere (SQLite on a laptop).
    """
    words = _words(text)
    if not words:
        return queryset
    if uses_postgres_search():
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "description", weight="B", config=SEARCH_CONFIG
        )
        query = SearchQuery(" ".join(words), search_type="plain", config=SEARCH_CONFIG)
        # A title substring ("SAP" in "SAP-export") also matches, as users expect of a search box.
        return queryset.alias(search_vector=vector).filter(
            Q(search_vector=query) | Q(title__icontains=text.strip()) | Q(external_ref__iexact=text.strip())
        )
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(description__icontains=word)
    return queryset.filter(condition | Q(external_ref__iexact=text.strip()))


def similar_open_pain_points(*, user, text: str, limit: int = 5, exclude_pk=None):
    """Open pain points whose title or description shares words with `text` (a title being typed).

    PostgreSQL: any word matches as a prefix (the last word is usually half typed), ranked by
    full-text rank. Elsewhere: titles containing any of the words of three letters or more.
    """
    words = [w for w in _words(text) if len(w) >= 3]
    if not words:
        return PainPoint.objects.none()
    queryset = pain_point_list(user=user).filter(status__in=OPEN_STATUSES)
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    if uses_postgres_search():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "description", weight="D", config=SEARCH_CONFIG
        )
        query = SearchQuery(" | ".join(f"{w}:*" for w in words), search_type="raw", config=SEARCH_CONFIG)
        return (
            queryset.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("-rank", "-vote_count", "-created_at")[:limit]
        )
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word)
    return queryset.filter(condition).order_by("-vote_count", "-created_at")[:limit]


def triage_queue(*, user):
    """What IT still has to answer: new pain points first, by acknowledgement due day, then the
    acknowledged and analysing ones by the same SLA order."""
    return (
        pain_point_list(user=user)
        .filter(status__in=[PainPointStatus.NEW, PainPointStatus.ACKNOWLEDGED, PainPointStatus.ANALYSING])
        .annotate(
            awaiting_ack=Case(When(status=PainPointStatus.NEW, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("awaiting_ack", "ack_due_on", "created_at", "id")
    )


def past_sla(*, user, business_unit=None, today: datetime.date | None = None):
    """New pain points the user may see whose acknowledgement due day has passed."""
    queryset = PainPoint.objects.for_user(user).filter(
        status=PainPointStatus.NEW, ack_due_on__lt=today or timezone.localdate()
    )
    if business_unit is not None:
        queryset = queryset.filter(business_unit=business_unit)
    return queryset


def attention_past_sla(user, business_unit=None) -> Attention:
    """The dashboard's attention item: how many pain points wait past their SLA (one query),
    linking to the pain point list filtered to them."""
    params = {"sla": "overdue"}
    if business_unit is not None:
        params["business_unit"] = business_unit.pk
    return Attention(
        count=past_sla(user=user, business_unit=business_unit).count(),
        url=_list_url("listening:index", **params),
    )


def listening_session_annotate(queryset, *, user):
    """Sessions with their unit, recorder, attendees and the pain points (visible to `user`)
    they surfaced; a fixed number of queries for any number of sessions."""
    return queryset.select_related("business_unit", "recorded_by").prefetch_related(
        "it_attendees",
        "business_attendees",
        Prefetch(
            "pain_points",
            queryset=PainPoint.objects.for_user(user).select_related("business_unit").order_by("-created_at"),
            to_attr="visible_pain_points",
        ),
    )


def listening_session_list(*, user):
    return listening_session_annotate(ListeningSession.objects.for_user(user), user=user)


@dataclass(frozen=True)
class CoverageRow:
    unit: BusinessUnit
    last_session_on: datetime.date | None
    sessions_in_period: int
    days_since: int | None

    @property
    def covered(self) -> bool:
        return self.sessions_in_period > 0


def listening_coverage(*, days: int, today: datetime.date | None = None) -> list[CoverageRow]:
    """For every active business unit: its last listening session and whether IT listened to it
    in the last `days` days. One query; the units not listened to come first."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days)
    units = BusinessUnit.objects.filter(is_active=True).annotate(
        last_session_on=Max("listening_sessions__held_on"),
        sessions_in_period=Count("listening_sessions", filter=Q(listening_sessions__held_on__gte=since)),
    )
    rows = [
        CoverageRow(
            unit=unit,
            last_session_on=unit.last_session_on,
            sessions_in_period=unit.sessions_in_period,
            days_since=(today - unit.last_session_on).days if unit.last_session_on else None,
        )
        for unit in units
    ]
    return sorted(rows, key=lambda r: (r.covered, r.last_session_on or datetime.date.min, r.unit.name))


# --- Score indicators: plain functions of (window, business_unit=None) -> Measure -------------


def _list_url(name: str, **params) -> str:
    query = urlencode([(k, v) for k, values in params.items() for v in (values if isinstance(values, list) else [values])])
    return f"{reverse(name)}?{query}"


def _percent(part: int, whole: int):
    return None if not whole else round(100.0 * part / whole, 1)


@dataclass(frozen=True)
class _UnitRef:
    """Enough of a business unit for a measure: its id."""

    pk: int


def _units_listened_counts(window: Window):
    """{unit_id: sessions in the window} for every active unit; one query."""
    in_window = Q(listening_sessions__held_on__range=(window.start, window.end))
    return dict(
        BusinessUnit.objects.filter(is_active=True)
        .values("pk")
        .annotate(n=Count("listening_sessions", filter=in_window))
        .values_list("pk", "n")
    )


def _units_listened_measures(window: Window, counts: dict, business_unit=None) -> Measure:
    params = {"held_after": window.start.isoformat(), "held_before": window.end.isoformat()}
    if business_unit is not None:
        counts = {business_unit.pk: counts.get(business_unit.pk, 0)} if business_unit.pk in counts else {}
        params["business_unit"] = business_unit.pk
    listened = sum(1 for n in counts.values() if n)
    return Measure(
        value=_percent(listened, len(counts)),
        records=sum(counts.values()),
        url=_list_url("listening:session-list", **params),
    )


def measure_units_listened(window: Window, business_unit=None) -> Measure:
    """Share of active business units with at least one listening session in the window."""
    return _units_listened_measures(window, _units_listened_counts(window), business_unit)


def measure_units_listened_by_unit(window: Window) -> dict:
    counts = _units_listened_counts(window)
    result = {unit_id: _units_listened_measures(window, counts, _UnitRef(unit_id)) for unit_id in counts}
    result[None] = _units_listened_measures(window, counts)
    return result


def _submitted_in(window: Window):
    return PainPoint.objects.filter(created_at__date__range=(window.start, window.end))


def _ack_conditions(today: datetime.date):
    decided = Q(acknowledged_at__isnull=False) | Q(ack_due_on__lt=today)
    met = Q(acknowledged_at__isnull=False, acknowledged_on__lte=F("ack_due_on"))
    return decided, met


def _ack_measure(window: Window, total: int, met: int, unit_id=None) -> Measure:
    params = {"submitted_after": window.start.isoformat(), "submitted_before": window.end.isoformat(), "sla": "due"}
    if unit_id is not None:
        params["business_unit"] = unit_id
    return Measure(value=_percent(met, total), records=total, url=_list_url("listening:index", **params))


def measure_acknowledged_within_sla(window: Window, business_unit=None) -> Measure:
    """Share of the pain points submitted in the window, whose SLA has come due (or that were
    answered), that IT acknowledged on or before their due day. Pending ones are left out."""
    decided, met = _ack_conditions(timezone.localdate())
    queryset = _submitted_in(window).annotate(acknowledged_on=TruncDate("acknowledged_at"))
    if business_unit is not None:
        queryset = queryset.filter(business_unit=business_unit)
    counts = queryset.aggregate(total=Count("pk", filter=decided), met=Count("pk", filter=met))
    return _ack_measure(window, counts["total"], counts["met"], getattr(business_unit, "pk", None))


def measure_acknowledged_within_sla_by_unit(window: Window) -> dict:
    decided, met = _ack_conditions(timezone.localdate())
    rows = (
        _submitted_in(window)
        .annotate(acknowledged_on=TruncDate("acknowledged_at"))
        .values("business_unit")
        .annotate(total=Count("pk", filter=decided), met=Count("pk", filter=met))
        .order_by()
    )
    result = {row["business_unit"]: _ack_measure(window, row["total"], row["met"], row["business_unit"]) for row in rows}
    result[None] = _ack_measure(window, sum(r["total"] for r in rows), sum(r["met"] for r in rows))
    return result


PLAN_AGE_DAYS = 30
_ANSWERED_WITH_PLAN = (PainPointStatus.PLANNED, PainPointStatus.RESOLVED, PainPointStatus.CLOSED)


def _aged_in(window: Window):
    """Pain points submitted in the window that are at least 30 days old by its end; merged
    ones are counted in the pain point they were merged into."""
    cutoff = min(window.end, timezone.localdate()) - datetime.timedelta(days=PLAN_AGE_DAYS)
    return (
        _submitted_in(window).filter(created_at__date__lte=cutoff).exclude(status=PainPointStatus.MERGED),
        cutoff,
    )


def _planned_measure(window: Window, cutoff, total: int, planned: int, unit_id=None) -> Measure:
    params = {
        "submitted_after": window.start.isoformat(),
        "submitted_before": cutoff.isoformat(),
        "status": [s for s in PainPointStatus.values if s != PainPointStatus.MERGED],
    }
    if unit_id is not None:
        params["business_unit"] = unit_id
    return Measure(value=_percent(planned, total), records=total, url=_list_url("listening:index", **params))


def measure_old_pain_points_planned(window: Window, business_unit=None) -> Measure:
    """Share of the pain points older than 30 days that have a plan or are resolved: the
    business hears a plan, not a silence or a "no"."""
    queryset, cutoff = _aged_in(window)
    if business_unit is not None:
        queryset = queryset.filter(business_unit=business_unit)
    counts = queryset.aggregate(total=Count("pk"), planned=Count("pk", filter=Q(status__in=_ANSWERED_WITH_PLAN)))
    return _planned_measure(window, cutoff, counts["total"], counts["planned"], getattr(business_unit, "pk", None))


def measure_old_pain_points_planned_by_unit(window: Window) -> dict:
    queryset, cutoff = _aged_in(window)
    rows = list(
        queryset.values("business_unit")
        .annotate(total=Count("pk"), planned=Count("pk", filter=Q(status__in=_ANSWERED_WITH_PLAN)))
        .order_by()
    )
    result = {
        row["business_unit"]: _planned_measure(window, cutoff, row["total"], row["planned"], row["business_unit"])
        for row in rows
    }
    result[None] = _planned_measure(
        window, cutoff, sum(r["total"] for r in rows), sum(r["planned"] for r in rows)
    )
    return result


# --- What waits for me (partnership/agenda.py) ---------------------------------------------------


def agenda_pain_points_changed(user, since) -> list[AgendaEntry]:
    """The pain points a business person raised or watches whose status changed since their
    last visit (one query)."""
    watched = Watch.objects.filter(pain_point=OuterRef("pk"), user=user)
    changed = PainPoint.objects.for_user(user).filter(
        Q(submitted_by=user) | Q(Exists(watched)), status_changed_at__isnull=False
    )
    if since is not None:
        changed = changed.filter(status_changed_at__gt=since)
    return [
        AgendaEntry(
            kind="pain_point.changed",
            title=f"{p.title}: now {p.get_status_display().lower()}",
            url=p.get_absolute_url(),
            at=p.status_changed_at,
            detail="Your pain point changed since your last visit.",
        )
        for p in changed.order_by("-status_changed_at", "-id")[:PER_SOURCE]
    ]


def agenda_triage(user, since) -> list[AgendaEntry]:
    """IT: how many new pain points wait for their acknowledgement (one query)."""
    count = PainPoint.objects.for_user(user).filter(status=PainPointStatus.NEW).count()
    if not count:
        return []
    return [
        AgendaEntry(
            kind="pain_point.triage",
            title=f"{count} new pain point{'s' if count != 1 else ''} to triage",
            url=reverse("listening:triage"),
            at=timezone.now(),
        )
    ]


def agenda_overdue_acknowledgements(user, since) -> list[AgendaEntry]:
    """IT: new pain points past their acknowledgement due day, the longest overdue first (one query)."""
    return [
        AgendaEntry(
            kind="pain_point.ack_overdue",
            title=f"Acknowledge “{p.title}” ({p.business_unit.name})",
            url=p.get_absolute_url(),
            at=p.created_at,
            due_on=p.ack_due_on,
            detail="Past its acknowledgement SLA.",
        )
        for p in past_sla(user=user).select_related("business_unit").order_by("ack_due_on", "id")[:PER_SOURCE]
    ]


def agenda_analyses(user, since) -> list[AgendaEntry]:
    """IT: the pain points in analysis the user owns - they started the analysis or wrote its
    evaluation (one query)."""
    started = PainPointStatusChange.objects.filter(
        pain_point=OuterRef("pk"), to_status=PainPointStatus.ANALYSING, actor=user
    )
    analysing = PainPoint.objects.for_user(user).filter(
        Q(evaluation__evaluated_by=user) | Q(Exists(started)), status=PainPointStatus.ANALYSING
    )
    return [
        AgendaEntry(
            kind="pain_point.analysis",
            title=f"Finish the analysis of “{p.title}”",
            url=p.get_absolute_url(),
            at=p.status_changed_at or p.created_at,
        )
        for p in analysing.order_by("-status_changed_at", "-id")[:PER_SOURCE]
    ]


AGENDA = (
    AgendaSource("listening.changed", frozenset({Role.BUSINESS_MANAGER}), agenda_pain_points_changed),
    AgendaSource("listening.triage", frozenset({Role.IT_STAFF}), agenda_triage),
    AgendaSource("listening.ack_overdue", frozenset({Role.IT_STAFF}), agenda_overdue_acknowledgements),
    AgendaSource("listening.analysis", frozenset({Role.IT_STAFF}), agenda_analyses),
)


# --- What IT delivered for a unit (partnership/delivered.py) ------------------------------------


def _reached(status):
    """When a pain point last reached `status` (a subquery of its history)."""
    steps = PainPointStatusChange.objects.filter(pain_point=OuterRef("pk"), to_status=status).order_by("-at", "-id")
    return Subquery(steps.values("at")[:1])


def _plan_of(pain_point) -> str:
    """The plan as the business reads it: the plan note, else the evaluation's recommended plan."""
    evaluation = getattr(pain_point, "evaluation", None)  # a missing one-to-one raises an AttributeError
    return pain_point.plan_note or (evaluation.plan if evaluation is not None else "")


def delivered_resolved_pain_points(user, unit, period):
    """The unit's pain points resolved within the period (closed since counts too), newest first."""
    start, end = period.moments()
    return (
        PainPoint.objects.for_user(user)
        .filter(business_unit=unit, status__in=(PainPointStatus.RESOLVED, PainPointStatus.CLOSED))
        .select_related("evaluation")
        .annotate(resolved_at=_reached(PainPointStatus.RESOLVED))
        .filter(resolved_at__gte=start, resolved_at__lt=end)
        .order_by("-resolved_at", "-id")
    )


def delivered_resolved_entry(user, pain_point) -> DeliveredEntry:
    plan = _plan_of(pain_point)
    return DeliveredEntry(
        kind="pain_point.resolved",
        title=pain_point.title,
        url=pain_point.get_absolute_url(),
        on=timezone.localdate(pain_point.resolved_at),
        detail=f"Plan: {plan}" if plan else "",
    )


def delivered_planned_pain_points(user, unit, period):
    """The unit's pain points with a plan, not yet resolved: the soonest target date of an
    initiative answering them first (those without one last)."""
    answered_by = PainPoint.initiatives.through.objects.filter(
        painpoint_id=OuterRef("pk"), initiative__target_date__isnull=False
    ).order_by("initiative__target_date")
    return (
        PainPoint.objects.for_user(user)
        .filter(business_unit=unit, status=PainPointStatus.PLANNED)
        .select_related("evaluation")
        .annotate(planned_at=_reached(PainPointStatus.PLANNED), target_on=Subquery(answered_by.values("initiative__target_date")[:1]))
        .order_by(F("target_on").asc(nulls_last=True), "-planned_at", "-id")
    )


def delivered_planned_entry(user, pain_point) -> DeliveredEntry:
    plan = _plan_of(pain_point)
    planned = f"Planned on {timezone.localdate(pain_point.planned_at):%Y-%m-%d}. " if pain_point.planned_at else ""
    return DeliveredEntry(
        kind="pain_point.planned",
        title=pain_point.title,
        url=pain_point.get_absolute_url(),
        on=pain_point.target_on,
        detail=f"{planned}Plan: {plan}" if plan else planned.strip(),
    )


DELIVERED = (
    DeliveredSource(
        "listening.resolved", DELIVERED_SECTION, "Pain points resolved", delivered_resolved_pain_points, delivered_resolved_entry,
        empty="No pain point of the unit was resolved in this period.",
    ),
    DeliveredSource(
        "listening.planned", COMING, "Pain points with a plan", delivered_planned_pain_points, delivered_planned_entry,
        empty="No pain point of the unit waits for its plan to be carried out.",
    ),
)
