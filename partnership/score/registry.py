"""The indicator registry.

Each pillar app registers its own indicators from its `indicators.py` (imported in the app's
`AppConfig.ready`), so this package never imports a pillar app's models. An indicator is a
function that, for a window and optionally one business unit, measures one thing and says how
many records stand behind the value and where to see them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


class Direction:
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


class Pillar:
    LISTENING = "listening"
    PROACTIVITY = "proactivity"
    EXTRA_MILE = "extra_mile"
    REVENUE = "revenue"
    SHARING = "sharing"

    ALL = (LISTENING, PROACTIVITY, EXTRA_MILE, REVENUE, SHARING)
    LABELS = {
        LISTENING: "Listen to business",
        PROACTIVITY: "Proactivity",
        EXTRA_MILE: "Take the extra mile",
        REVENUE: "IT-driven revenue",
        SHARING: "Share with business",
    }


@dataclass(frozen=True)
class Window:
    """The period measured: from `start` (inclusive) to `end` (inclusive), dates."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_days(cls, days: int, today: datetime.date | None = None) -> "Window":
        today = today or datetime.date.today()
        return cls(start=today - datetime.timedelta(days=days - 1), end=today)


@dataclass(frozen=True)
class Measure:
    """What an indicator measured. `value` is None when there is no data (never zero)."""

    value: float | Decimal | None
    records: int = 0
    url: str = ""

    @property
    def has_data(self) -> bool:
        return self.value is not None


# An indicator function: (window, business_unit or None) -> Measure. A function that measures
# every business unit at once may be given as `measure_by_unit`: window -> {unit_id: Measure}
# plus the overall Measure under the key None, so that gathering all units costs the same
# number of queries as gathering one.
MeasureFunction = Callable[[Window, object | None], Measure]
MeasureByUnitFunction = Callable[[Window], dict]


@dataclass(frozen=True)
class Indicator:
    key: str
    pillar: str
    label: str
    unit: str
    target: float
    measure: MeasureFunction
    direction: str = Direction.HIGHER_IS_BETTER
    description: str = ""
    measure_by_unit: MeasureByUnitFunction | None = field(default=None, compare=False)


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Register (or replace, on reload) an indicator under its key."""
    if indicator.pillar not in Pillar.ALL:
        raise ValueError(f"Unknown pillar {indicator.pillar!r} for indicator {indicator.key!r}")
    _REGISTRY[indicator.key] = indicator
    return indicator


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def registered_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: (Pillar.ALL.index(i.pillar), i.key))


# --- The attention list of the dashboard -----------------------------------------------------
# Each pillar registers what needs the CIO's attention (pain points past their SLA, overdue
# check-ins, action items and milestones, the revenue commitment at risk) as a function
# (user, business_unit or None) -> Attention, with one query at most.


@dataclass(frozen=True)
class Attention:
    count: int
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class AttentionSource:
    key: str
    label: str
    pillar: str
    measure: Callable[[object, object | None], Attention]


_ATTENTION: dict[str, AttentionSource] = {}


def register_attention(source: AttentionSource) -> AttentionSource:
    if source.pillar not in Pillar.ALL:
        raise ValueError(f"Unknown pillar {source.pillar!r} for attention source {source.key!r}")
    _ATTENTION[source.key] = source
    return source


def unregister_attention(key: str) -> None:
    _ATTENTION.pop(key, None)


def attention_sources() -> list[AttentionSource]:
    return sorted(_ATTENTION.values(), key=lambda s: (Pillar.ALL.index(s.pillar), s.key))
