"""Celery tasks of the partnership app. Thin: ids in, one service call."""

import logging
from pathlib import Path

from celery import shared_task
from django.conf import settings

from .reminders.services import (
    TRANSIENT_ERRORS,
    reminders_send,
    reminders_send_digests,
    reminders_sweep,
)

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=20, time_limit=30)
def heartbeat():
    """Beat's proof of life in the worker log."""
    logger.info("portal heartbeat")


@shared_task(ignore_result=True, soft_time_limit=20, time_limit=30)
def touch_file(path: str, content: str = "done"):
    """Write a file: lets an operator (and the tests) see that a worker runs queued tasks."""
    Path(path).write_text(content)


# --- Reminders (docs/reminders.md) ---------------------------------------------------------------------------------------
# The ledger in the database decides what is due and what was delivered, so a lost message, a
# retry or a second run changes nothing but timing. Retries only on named transient errors
# (broker, database or mail server away), with exponential backoff, jitter and a cap.

RETRY_ON_TRANSIENT_ERRORS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 15,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300, **RETRY_ON_TRANSIENT_ERRORS)
def sweep_reminders():
    """Insert the due reminders into the ledger, then queue the sender once that has committed."""
    created = reminders_sweep()
    logger.info("reminder sweep: %s new", created)
    send_reminders.delay_on_commit()


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=150, **RETRY_ON_TRANSIENT_ERRORS)
def send_reminders():
    """Deliver pending reminders for a while; queue another run if some are left."""
    result = reminders_send(time_budget=settings.REMINDER_SEND_TIME_BUDGET)
    logger.info("reminders: %s sent, %s cancelled, %s failed", result.sent, result.cancelled, result.failed)
    if result.more:
        send_reminders.delay_on_commit()


@shared_task(ignore_result=True, soft_time_limit=600, time_limit=660, **RETRY_ON_TRANSIENT_ERRORS)
def send_reminder_digests():
    """E-mail each user the reminders they chose to receive in a daily digest."""
    logger.info("reminder digests: %s e-mails", reminders_send_digests())


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def take_score_snapshots():
    """The daily score snapshot, overall and per unit; idempotent for the day."""
    from .score.services import score_snapshot_take

    created = score_snapshot_take()
    logger.info("score snapshots stored: %s", created)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=55)
def refresh_score_rollup():
    """Measure the score's indicators for every window and unit into the cache (every minute)."""
    from .score.rollup import score_rollup_refresh

    timings = score_rollup_refresh()
    logger.info("score rollup refreshed: %s", {days: round(seconds, 3) for days, seconds in timings.items()})


from .integrations import tasks as integrations_tasks  # noqa: E402,F401  (registers the webhook tasks)
