"""Two reminder senders at the same time (two workers, or beat queuing the sender while a run is
still going) deliver each due reminder once: one notification in the inbox and one e-mail each.

Real transactions on PostgreSQL (transaction=True), each sender in its own thread with its own
database connection; the mail server is slowed down so that the two runs overlap for certain."""

import datetime
import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from partnership.models import BusinessUnit, User
from partnership.notifications import tasks
from partnership.notifications.choices import EmailState, ReminderStatus
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_sweep

from .reminder_kinds import KEY

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 30


@pytest.fixture
def due_reminders(unit_review_kind, settings):
    """PEOPLE members of a month-old unit, each with a due weekly review in the ledger."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.com"
    settings.REMINDER_BATCH_SIZE = 5  # several batches, so the two senders take turns claiming
    unit = BusinessUnit.objects.create(name="Sales", slug="sales")
    BusinessUnit.objects.filter(pk=unit.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    User.objects.bulk_create(
        [User(username=f"member{n}", email=f"member{n}@example.com", business_unit=unit) for n in range(PEOPLE)]
    )
    assert reminders_sweep() == PEOPLE


@pytest.fixture
def slow_mail_server(monkeypatch):
    """Each message takes 10 ms to build and each e-mail 20 ms to hand over, as a real SMTP server
    does: the windows in which a second sender would take the same rows, or send the same
    e-mail, if nothing stopped it."""
    monkeypatch.setenv("REMINDER_TEST_DELAY", "0.01")  # tests/partnership/reminder_kinds.py
    original = EmailBackend.send_messages

    def slow(self, messages):
        time.sleep(0.02)
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow)


def run_at_the_same_time(job, count=2):
    start = threading.Barrier(count)
    errors = []

    def worker():
        try:
            start.wait(timeout=10)
            job()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a sender hangs"
    assert errors == []


def test_two_senders_running_at_the_same_time_send_each_reminder_once(due_reminders, slow_mail_server, caplog):
    run_at_the_same_time(tasks.send_reminders)

    assert Reminder.objects.filter(kind=KEY, status=ReminderStatus.SENT, email_state=EmailState.SENT).count() == PEOPLE
    assert Notification.objects.count() == PEOPLE
    # Neither sender took the other's rows: no batch failed on the inbox's one-per-reminder
    # constraint (an error in the operators' log) and no attempt was counted as failed.
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    assert not Reminder.objects.filter(attempts__gt=0).exists()
    per_address = Counter(address for message in mail.outbox for address in message.to)
    assert len(per_address) == PEOPLE
    assert set(per_address.values()) == {1}, [a for a, n in per_address.items() if n > 1]


def test_two_sweeps_and_senders_at_the_same_time_add_and_send_nothing_twice(due_reminders, slow_mail_server):
    def sweep_then_send():
        reminders_sweep()
        tasks.send_reminders()

    run_at_the_same_time(sweep_then_send)

    assert Reminder.objects.filter(kind=KEY).count() == PEOPLE
    assert Notification.objects.count() == PEOPLE
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        f"member{n}@example.com" for n in range(PEOPLE)
    )
