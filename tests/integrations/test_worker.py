"""Outbound deliveries through a real Celery worker: queued after commit, retried by autoretry
with backoff and jitter, and a subscription that keeps failing disabled with its owner told."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from listening import services as listening
from partnership.integrations.models import WebhookDelivery, WebhookSubscription
from partnership.integrations.subscriptions import webhook_subscription_create
from partnership.notifications.models import Notification

from .conftest import Receiver

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def wait_for(condition, seconds, message):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)


@pytest.fixture
def worker(settings, tmp_path):
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker shares the test database: PostgreSQL only")
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_", "EMAIL_", "INTEGRATIONS_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "partnership.settings",
            "DJANGO_READ_ENV_FILE": "false",
            "DJANGO_SECRET_KEY": "worker-test-only",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,  # where this process queues
            "EMAIL_URL": "dummymail://",
            "INTEGRATIONS_WEBHOOK_BACKOFF_SECONDS": "1",
            "INTEGRATIONS_WEBHOOK_BACKOFF_MAX_SECONDS": "2",
            "INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS": "3",
            "INTEGRATIONS_WEBHOOK_FAILURES_TO_DISABLE": "1",
            "INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
        }
    )
    # Tasks that earlier tests queued after their commits wait in the test broker: drop them, so
    # the worker spends its time on this test's deliveries only.
    from partnership.celery import app

    app.control.purge()
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [str(CELERY), "-A", "partnership.celery", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", "integrations-test@%h"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: "ready." in log.read_text() or process.poll() is not None, 30, "worker did not start")
        assert process.poll() is None, log.read_text()[-3000:]
        connection.close()
        yield log
    finally:
        process.kill()
        process.wait(10)


def test_deliveries_are_retried_with_backoff_by_a_worker_and_a_failing_subscription_is_disabled(
    worker, ivan, carla, alice, settings
):
    settings.INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS = True
    flaky, broken = Receiver(), Receiver()
    flaky.codes = [500, 502]  # then 200
    broken.codes = [500] * 10
    try:
        good = webhook_subscription_create(owner=ivan, url=flaky.url, events=["pain_point.created"])
        bad = webhook_subscription_create(owner=carla, url=broken.url, events=["pain_point.created"])
        listening.pain_point_create(
            submitted_by=alice, business_unit=alice.business_unit, title="Slow CRM", description="Search takes a minute."
        )

        def settled():
            return not WebhookDelivery.objects.filter(status="pending").exists()

        wait_for(settled, 45, f"deliveries still pending:\n{worker.read_text()[-3000:]}")
    finally:
        flaky.stop()
        broken.stop()

    delivered = WebhookDelivery.objects.get(subscription=good)
    assert (delivered.status, delivered.attempts, delivered.response_code) == ("succeeded", 3, 200)
    assert len(flaky.requests) == 3
    assert len({headers["webhook-id"] for headers, _ in flaky.requests}) == 1
    failed = WebhookDelivery.objects.get(subscription=bad)
    assert (failed.status, failed.attempts, failed.response_code) == ("failed", 3, 500)
    bad = WebhookSubscription.objects.get(pk=bad.pk)
    assert bad.enabled is False
    assert Notification.objects.filter(recipient=carla, kind="webhook_subscription.disabled").exists()
    assert "retry: Retry in" in worker.read_text()
