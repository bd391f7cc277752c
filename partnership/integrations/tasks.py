"""Celery tasks of the integration (registered through partnership/tasks.py). Thin: ids in, one
service call. `deliveries_send()` queues the sender; the queue (`outbound.py`) calls it after
commit, and the beat's requeue here calls it for the deliveries whose message was lost.
"""

import logging

from celery import shared_task
from django.conf import settings

from ..retries import TRANSIENT_ERRORS
from .delivery import AttemptOutcome, integration_records_purge, stale_delivery_ids, webhook_delivery_attempt

logger = logging.getLogger("portal.integrations")


class WebhookDeliveryRetry(Exception):
    """The receiver did not answer 2xx; Celery retries the task with backoff and jitter."""


# Celery reads the retry policy when the task is declared, so these settings are read at import
# (after Django's settings are configured: the worker imports tasks once apps are ready).
@shared_task(
    ignore_result=True,
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(WebhookDeliveryRetry, *TRANSIENT_ERRORS),
    retry_backoff=settings.INTEGRATIONS_WEBHOOK_BACKOFF_SECONDS,
    retry_backoff_max=settings.INTEGRATIONS_WEBHOOK_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    # The attempt count on the row decides when a delivery has failed; this is only a backstop.
    max_retries=100,
)
def deliver_webhook(delivery_id: int):
    """Send one outbound delivery; a non-2xx answer raises, and autoretry schedules the next try."""
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome == AttemptOutcome.RETRY:
        raise WebhookDeliveryRetry(f"webhook delivery {delivery_id} not accepted yet")
    logger.info("webhook delivery %s: %s", delivery_id, outcome)


def deliveries_send(ids) -> None:
    """Queue the sender; a broker that is away leaves the rows pending for the requeue sweep."""
    for pk in ids:
        try:
            deliver_webhook.delay(pk)
        except Exception:
            logger.exception("could not queue webhook delivery %s; the requeue sweep will send it", pk)


def webhook_deliveries_requeue(*, older_than_seconds: int | None = None) -> int:
    """Queue again pending deliveries nobody has tried for a long time (a lost message)."""
    ids = stale_delivery_ids(older_than_seconds=older_than_seconds)
    deliveries_send(ids)
    return len(ids)


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def requeue_webhook_deliveries():
    """Beat's safety net: pending deliveries whose message was lost are queued again."""
    logger.info("webhook deliveries queued again: %s", webhook_deliveries_requeue())


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def purge_integration_records():
    """Expired idempotency records and delivery logs past their retention."""
    logger.info("integration records purged: %s", integration_records_purge())
