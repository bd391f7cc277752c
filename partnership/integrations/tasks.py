"""Celery tasks of the integration (registered through partnership/tasks.py). Thin: ids in, one
service call. `deliveries_send()` queues the sender; the queue (`outbound.py`) calls it after
commit, and the beat's requeue here calls it for the deliveries whose message was lost.
"""

import logging
import random

from celery import shared_task

from ..retries import LONGEST_COUNTDOWN_SECONDS, RETRY_ON_TRANSIENT_ERRORS
from .delivery import (
    AttemptOutcome,
    integration_records_purge,
    retry_delay_seconds,
    stale_delivery_ids,
    webhook_delivery_attempt,
)
from .models import WebhookDelivery

logger = logging.getLogger("portal.integrations")


class WebhookDeliveryRetry(Exception):
    """The receiver did not answer 2xx; the task is retried with backoff and jitter."""


# Celery reads the retry policy when the task is declared, so these settings are read at import
# (after Django's settings are configured: the worker imports tasks once apps are ready). The
# transient errors (database or broker away) retry with the shared policy; a refused delivery
# retries after its own backoff, counted from the row's attempts (`webhook_retry_countdown`).
@shared_task(
    bind=True,
    ignore_result=True,
    soft_time_limit=60,
    time_limit=90,
    **RETRY_ON_TRANSIENT_ERRORS,
)
def deliver_webhook(self, delivery_id: int):
    """Send one outbound delivery; a non-2xx answer schedules the next try."""
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome == AttemptOutcome.RETRY:
        countdown = webhook_retry_countdown(delivery_id)
        if countdown is not None:
            # The attempt count on the row decides when a delivery has failed; this is only a backstop.
            raise self.retry(
                exc=WebhookDeliveryRetry(f"webhook delivery {delivery_id} not accepted yet"),
                countdown=countdown,
                max_retries=100,
            )
        # A longer wait would outlast the broker's visibility timeout (the message would be handed
        # out twice): the row waits in the database and the requeue sweep sends it when it is due.
        logger.info("webhook delivery %s: retried by the requeue sweep once its backoff has passed", delivery_id)
        return
    logger.info("webhook delivery %s: %s", delivery_id, outcome)


def webhook_retry_countdown(delivery_id: int) -> float | None:
    """The jittered wait before the next try of a refused delivery, or None when the wait is
    longer than a message may wait in the broker (LONGEST_COUNTDOWN_SECONDS)."""
    attempts = WebhookDelivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
    delay = retry_delay_seconds(attempts)
    if delay > LONGEST_COUNTDOWN_SECONDS:
        return None
    return random.uniform(0, delay)  # full jitter


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
