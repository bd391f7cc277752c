"""The score rollup: every indicator measured for every unit, kept in the cache by a beat task.

Measuring the indicators aggregates the pillars' tables (a million pain points cost about
140 ms a window on two cores), so a beat task (`partnership.score.tasks.refresh_score_rollup`, every
minute by default, `SCHEDULE_SCORE_ROLLUP`) measures each dashboard window for the company
and every unit at once and stores the raw measures in the shared cache. The dashboard,
its CSV exports and `GET /api/v1/score/` read them when they are fresh (at most
`SCORE_ROLLUP_MAX_AGE_SECONDS` old, for the same window and the same set of indicators) and
measure live otherwise, so a missing worker never shows wrong numbers, only slower pages.

Next to the measures, the entry holds every scope's score under the configuration of the
refresh (its version), so a read scores nothing. A read under another configuration (the CIO
saved new weights or targets since) scores the stored measures with it, so new weights show at
once.
"""

import datetime
import logging
import time
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..models import BusinessUnit
from ..retries import TRANSIENT_ERRORS
from .registry import Window, registered_indicators
from .scoring import current_config, gather_measures, score_scope

logger = logging.getLogger(__name__)

# Two entries a window: the scores (what every read needs) and the measures (only needed to
# score under a configuration saved since), so a read unpickles only what it shows.
CACHE_KEY = "score-rollup:v2:{days}:{part}"
WINDOW_DAYS = (30, 90, 365)  # the dashboard's windows (partnership.score.views.WINDOWS)


def _key(days: int, part: str = "scores") -> str:
    return CACHE_KEY.format(days=days, part=part)


def _indicator_keys() -> tuple:
    return tuple(i.key for i in registered_indicators())


def score_rollup_refresh(*, today: datetime.date | None = None, windows=WINDOW_DAYS) -> dict:
    """Measure every window for the company and each active unit; store it. Returns {days: seconds}."""
    today = today or timezone.localdate()
    units = list(BusinessUnit.objects.filter(is_active=True).order_by("name"))
    config = current_config()
    timings = {}
    for days in windows:
        window = Window.last_days(days, today)
        started = time.monotonic()
        gathered = gather_measures(window, units)
        # Scores without their unit object (the reader puts its fresh one back in).
        scopes = {
            scope: replace(score_scope(gathered, unit, config), business_unit=None)
            for scope, unit in [(None, None), *((unit.pk, unit) for unit in units)]
        }
        timings[days] = time.monotonic() - started
        stamp = {"window": window, "indicators": _indicator_keys(), "computed_at": time.time()}
        cache.set_many(
            {
                _key(days, "measures"): {**stamp, "gathered": gathered},
                _key(days): {**stamp, "config_version": config.version if config is not None else None, "scopes": scopes},
            },
            timeout=max(settings.SCORE_ROLLUP_MAX_AGE_SECONDS * 10, 600),
        )
    return timings


def score_rollup_entry(window: Window, *, now: float | None = None, part: str = "scores") -> dict | None:
    """The stored scores of `window` (or with part="measures" its measures) when fresh, else None."""
    days = (window.end - window.start).days + 1
    if days not in WINDOW_DAYS:
        return None
    try:
        entry = cache.get(_key(days, part))
    except (*TRANSIENT_ERRORS, OSError) as exc:
        # The cache (Redis) is away: the page measures live rather than fail, so the dashboard
        # every sign-in lands on still opens.
        logger.warning("score rollup: the cache cannot be read (%s: %s); measuring live", type(exc).__name__, exc)
        return None
    if not entry or entry.get("window") != window or entry.get("indicators") != _indicator_keys():
        return None
    age = (now if now is not None else time.time()) - entry["computed_at"]
    if age < 0 or age > settings.SCORE_ROLLUP_MAX_AGE_SECONDS:
        return None
    return entry


def score_rollup_read(window: Window, *, now: float | None = None) -> dict | None:
    """The stored measures of `window` when fresh; None tells the caller to measure live."""
    entry = score_rollup_entry(window, now=now, part="measures")
    return entry["gathered"] if entry is not None else None


def score_rollup_clear() -> None:
    cache.delete_many([_key(days, part) for days in WINDOW_DAYS for part in ("scores", "measures")])


def scores_for(entry: dict | None, config, scopes: list):
    """The stored scores of `scopes` (unit objects or None) from a fresh `entry`, each with its
    unit put back; None when the entry was scored under another configuration or lacks one."""
    if entry is None or entry.get("config_version") != (config.version if config is not None else None):
        return None
    stored = entry.get("scopes") or {}
    keys = [unit.pk if unit is not None else None for unit in scopes]
    if not all(key in stored for key in keys):
        return None
    return [replace(stored[key], business_unit=unit) for key, unit in zip(keys, scopes, strict=True)]
