"""Lost webhook hand-offs come back within minutes (issue 17 part 4).

A delivery whose hand-off to the broker failed (Redis was down at commit) is queued again by the
requeue sweep once it is INTEGRATIONS_WEBHOOK_REQUEUE_AFTER_SECONDS old, not after the longest
backoff; a retried one once its own backoff has passed by as long again. A backoff longer than a
broker countdown is left to the sweep instead of waiting in Redis past the visibility timeout.
"""

import datetime

import pytest
from django.utils import timezone

from partnership.integrations import tasks
from partnership.integrations.delivery import retry_delay_seconds, stale_delivery_ids
from partnership.integrations.models import WebhookDelivery
from partnership.retries import LONGEST_COUNTDOWN_SECONDS

from .test_outbound import new_pain_point, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_failed_hand_off(ivan, alice, queued, settings):
    settings.INTEGRATIONS_WEBHOOK_REQUEUE_AFTER_SECONDS = 120
    settings.INTEGRATIONS_WEBHOOK_BACKOFF_SECONDS = 30
    settings.INTEGRATIONS_WEBHOOK_BACKOFF_MAX_SECONDS = 3600
    subscribe(ivan)
    new_pain_point(alice)
    queued.clear()  # as if the broker had refused the message
    return WebhookDelivery.objects.get()


def aged(delivery, *, created=None, tried=None, attempts=None):
    now = timezone.now()
    changes = {}
    if created is not None:
        changes["created_at"] = now - datetime.timedelta(seconds=created)
    if tried is not None:
        changes["last_attempt_at"] = now - datetime.timedelta(seconds=tried)
    if attempts is not None:
        changes["attempts"] = attempts
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)


def test_a_hand_off_that_failed_is_queued_again_after_two_minutes_not_seventy(a_failed_hand_off, queued):
    aged(a_failed_hand_off, created=100)
    assert tasks.webhook_deliveries_requeue() == 0  # a fresh one is probably still on its way
    aged(a_failed_hand_off, created=130)
    assert tasks.webhook_deliveries_requeue() == 1
    assert queued == [a_failed_hand_off.pk]


def test_a_retried_delivery_is_queued_again_once_its_own_backoff_has_passed(a_failed_hand_off, settings):
    settings.INTEGRATIONS_WEBHOOK_BACKOFF_MAX_SECONDS = 1000
    # After the 3rd failed attempt the backoff is 30 * 2**2 = 120 s: due again after 120 + 120 s.
    assert retry_delay_seconds(3) == 120
    aged(a_failed_hand_off, created=3600, tried=230, attempts=3)
    assert stale_delivery_ids() == []
    aged(a_failed_hand_off, tried=250)
    assert stale_delivery_ids() == [a_failed_hand_off.pk]
    # The 7th waits the capped backoff (30 * 2**6 = 1920 s, capped at 1000 s), then two minutes.
    aged(a_failed_hand_off, tried=1000 + 100, attempts=7)
    assert stale_delivery_ids() == []
    aged(a_failed_hand_off, tried=1000 + 130)
    assert stale_delivery_ids() == [a_failed_hand_off.pk]


def test_a_finished_delivery_is_never_queued_again(a_failed_hand_off):
    aged(a_failed_hand_off, created=3600)
    WebhookDelivery.objects.update(status="succeeded")
    assert stale_delivery_ids() == []


def test_a_long_backoff_waits_in_the_database_not_in_the_broker(a_failed_hand_off, settings):
    aged(a_failed_hand_off, attempts=2)
    assert 0 <= tasks.webhook_retry_countdown(a_failed_hand_off.pk) <= 60  # 30 * 2, jittered
    aged(a_failed_hand_off, attempts=5)  # 30 * 2**4 = 480 s: longer than any broker countdown
    assert retry_delay_seconds(5) > LONGEST_COUNTDOWN_SECONDS
    assert tasks.webhook_retry_countdown(a_failed_hand_off.pk) is None


def test_a_refused_delivery_with_a_long_backoff_ends_its_task_and_is_left_to_the_sweep(
    ivan, alice, receiver, queued, settings
):
    settings.INTEGRATIONS_WEBHOOK_BACKOFF_SECONDS = 600
    subscribe(ivan, url=receiver.url)
    receiver.codes = [500]
    new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    assert tasks.deliver_webhook.apply(args=[delivery.pk]).state == "SUCCESS"  # no retry message
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.requests)) == ("pending", 1, 1)
    aged(delivery, tried=600 + settings.INTEGRATIONS_WEBHOOK_REQUEUE_AFTER_SECONDS + 10)
    assert tasks.webhook_deliveries_requeue() == 1


def test_the_sweep_runs_every_two_minutes_and_the_broker_gives_a_lost_message_back_within_a_quarter_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["integrations-webhooks-requeue"]
    assert entry["schedule"].minute == set(range(0, 60, 2))
    assert entry["options"]["expires"] < 120
    assert settings.BROKER_VISIBILITY_TIMEOUT <= 15 * 60
    assert settings.BROKER_VISIBILITY_TIMEOUT >= LONGEST_COUNTDOWN_SECONDS + settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert tasks.deliver_webhook.retry_backoff_max <= LONGEST_COUNTDOWN_SECONDS
