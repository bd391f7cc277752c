"""The worker outlives a Redis outage: Redis stops while a task runs, starts again on the same
port, and the same worker process takes the next task (issue 17; partnership/broker.py).

A real `celery worker` (the prefork pool of two, gossip and mingle on, as in docker-compose.yml: a free process keeps a BRPOP waiting, the read that fails) on a
throw-away redis-server of the test's own. kombu 5.7.0's own Redis transport stops such a worker
with "Unrecoverable error: AttributeError('NoneType' object has no attribute 'hostname')".
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from .test_reminders_reliability import RedisServer, free_port, wait_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def test_a_worker_takes_new_tasks_after_redis_went_away_during_a_task(tmp_path, settings):
    started = time.monotonic()
    port = free_port(preferred=0)
    broker_url = f"redis://127.0.0.1:{port}/0"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CELERY_", "EMAIL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="partnership.settings",
        DJANGO_READ_ENV_FILE="false",
        DJANGO_SECRET_KEY="broker-outage-test-only",
        REDIS_URL=broker_url,
        EMAIL_URL="dummymail://",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    redis = RedisServer(port, tmp_path)
    log = tmp_path / "worker.log"
    client = Celery("outage-test-client", broker=broker_url)
    client.conf.update(task_serializer="json", broker_connection_timeout=2, broker_connection_retry_on_startup=True)
    worker = None
    try:
        redis.start()
        worker = subprocess.Popen(
            [str(CELERY), "-A", "tests.partnership.outage_worker", "worker", "--loglevel=INFO", "--concurrency=2",
             "-n", f"outage{port}@%h"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        wait_for(lambda: "ready." in log.read_text() or worker.poll() is not None, 30, "the worker did not start")

        slow = tmp_path / "slow"
        client.send_task("tests.outage.slow_touch", args=[str(slow), 4])
        wait_for(lambda: Path(f"{slow}.started").exists(), 15, "the slow task did not start")
        redis.stop()  # while the task runs
        time.sleep(2)
        assert worker.poll() is None, log.read_text()[-3000:]
        redis.start()  # the same port, empty

        quick = tmp_path / "quick"
        wait_for(lambda: _send(client, "partnership.tasks.touch_file", [str(quick), "after the outage"]), 15,
                 "could not queue after the restart")
        wait_for(lambda: quick.exists() or worker.poll() is not None, 30, "the worker took no task after the outage")
        text = log.read_text()
        assert worker.poll() is None, text[-3000:]
        assert quick.read_text() == "after the outage"
        assert "Unrecoverable error" not in text
        assert "Connection to broker lost" in text  # the outage did happen under the worker
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(10)
        redis.stop()
    assert time.monotonic() - started < 60


def _send(app, task, args):
    try:
        app.send_task(task, args=args)
        return True
    except Exception:  # noqa: BLE001  (the broker is still coming back)
        return False
