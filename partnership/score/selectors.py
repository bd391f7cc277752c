"""Reads of the score: gathering the measures, scoring them, history and "what changed".

Gathering every indicator for every business unit costs a fixed number of queries: each
indicator that provides `measure_by_unit` is asked once for all units together. An indicator
that only provides `measure(window, unit)` is asked once per unit, so every built-in
indicator provides `measure_by_unit`.
"""

import datetime
from dataclasses import dataclass, field

from ..models import BusinessUnit
from .engine import IndicatorInput, compute, maturity_band
from .models import PulseResponse, ScoreConfig, ScoreSnapshot
from .registry import Indicator, Measure, Pillar, Window, attention_sources, registered_indicators

NO_DATA = Measure(value=None)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator on the dashboard, for one scope (overall or one unit)."""

    key: str
    pillar: str
    label: str
    unit: str
    direction: str
    target: float
    value: float | None
    score: float | None
    contribution: float | None
    records: int
    url: str
    description: str = ""

    @property
    def has_data(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class ScopeScore:
    """The score of one scope: overall (business_unit None) or one business unit."""

    business_unit: object | None
    overall: float | None
    band: str
    pillars: dict
    indicators: list = field(default_factory=list)

    def pillar_rows(self):
        """(pillar key, label, score, indicator rows) in the pillars' order."""
        return [
            (p, Pillar.LABELS[p], self.pillars.get(p), [i for i in self.indicators if i.pillar == p])
            for p in Pillar.ALL
        ]


def current_config() -> ScoreConfig | None:
    return ScoreConfig.objects.order_by("-version").first()


def gather_measures(window: Window, units: list) -> dict:
    """{indicator key: {unit id or None: Measure}} for the overall scope and each unit."""
    gathered = {}
    for indicator in registered_indicators():
        if indicator.measure_by_unit is not None:
            by_unit = indicator.measure_by_unit(window)
        else:
            by_unit = {None: indicator.measure(window, None)}
            by_unit.update({unit.pk: indicator.measure(window, unit) for unit in units})
        gathered[indicator.key] = by_unit
    return gathered


def _target(indicator: Indicator, config: ScoreConfig | None) -> float:
    if config is not None and indicator.key in (config.targets or {}):
        return float(config.targets[indicator.key])
    return float(indicator.target)


def score_scope(gathered: dict, unit, config: ScoreConfig | None) -> ScopeScore:
    indicators = registered_indicators()
    unit_key = unit.pk if unit is not None else None
    measures = [gathered.get(i.key, {}).get(unit_key, NO_DATA) for i in indicators]
    inputs = [
        IndicatorInput(key=i.key, pillar=i.pillar, value=m.value, target=_target(i, config), direction=i.direction)
        for i, m in zip(indicators, measures, strict=True)
    ]
    result = compute(inputs, (config.weights if config else None) or {})
    rows = [
        IndicatorRow(
            key=i.key,
            pillar=i.pillar,
            label=i.label,
            unit=i.unit,
            direction=i.direction,
            target=scored.target,
            value=scored.value,
            score=scored.score,
            contribution=scored.contribution,
            records=m.records,
            url=m.url,
            description=i.description,
        )
        for i, m, scored in zip(indicators, measures, result.indicators, strict=True)
    ]
    return ScopeScore(business_unit=unit, overall=result.overall, band=result.band, pillars=result.pillars, indicators=rows)


def partnership_score(window: Window, business_unit=None, with_units: bool = True) -> dict:
    """The overall score (or one unit's), and every unit's score for the comparison."""
    from .rollup import score_rollup_entry, score_rollup_read, scores_for  # the beat task's fresh rollup

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


__all__ = ["maturity_band", "partnership_score", "score_history", "what_changed", "pulse_summary", "attention_items"]
