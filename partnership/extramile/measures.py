"""The score indicators' measures of "Take the extra mile": plain functions of
(window, business_unit=None) -> Measure, and their by-unit forms (see indicators.py).

Each reads the base tables once per window; the per-unit forms group in the database.
"""

from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from ..score import Measure, Window
from .choices import ActionStatus
from .models import CheckIn, ExtraMileAction, ExtraMileRating, ResolutionSurvey


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def _unit_pk(business_unit):
    return getattr(business_unit, "pk", None)


def _resolved_counts(window: Window) -> dict:
    """{unit_id: pain points resolved in the window}; one query."""
    from listening.choices import PainPointStatus
    from listening.models import PainPointStatusChange

    rows = (
        PainPointStatusChange.objects.filter(to_status=PainPointStatus.RESOLVED, at__date__range=(window.start, window.end))
        .values("pain_point__business_unit_id")
        .annotate(n=Count("pain_point_id", distinct=True))
        .values_list("pain_point__business_unit_id", "n")
    )
    return dict(rows)


def _action_groups(window: Window) -> list:
    """(unit, performer, week, confirmed, count) of the done actions in the window; one query."""
    confirmed = Exists(ExtraMileRating.objects.filter(action=OuterRef("pk")))
    return list(
        ExtraMileAction.objects.done()
        .filter(performed_on__range=(window.start, window.end))
        .annotate(confirmed=confirmed, week=TruncWeek("performed_on"))
        .values("business_unit_id", "performed_by_id", "week", "confirmed")
        .annotate(n=Count("pk"))
        .values_list("business_unit_id", "performed_by_id", "week", "confirmed", "n")
        .order_by()
    )


def weighted_action_count(groups, *, weight: float, cap: int) -> float:
    """Confirmed actions count 1 and unconfirmed ones `weight`; at most `cap` actions count per
    performer and week (confirmed ones first), so logging many small things earns nothing more."""
    per_week = defaultdict(lambda: [0, 0])
    for performer, week, confirmed, n in groups:
        per_week[(performer, week)][0 if confirmed else 1] += n
    total = 0.0
    for confirmed_n, unconfirmed_n in per_week.values():
        counted_confirmed = min(confirmed_n, cap)
        counted_unconfirmed = min(unconfirmed_n, cap - counted_confirmed)
        total += counted_confirmed + weight * counted_unconfirmed
    return total


def _actions_measure(window, groups, resolved: int, unit_id=None) -> Measure:
    weighted = weighted_action_count(
        groups, weight=settings.EXTRAMILE_UNCONFIRMED_WEIGHT, cap=settings.EXTRAMILE_MAX_ACTIONS_PER_WEEK
    )
    return Measure(
        value=round(weighted / resolved, 2) if resolved else None,
        records=sum(n for *_, n in groups),
        url=_url("extramile:action-list", status="done", unit=unit_id, **{"from": window.start.isoformat(), "to": window.end.isoformat()}),
    )


def measure_actions_per_resolved(window: Window, business_unit=None) -> Measure:
    """Extra-mile actions per pain point resolved in the window (unconfirmed ones weigh less,
    at most EXTRAMILE_MAX_ACTIONS_PER_WEEK per performer a week). Two queries."""
    unit_id = _unit_pk(business_unit)
    resolved = _resolved_counts(window)
    rows = _action_groups(window)
    groups = [(p, w, c, n) for u, p, w, c, n in rows if unit_id is None or u == unit_id]
    total = resolved.get(unit_id, 0) if unit_id is not None else sum(resolved.values())
    return _actions_measure(window, groups, total, unit_id)


def measure_actions_per_resolved_by_unit(window: Window) -> dict:
    resolved = _resolved_counts(window)
    rows = _action_groups(window)
    units = set(resolved) | {u for u, *_ in rows}
    result = {
        unit: _actions_measure(window, [(p, w, c, n) for u, p, w, c, n in rows if u == unit], resolved.get(unit, 0), unit)
        for unit in units
    }
    result[None] = _actions_measure(window, [(p, w, c, n) for _, p, w, c, n in rows], sum(resolved.values()))
    return result


def _rating_rows(window: Window) -> dict:
    rows = (
        ExtraMileRating.objects.filter(action__status=ActionStatus.DONE, action__performed_on__range=(window.start, window.end))
        .values("action__business_unit_id")
        .annotate(total=Sum("rating"), n=Count("pk"))
        .values_list("action__business_unit_id", "total", "n")
    )
    return {unit: (total, n) for unit, total, n in rows}


def _rating_measure(window, total, n, unit_id=None) -> Measure:
    return Measure(
        value=round(total / n, 2) if n else None,
        records=n,
        url=_url("extramile:action-list", confirmed="yes", unit=unit_id, **{"from": window.start.isoformat(), "to": window.end.isoformat()}),
    )


def _totals(rows: dict, unit_id) -> tuple:
    """(sum, count) of one unit's rows, or of every unit's when unit_id is None."""
    if unit_id is not None:
        return rows.get(unit_id, (0, 0))
    return sum(t for t, _ in rows.values()), sum(n for _, n in rows.values())


def _averages_by_unit(window: Window, rows: dict, measure) -> dict:
    result = {unit: measure(window, total, n, unit) for unit, (total, n) in rows.items()}
    result[None] = measure(window, *_totals(rows, None))
    return result


def measure_average_rating(window: Window, business_unit=None) -> Measure:
    """The recipients' average rating (1-5) of the confirmed actions performed in the window. One query."""
    unit_id = _unit_pk(business_unit)
    return _rating_measure(window, *_totals(_rating_rows(window), unit_id), unit_id)


def measure_average_rating_by_unit(window: Window) -> dict:
    return _averages_by_unit(window, _rating_rows(window), _rating_measure)


def _check_in_rows(window: Window) -> dict:
    """{unit: (due check-ins, answered on time)} for the check-ins due in the window and already due."""

    rows = (
        CheckIn.objects.filter(due_at__date__range=(window.start, window.end), due_at__lte=timezone.now())
        .values("key_user__business_unit_id")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))))
        .values_list("key_user__business_unit_id", "total", "on_time")
    )
    return {unit: (total, on_time) for unit, total, on_time in rows}


def _percent_measure(window, total, part, unit_id=None) -> Measure:
    return Measure(
        value=round(100.0 * part / total, 1) if total else None,
        records=total,
        url=_url("extramile:checkin-list", unit=unit_id, due_from=window.start.isoformat(), due_to=window.end.isoformat()),
    )


def measure_check_ins_on_time(window: Window, business_unit=None) -> Measure:
    """Share of the check-ins due in the window that were answered by their due time. One query."""
    rows = _check_in_rows(window)
    unit_id = _unit_pk(business_unit)
    if unit_id is not None:
        total, part = rows.get(unit_id, (0, 0))
    else:
        total, part = sum(t for t, _ in rows.values()), sum(p for _, p in rows.values())
    return _percent_measure(window, total, part, unit_id)


def measure_check_ins_on_time_by_unit(window: Window) -> dict:
    rows = _check_in_rows(window)
    result = {unit: _percent_measure(window, total, part, unit) for unit, (total, part) in rows.items()}
    result[None] = _percent_measure(window, sum(t for t, _ in rows.values()), sum(p for _, p in rows.values()))
    return result


def _survey_rows(window: Window) -> dict:
    rows = (
        ResolutionSurvey.objects.answered()
        .filter(resolved_at__date__range=(window.start, window.end))
        .values("business_unit_id")
        .annotate(total=Sum("rating"), n=Count("pk"))
        .values_list("business_unit_id", "total", "n")
    )
    return {unit: (total, n) for unit, total, n in rows}


def _survey_measure(window, total, n, unit_id=None) -> Measure:
    return Measure(
        value=round(total / n, 2) if n else None,
        records=n,
        url=_url("extramile:survey-list", state="answered", unit=unit_id, **{"from": window.start.isoformat(), "to": window.end.isoformat()}),
    )


def measure_survey_average(window: Window, business_unit=None) -> Measure:
    """The average post-resolution survey rating (1-5) of pain points resolved in the window. One query."""
    unit_id = _unit_pk(business_unit)
    return _survey_measure(window, *_totals(_survey_rows(window), unit_id), unit_id)


def measure_survey_average_by_unit(window: Window) -> dict:
    return _averages_by_unit(window, _survey_rows(window), _survey_measure)


