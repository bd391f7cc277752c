"""Celery tasks of the reminders (docs/reminders.md). Thin: one service call each.

The ledger in the database decides what is due and what was delivered, so a lost message, a
retry or a second run changes nothing but timing. Retries only on named transient errors
(broker, database or mail server away), with exponential backoff, jitter and a cap.
"""

import logging

from celery import shared_task
from django.conf import settings

from ..retries import RETRY_ON_TRANSIENT_ERRORS
from .services import reminders_send, reminders_send_digests, reminders_sweep

logger = logging.getLogger(__name__)


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
