"""Scoring: a pure function from measured values, targets and weights to scores.

Nothing here touches the database, so every rule is tested from tables of plain cases.

- indicator score = min(100, 100 * value / target) when higher is better;
  min(100, 100 * target / value) when lower is better (a value of 0 then scores 100);
- pillar score = mean of its indicators that have data;
- overall score = weighted mean of the pillars that have data.
An indicator without data has no score and is left out, never counted as zero.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .registry import Direction, Pillar

MATURITY_BANDS = [
    (20, "ad hoc"),
    (40, "order taker"),
    (60, "service provider"),
    (80, "trusted advisor"),
]
TOP_BAND = "strategic partner"


def indicator_score(value, target, direction=Direction.HIGHER_IS_BETTER) -> float | None:
    if value is None:
        return None
    value = float(value)
    target = float(target)
    if target <= 0:
        raise ValueError("an indicator's target must be positive")
    value = max(value, 0.0)
    if direction == Direction.LOWER_IS_BETTER:
        return 100.0 if value == 0 else min(100.0, 100.0 * target / value)
    return min(100.0, 100.0 * value / target)


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def weighted_mean(scores: dict, weights: dict) -> float | None:
    pairs = [(score, float(weights.get(key, 1))) for key, score in scores.items() if score is not None]
    pairs = [(s, w) for s, w in pairs if w > 0]
    total = sum(w for _, w in pairs)
    return sum(s * w for s, w in pairs) / total if total else None


def maturity_band(score) -> str:
    if score is None:
        return "no data"
    for upper, label in MATURITY_BANDS:
        if score < upper:
            return label
    return TOP_BAND


@dataclass(frozen=True)
class IndicatorInput:
    key: str
    pillar: str
    value: float | Decimal | None
    target: float
    direction: str = Direction.HIGHER_IS_BETTER


@dataclass(frozen=True)
class IndicatorScore:
    key: str
    pillar: str
    value: float | None
    target: float
    score: float | None
    contribution: float | None  # points of the overall score this indicator carries


@dataclass(frozen=True)
class ScoreResult:
    overall: float | None
    band: str
    pillars: dict = field(default_factory=dict)  # pillar -> score or None
    indicators: tuple = ()  # IndicatorScore, in input order


def compute(inputs: list[IndicatorInput], weights: dict | None = None) -> ScoreResult:
    """Score a set of measured indicators with pillar weights (missing weight = 1)."""
    weights = weights or {}
    scored = [(i, indicator_score(i.value, i.target, i.direction)) for i in inputs]
    pillars = {
        pillar: mean(score for i, score in scored if i.pillar == pillar)
        for pillar in Pillar.ALL
    }
    overall = weighted_mean(pillars, weights)

    # Each indicator's share of the overall: its pillar's weight share, split among the
    # pillar's indicators that have data.
    active = {p: float(weights.get(p, 1)) for p, s in pillars.items() if s is not None and float(weights.get(p, 1)) > 0}
    total_weight = sum(active.values())
    with_data = {p: sum(1 for i, s in scored if i.pillar == p and s is not None) for p in active}
    results = []
    for item, score in scored:
        contribution = None
        if score is not None and item.pillar in active and total_weight:
            contribution = score * active[item.pillar] / total_weight / with_data[item.pillar]
        results.append(
            IndicatorScore(
                key=item.key,
                pillar=item.pillar,
                value=None if item.value is None else float(item.value),
                target=float(item.target),
                score=score,
                contribution=contribution,
            )
        )
    return ScoreResult(overall=overall, band=maturity_band(overall), pillars=pillars, indicators=tuple(results))
