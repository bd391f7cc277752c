"""Exactly once, whatever happens to the worker and the broker.

A real Celery worker process (the solo pool) works on 1,000 due reminders through its own
Redis server. The worker is SIGKILLed three times and restarted, and Redis is stopped and
started again (without persistence, so every queued message is lost). The test plays beat: after
each restart it queues the sender once, as the `reminders-send` beat entry would. At the end
every reminder reached the inbox exactly once and nothing is pending; two more sweeps add
nothing. The whole run is bounded in time.
"""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from partnership.models import BusinessUnit, User
from partnership.notifications.choices import ReminderStatus
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_sweep

from .reminder_kinds import KEY

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
UNITS, MEMBERS = 20, 50  # 1,000 reminders
DEADLINE_SECONDS = 100


def free_port(preferred=6390):
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


class RedisServer:
    """A throw-away redis-server of this test, never the shared one."""

    def __init__(self, port, folder):
        self.port, self.folder, self.process = port, folder, None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self._answers(), 10, "redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Worker:
    """`celery worker --pool=solo` in its own process, on the test database and Redis."""

    def __init__(self, env, folder):
        self.env, self.folder, self.process, self.starts = env, folder, None, 0

    def start(self):
        self.starts += 1
        self.log = self.folder / f"worker-{self.starts}.log"
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "tests.partnership.reminder_worker", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"reminders{self.starts}@%h"],
            cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )
        wait_for(lambda: "ready." in self.log.read_text() or self.process.poll() is not None, 30, "worker did not start")
        assert self.process.poll() is None, self.log.read_text()[-3000:]

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def alive(self):
        return self.process is not None and self.process.poll() is None


def wait_for(condition, seconds, message):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)


def counts():
    rows = dict(Reminder.objects.filter(kind=KEY).values_list("status").annotate(n=Count("id")))
    return rows.get(ReminderStatus.PENDING, 0), rows.get(ReminderStatus.SENT, 0)


def test_a_thousand_reminders_are_delivered_exactly_once_through_worker_kills_and_a_redis_restart(
    unit_review_kind, tmp_path, settings
):
    started = time.monotonic()
    units = BusinessUnit.objects.bulk_create([BusinessUnit(name=f"Unit {i}", slug=f"unit-{i}") for i in range(UNITS)])
    BusinessUnit.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    User.objects.bulk_create(
        [User(username=f"u{u.pk}-{j}", email=f"u{u.pk}-{j}@example.com", business_unit=u) for u in units for j in range(MEMBERS)]
    )

    port = free_port()
    broker_url = f"redis://127.0.0.1:{port}/0"
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "CELERY_", "EMAIL_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "partnership.settings",
            "DJANGO_READ_ENV_FILE": "false",
            "DJANGO_SECRET_KEY": "reliability-test-only",
            "DATABASE_URL": database_url,
            "REDIS_URL": broker_url,
            "EMAIL_URL": "dummymail://",
            "PORTAL_VAR_DIR": str(tmp_path),
            "REMINDER_BATCH_SIZE": "20",
            "REMINDER_TEST_DELAY": "0.015",  # about 15 s of delivery work in all: time to kill
            "LOG_LEVEL": "INFO",
        }
    )
    redis = RedisServer(port, tmp_path)
    worker = Worker(env, tmp_path)
    beat = Celery("reliability-test-beat", broker=broker_url)
    beat.conf.update(task_serializer="json", broker_connection_retry_on_startup=True, broker_connection_timeout=2)

    def play_beat(task="partnership.notifications.tasks.send_reminders"):
        """Queue a task as beat would; the broker may be coming back, so try for a while."""
        wait_for(lambda: _send(beat, task), 20, f"could not queue {task}")

    def wait_until_sent(at_least):
        wait_for(lambda: counts()[1] >= at_least or not worker.alive(), 40, f"fewer than {at_least} sent in time")

    connection.close()  # the worker gets its own connections; keep ours fresh
    try:
        redis.start()
        worker.start()
        play_beat("partnership.notifications.tasks.sweep_reminders")
        wait_for(lambda: Reminder.objects.filter(kind=KEY).count() == UNITS * MEMBERS, 30, "the sweep did not run")

        kills = 0
        for target in (150, 350, 550):
            wait_until_sent(target)
            pending, _ = counts()
            assert pending, "the run ended before the worker could be killed"
            worker.kill()
            kills += 1
            worker.start()
            play_beat()  # the killed task's message is unacknowledged: beat's next send takes over

        wait_until_sent(700)
        assert counts()[0], "the run ended before Redis could be stopped"
        redis.stop()  # every queued message is lost with it (no persistence)
        time.sleep(2)
        redis.start()
        if not worker.alive():
            worker.start()
        play_beat()

        # Until everything is delivered, beat keeps queuing the sender now and then.
        last_beat = time.monotonic()
        while counts()[0] and time.monotonic() - started < DEADLINE_SECONDS:
            if not worker.alive():
                worker.start()
            if time.monotonic() - last_beat > 5:
                play_beat()
                last_beat = time.monotonic()
            time.sleep(0.2)
    finally:
        worker.kill()
        redis.stop()

    logs = "".join(log.read_text() for log in sorted(tmp_path.glob("worker-*.log")))
    assert kills == 3 and worker.starts >= 4
    pending, sent = counts()
    assert (pending, sent) == (0, UNITS * MEMBERS), logs[-3000:]
    ledger = Reminder.objects.filter(kind=KEY)
    assert ledger.count() == UNITS * MEMBERS
    notifications = Notification.objects.filter(kind=KEY)
    assert notifications.count() == UNITS * MEMBERS
    assert notifications.filter(reminder__isnull=True).count() == 0
    assert not ledger.filter(notification__isnull=True).exists()
    # One notification per person and unit: nothing was delivered twice.
    assert notifications.values("recipient", "target_id").distinct().count() == UNITS * MEMBERS
    assert not Reminder.objects.filter(status=ReminderStatus.PENDING).exists()
    # Running the sweep twice in a row creates nothing new.
    assert reminders_sweep() == 0
    assert reminders_sweep() == 0
    assert time.monotonic() - started < DEADLINE_SECONDS + 15


def _send(app, task):
    try:
        app.send_task(task)
        return True
    except Exception:  # noqa: BLE001  (the broker is still coming back)
        return False
