"""A worker that stops in the middle of a batch of reminder e-mails repeats at most one of them
(issue 17 part 2): each e-mail is sent and recorded on its own, after the batch's commit."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from partnership.models import BusinessUnit, User
from partnership.notifications.choices import EmailState, ReminderStatus
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_send, reminders_send_digests, reminders_sweep

from .reminder_kinds import UNIT_REVIEW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def twelve_people_due(unit_review_kind):
    unit = BusinessUnit.objects.create(name="Volume", slug="volume")
    BusinessUnit.objects.filter(pk=unit.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    User.objects.bulk_create(
        [User(username=f"person-{i}", email=f"person-{i}@example.com", business_unit=unit) for i in range(12)]
    )
    assert reminders_sweep() == 12


def failing_after(monkeypatch, k):
    """The mail server takes `k` messages, then goes away (as a killed worker stops sending)."""
    real = EmailBackend.send_messages

    def send(self, messages):
        if len(mail.outbox) >= k:
            raise smtplib.SMTPServerDisconnected("gone")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send)


def test_a_send_that_fails_after_k_messages_records_those_k_and_a_re_run_sends_only_the_rest(
    twelve_people_due, monkeypatch, settings
):
    settings.REMINDER_BATCH_SIZE = 50  # the whole lot is one batch
    with monkeypatch.context() as patched:
        failing_after(patched, 5)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            reminders_send()
    first = {message.to[0] for message in mail.outbox}
    assert len(mail.outbox) == 5
    ledger = Reminder.objects.filter(kind=UNIT_REVIEW.key)
    assert ledger.filter(email_state=EmailState.SENT).count() == 5
    assert set(ledger.filter(email_state=EmailState.SENT).values_list("recipient__email", flat=True)) == first
    assert ledger.filter(email_state=EmailState.QUEUED).count() == 7
    # The inbox got every reminder, once, whatever the mail server did.
    assert Notification.objects.count() == 12 and not ledger.filter(status=ReminderStatus.PENDING).exists()

    mail.outbox.clear()
    reminders_send()
    assert len(mail.outbox) == 7
    assert not first & {message.to[0] for message in mail.outbox}  # nobody got theirs twice
    assert ledger.filter(email_state=EmailState.SENT).count() == 12
    assert Notification.objects.count() == 12
    mail.outbox.clear()
    reminders_send()
    assert mail.outbox == []


def test_a_digest_run_that_fails_after_k_users_sends_only_the_others_next_time(twelve_people_due, monkeypatch):
    Reminder.objects.update(status=ReminderStatus.SENT, email_state=EmailState.DIGEST_PENDING)
    with monkeypatch.context() as patched:
        failing_after(patched, 4)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            reminders_send_digests(users_per_batch=50)
    first = {message.to[0] for message in mail.outbox}
    assert len(first) == 4
    assert Reminder.objects.filter(email_state=EmailState.DIGEST_SENT).count() == 4
    mail.outbox.clear()
    assert reminders_send_digests() == 8
    assert not first & {message.to[0] for message in mail.outbox}
