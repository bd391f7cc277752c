"""Measuring and scoring: the indicators' measures gathered for every unit, and a scope scored
from them under a configuration. No cache: the rollup (which stores what this computes) and the
selectors (which read the rollup, else compute live) both build on this module.

Gathering every indicator for every business unit costs a fixed number of queries: each
indicator that provides `measure_by_unit` is asked once for all units together. An indicator
that only provides `measure(window, unit)` is asked once per unit, so every built-in
indicator provides `measure_by_unit`.
"""

from dataclasses import dataclass, field

from .engine import IndicatorInput, compute
from .models import ScoreConfig
from .registry import Indicator, Measure, Pillar, Window, registered_indicators

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
