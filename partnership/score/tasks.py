"""Celery tasks of the partnership score. Thin: one service call each."""

import logging

from celery import shared_task

from .rollup import score_rollup_refresh
from .services import score_snapshot_take

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def take_score_snapshots():
    """The daily score snapshot, overall and per unit; idempotent for the day."""
    created = score_snapshot_take()
    logger.info("score snapshots stored: %s", created)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=55)
def refresh_score_rollup():
    """Measure the score's indicators for every window and unit into the cache (every minute)."""
    timings = score_rollup_refresh()
    logger.info("score rollup refreshed: %s", {days: round(seconds, 3) for days, seconds in timings.items()})
