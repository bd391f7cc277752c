"""Reads of the score: the score of a window (from the fresh rollup, else measured live through
`scoring`), history and "what changed".
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from ..agenda import AgendaEntry, AgendaSource
from ..models import BusinessUnit
from ..roles import Role
from ..templatetags.portal_numbers import score_format
from .engine import maturity_band
from .models import PulseResponse, ScoreSnapshot
from .registry import Window, attention_sources, registered_indicators
from .rollup import score_rollup_entry, score_rollup_read, scores_for
from .scoring import current_config, gather_measures, score_scope


def partnership_score(window: Window, business_unit=None, with_units: bool = True) -> dict:
    """The overall score (or one unit's), and every unit's score for the comparison."""
    config = current_config()
    units = list(BusinessUnit.objects.filter(is_active=True).order_by("name"))
    entry = score_rollup_entry(window)
    scopes = [business_unit, *(units if with_units else [])]
    stored = scores_for(entry, config, scopes)
    if stored is not None:  # scored by the rollup under this configuration: nothing to compute
        return {"window": window, "config": config, "main": stored[0], "units": stored[1:]}
    gathered = score_rollup_read(window) if entry is not None else None
    if gathered is None:
        gathered = gather_measures(window, units)
    main = score_scope(gathered, business_unit, config)
    per_unit = [score_scope(gathered, unit, config) for unit in units] if with_units else []
    return {"window": window, "config": config, "main": main, "units": per_unit}


def score_history(business_unit=None, window_days: int = 90, since: datetime.date | None = None):
    snapshots = ScoreSnapshot.objects.filter(window_days=window_days)
    snapshots = (
        snapshots.filter(business_unit=business_unit) if business_unit is not None else snapshots.filter(business_unit__isnull=True)
    )
    if since is not None:
        snapshots = snapshots.filter(date__gte=since)
    return snapshots.order_by("date")


def what_changed(business_unit=None, window_days: int = 90, days: int = 30, limit: int = 5) -> dict | None:
    """The indicators that moved most between the latest snapshot and the one `days` before."""
    history = score_history(business_unit, window_days)
    latest = history.last()
    if latest is None:
        return None
    earlier = history.filter(date__lte=latest.date - datetime.timedelta(days=days)).last()
    if earlier is None:
        return {"latest": latest, "earlier": None, "moves": []}
    labels = {i.key: i for i in registered_indicators()}
    moves = []
    for key, now in latest.indicators.items():
        before = earlier.indicators.get(key, {})
        if now.get("score") is None or before.get("score") is None:
            continue
        delta = now["score"] - before["score"]
        if abs(delta) >= 0.5:
            indicator = labels.get(key)
            moves.append(
                {
                    "key": key,
                    "label": indicator.label if indicator else key,
                    "before": before["score"],
                    "after": now["score"],
                    "delta": delta,
                    "url": now.get("url", ""),
                }
            )
    moves.sort(key=lambda m: abs(m["delta"]), reverse=True)
    return {"latest": latest, "earlier": earlier, "moves": moves[:limit]}


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def pulse_summary(window: Window, business_unit=None) -> dict:
    """The business pulse in the window: average per statement (1-5) and as 0-100."""
    from django.db.models import Avg, Count

    responses = PulseResponse.objects.filter(created_at__date__gte=window.start, created_at__date__lte=window.end)
    if business_unit is not None:
        responses = responses.filter(business_unit=business_unit)
    agg = responses.aggregate(n=Count("id"), understands=Avg("understands"), delivers=Avg("delivers"), partner=Avg("partner"))
    if not agg["n"]:
        return {"responses": 0, "score": None}
    average = (agg["understands"] + agg["delivers"] + agg["partner"]) / 3
    return {
        "responses": agg["n"],
        "understands": agg["understands"],
        "delivers": agg["delivers"],
        "partner": agg["partner"],
        "average": average,
        "score": (average - 1) / 4 * 100,
    }


def attention_items(user, business_unit=None) -> list[dict]:
    items = []
    for source in attention_sources():
        found = source.measure(user, business_unit)
        items.append({"key": source.key, "label": source.label, "pillar": source.pillar, "count": found.count,
                      "url": found.url, "detail": found.detail})
    return items


# --- What waits for me (partnership/agenda.py) ---------------------------------------------------

# The change of a unit's score is read against the snapshot this many days before the latest.
SCORE_CHANGE_DAYS = 30


def agenda_unit_score(user, since) -> list[AgendaEntry]:
    """A business manager's unit: its latest 90-day score and its change over 30 days (two queries)."""
    unit_id = user.business_unit_id
    if unit_id is None:
        return []
    history = ScoreSnapshot.objects.for_user(user).filter(business_unit_id=unit_id, window_days=90).select_related(
        "business_unit"
    )
    latest = history.exclude(overall__isnull=True).order_by("-date").first()
    if latest is None:
        return []
    earlier = (
        history.exclude(overall__isnull=True)
        .filter(date__lte=latest.date - datetime.timedelta(days=SCORE_CHANGE_DAYS))
        .order_by("-date")
        .first()
    )
    title = f"{latest.business_unit.name}'s partnership score: {score_format(latest.overall, 0)}"
    if earlier is not None:
        delta = latest.overall - earlier.overall
        title += f" ({'+' if delta >= 0 else '−'}{score_format(abs(delta), 0)} since {earlier.date:%Y-%m-%d})"
    return [AgendaEntry(kind="score.unit", title=title, url=reverse("dashboard"), at=timezone.now())]


def agenda_pulse(user, since) -> list[AgendaEntry]:
    """A business manager who has not answered this quarter's pulse (one query); due at the quarter's end."""
    today = timezone.localdate()
    if PulseResponse.objects.for_user(user).filter(respondent=user, quarter=quarter_of(today)).exists():
        return []
    first_month = (today.month - 1) // 3 * 3 + 1
    next_quarter = datetime.date(today.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return [
        AgendaEntry(
            kind="score.pulse",
            title=f"Tell IT how you see it: the {quarter_of(today)} pulse",
            url=reverse("pulse"),
            at=timezone.now(),
            due_on=next_quarter - datetime.timedelta(days=1),
        )
    ]


def agenda_attention(user, since) -> list[AgendaEntry]:
    """The CIO: the dashboard's attention list, the items that count something."""
    now = timezone.now()
    return [
        AgendaEntry(kind=f"attention.{item['key']}", title=f"{item['label']}: {item['count']}", url=item["url"], at=now,
                    detail=item["detail"] or "")
        for item in attention_items(user)
        if item["count"]
    ]


AGENDA = (
    AgendaSource("score.unit", frozenset({Role.BUSINESS_MANAGER}), agenda_unit_score),
    AgendaSource("score.pulse", frozenset({Role.BUSINESS_MANAGER}), agenda_pulse),
    AgendaSource("score.attention", frozenset({Role.CIO}), agenda_attention),
)


__all__ = ["current_config", "gather_measures", "maturity_band", "partnership_score", "score_scope", "score_history", "what_changed", "pulse_summary", "attention_items"]
