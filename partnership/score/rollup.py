"""The score rollup: every indicator measured for every unit, kept in the cache by a beat task.

Measuring the indicators aggregates the pillars' tables (a million pain points cost about
140 ms a window on two cores), so a beat task (`partnership.tasks.refresh_score_rollup`, every
minute by default, `SCHEDULE_SCORE_ROLLUP`) measures each dashboard window for the company
and every unit at once and stores the raw measures in the shared cache. The dashboard,
its CSV exports and `GET /api/v1/score/` read them when they are fresh (at most
`SCORE_ROLLUP_MAX_AGE_SECONDS` old, for the same window and the same set of indicators) and
measure live otherwise, so a missing worker never shows wrong numbers, only slower pages.

Only the measures are stored: weights and targets are applied on every read, so a new
configuration by the CIO shows at once.
"""

import datetime
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..models import BusinessUnit
from .registry import Window, registered_indicators

CACHE_KEY = "score-rollup:v1:{days}"
WINDOW_DAYS = (30, 90, 365)  # the dashboard's windows (partnership.score.views.WINDOWS)


def _key(days: int) -> str:
    return CACHE_KEY.format(days=days)


def _indicator_keys() -> tuple:
    return tuple(i.key for i in registered_indicators())


def score_rollup_refresh(*, today: datetime.date | None = None, windows=WINDOW_DAYS) -> dict:
    """Measure every window for the company and each active unit; store it. Returns {days: seconds}."""
    from .selectors import gather_measures

    today = today or timezone.localdate()
    units = list(BusinessUnit.objects.filter(is_active=True).order_by("name"))
    timings = {}
    for days in windows:
        window = Window.last_days(days, today)
        started = time.monotonic()
        gathered = gather_measures(window, units)
        timings[days] = time.monotonic() - started
        cache.set(
            _key(days),
            {
                "window": window,
                "indicators": _indicator_keys(),
                "computed_at": time.time(),
                "gathered": gathered,
            },
            timeout=max(settings.SCORE_ROLLUP_MAX_AGE_SECONDS * 10, 600),
        )
    return timings


def score_rollup_read(window: Window, *, now: float | None = None) -> dict | None:
    """The stored measures of `window` when fresh; None tells the caller to measure live."""
    days = (window.end - window.start).days + 1
    if days not in WINDOW_DAYS:
        return None
    entry = cache.get(_key(days))
    if not entry or entry.get("window") != window or entry.get("indicators") != _indicator_keys():
        return None
    age = (now if now is not None else time.time()) - entry["computed_at"]
    if age < 0 or age > settings.SCORE_ROLLUP_MAX_AGE_SECONDS:
        return None
    return entry["gathered"]


def score_rollup_clear() -> None:
    cache.delete_many([_key(days) for days in WINDOW_DAYS])


def measures_for(window: Window, units: list) -> dict:
    """{indicator key: {unit id or None: Measure}}: the fresh rollup, or measured live."""
    from .selectors import gather_measures

    gathered = score_rollup_read(window)
    return gathered if gathered is not None else gather_measures(window, units)
