"""Reminders: the sweep's due logic with time travel, exactly-once delivery, preferences, the
daily digest, e-mail content and the number of queries of the sweep and the sender."""

import dataclasses
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from partnership.models import BusinessUnit, User
from partnership.notifications import (
    Message,
    ReminderKind,
    period_day,
    period_month,
    period_quarter,
    period_week,
    registry,
    tasks,
)
from partnership.notifications.choices import DeliveryChannel, EmailState, ReminderStatus
from partnership.notifications.models import Notification, NotificationPreference, Reminder
from partnership.notifications.services import (
    notification_preference_set,
    reminders_send,
    reminders_send_digests,
    reminders_sweep,
)
from tests.factories import UserFactory

from .reminder_kinds import KEY, UNIT_REVIEW

pytestmark = pytest.mark.django_db

WEEK_LATER = datetime.timedelta(days=8)
PER_EMAIL = 4  # savepoint, the row locked (SELECT ... FOR UPDATE SKIP LOCKED), marked sent, release


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.com"


def make_units(count, members_each):
    """`count` business units, a month old, with `members_each` people each (bulk, for volume)."""
    start = BusinessUnit.objects.count()
    units = BusinessUnit.objects.bulk_create(
        [BusinessUnit(name=f"Volume unit {i}", slug=f"volume-{i}") for i in range(start, start + count)]
    )
    BusinessUnit.objects.filter(pk__in=[u.pk for u in units]).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    User.objects.bulk_create(
        [
            User(username=f"member-{u.pk}-{j}", email=f"member-{u.pk}-{j}@example.com", business_unit=u)
            for u in units
            for j in range(members_each)
        ]
    )
    return units


# --- Due logic, with time travel -----------------------------------------------------------------


def test_a_kind_is_due_only_once_its_time_has_come_and_once_per_period(unit_review_kind, alice, sales):
    now = timezone.now()
    assert reminders_sweep(now=now) == 0, "a unit created today is not due yet"
    assert reminders_sweep(now=now + WEEK_LATER) == 1
    row = Reminder.objects.get()
    assert (row.recipient, row.kind, row.target_id, row.status) == (alice, KEY, str(sales.pk), ReminderStatus.PENDING)
    assert row.period == period_week(now + WEEK_LATER)
    # The same week again, twice: nothing new. The next week: a new reminder.
    assert reminders_sweep(now=now + WEEK_LATER + datetime.timedelta(hours=1)) == 0
    assert reminders_sweep(now=now + WEEK_LATER) == 0
    assert reminders_sweep(now=now + WEEK_LATER + datetime.timedelta(days=7)) == 1
    assert Reminder.objects.count() == 2


def test_a_kind_is_not_due_for_an_inactive_person_or_unit(unit_review_kind, alice, sales):
    alice.is_active = False
    alice.save()
    assert reminders_sweep(now=timezone.now() + WEEK_LATER) == 0


def test_the_period_helpers_name_a_day_week_month_and_quarter():
    moment = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)
    assert (period_day(moment), period_week(moment), period_month(moment), period_quarter(moment)) == (
        "2026-11-27",
        "2026-W48",
        "2026-11",
        "2026-Q4",
    )


def test_a_faulty_kind_is_skipped_and_the_others_still_sweep(unit_review_kind, alice):
    def broken(now):
        raise RuntimeError("a bug in a pillar")

    registry.register(ReminderKind(key="test.broken", label="Broken", target_model="partnership.BusinessUnit", due=broken, message=UNIT_REVIEW.message))
    assert reminders_sweep(now=timezone.now() + WEEK_LATER) == 1


# --- Delivery ------------------------------------------------------------------------------------


def test_sending_puts_each_reminder_in_the_inbox_once_and_marks_it_sent(unit_review_kind, alice, sales, client):
    reminders_sweep(now=timezone.now() + WEEK_LATER)
    result = reminders_send()
    assert (result.sent, result.cancelled, result.more) == (1, 0, False)
    note = Notification.objects.get()
    row = Reminder.objects.get()
    assert note.reminder == row and note.recipient == alice and note.kind == KEY
    assert note.title == "Review the partnership with Sales"
    assert (note.target_type.model, note.target_id) == ("businessunit", str(sales.pk))
    assert (row.status, row.email_state) == (ReminderStatus.SENT, EmailState.SENT)
    assert row.sent_at and row.claimed_at
    # A second run (a retried task, a second worker) finds nothing to do.
    assert reminders_send().sent == 0
    assert Notification.objects.count() == 1
    client.force_login(alice)
    assert 'data-testid="unread-count">1<' in client.get("/inbox/").content.decode()


def test_a_reminder_whose_target_is_gone_is_cancelled_not_sent(unit_review_kind, alice, sales):
    reminders_sweep(now=timezone.now() + WEEK_LATER)
    Reminder.objects.update(target_id="999999")
    result = reminders_send()
    assert (result.sent, result.cancelled) == (0, 1)
    assert Reminder.objects.get().status == ReminderStatus.CANCELLED
    assert not Notification.objects.exists() and not mail.outbox


def test_a_kind_can_cancel_reminders_no_longer_due_at_delivery_time(unit_review_kind, alice, sales):
    registry.register(dataclasses.replace(UNIT_REVIEW, still_due=lambda now, ids: set()))
    reminders_sweep(now=timezone.now() + WEEK_LATER)
    assert reminders_send().cancelled == 1
    assert not Notification.objects.exists()


def test_a_faulty_message_fails_only_its_own_row_and_gives_up_after_the_maximum(unit_review_kind, sales, finance, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    good = UserFactory(username="good", business_unit=sales)
    bad = UserFactory(username="bad", business_unit=finance)
    BusinessUnit.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))

    def message(unit, reminder):
        if unit.slug == "finance":
            raise ValueError("cannot describe Finance")
        return Message(title=f"Review {unit.name}")

    registry.register(dataclasses.replace(UNIT_REVIEW, message=message))
    reminders_sweep()
    result = reminders_send()
    assert (result.sent, result.failed) == (1, 1)
    assert Notification.objects.get().recipient == good
    failed = Reminder.objects.get(recipient=bad)
    assert (failed.status, failed.attempts) == (ReminderStatus.FAILED, 2)
    assert "cannot describe Finance" in failed.last_error


def test_a_mail_server_away_leaves_the_e_mail_queued_for_the_next_run(unit_review_kind, alice, sales, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    reminders_sweep(now=timezone.now() + WEEK_LATER)
    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", refuse)
        with pytest.raises(smtplib.SMTPServerDisconnected):  # a transient error: the task retries
            reminders_send()
    row = Reminder.objects.get()
    assert (row.status, row.email_state) == (ReminderStatus.SENT, EmailState.QUEUED)
    assert Notification.objects.count() == 1 and not mail.outbox  # in the inbox already
    reminders_send()
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().email_state == EmailState.SENT
    assert Notification.objects.count() == 1


def test_unknown_kinds_stay_pending_untouched(unit_review_kind, alice, sales):
    reminders_sweep(now=timezone.now() + WEEK_LATER)
    Reminder.objects.update(kind="gone.app_removed")
    assert reminders_send().sent == 0
    assert Reminder.objects.get().status == ReminderStatus.PENDING


def test_the_sweep_task_queues_the_sender_after_commit(unit_review_kind, alice, sales, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(tasks.send_reminders, "delay", lambda *a, **k: queued.append(a))
    BusinessUnit.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep_reminders.run()
    assert queued == [()]
    assert Reminder.objects.count() == 1


def test_the_tasks_retry_only_on_transient_errors_with_backoff_and_limits():
    for task in (tasks.sweep_reminders, tasks.send_reminders, tasks.send_reminder_digests):
        names = {error.__name__ for error in task.autoretry_for}
        assert {"OperationalError", "SMTPException", "ConnectionError"} <= names
        assert "Exception" not in names and "ValueError" not in names
        assert task.retry_backoff and task.retry_jitter and task.max_retries
        assert task.time_limit and task.soft_time_limit < task.time_limit


def test_the_beat_schedule_runs_the_sweep_the_sender_and_the_digest(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["heartbeat"]["task"] == "partnership.tasks.heartbeat"
    assert schedule["reminders-sweep"]["task"] == "partnership.notifications.tasks.sweep_reminders"
    assert schedule["reminders-send"]["task"] == "partnership.notifications.tasks.send_reminders"
    assert schedule["reminders-digest"]["task"] == "partnership.notifications.tasks.send_reminder_digests"
    assert all(entry["options"]["expires"] > 0 for entry in schedule.values())


# --- Query counts --------------------------------------------------------------------------------


def test_the_sweep_needs_the_same_number_of_queries_for_ten_or_five_hundred_reminders(
    unit_review_kind, django_assert_num_queries
):
    make_units(2, 5)
    reminders_sweep()  # warms the content-type cache
    Reminder.objects.all().delete()
    with django_assert_num_queries(3) as small:  # savepoint, the INSERT ... SELECT, release
        assert reminders_sweep() == 10
    Reminder.objects.all().delete()
    make_units(10, 49)
    with django_assert_num_queries(len(small.captured_queries)):
        assert reminders_sweep() == 500


def test_sending_a_batch_needs_the_same_number_of_queries_for_five_or_a_hundred_reminders(
    unit_review_kind, django_assert_num_queries, settings
):
    settings.REMINDER_BATCH_SIZE = 200
    make_units(1, 5)
    reminders_sweep()
    reminders_send()  # warms the caches
    Reminder.objects.all().delete()
    Notification.objects.all().delete()
    reminders_sweep()
    with django_assert_num_queries(12 + 5 * PER_EMAIL) as small:  # the batch, two looks at the outbox
        assert reminders_send().sent == 5
    make_units(4, 25)
    reminders_sweep()
    # The batch's queries stay the same; each e-mail is recorded on its own (a killed worker
    # repeats at most one), in a savepoint here (a transaction in production).
    with django_assert_num_queries(len(small.captured_queries) + 95 * PER_EMAIL):
        assert reminders_send().sent == 100
    assert Notification.objects.count() == Reminder.objects.count() == 105
    assert len(mail.outbox) == 5 + 105  # the warm-up run sent 5


# --- Preferences, e-mail and the digest ----------------------------------------------------------


def test_by_default_a_reminder_is_e_mailed_with_text_and_html(unit_review_kind, alice, sales):
    reminders_sweep(now=timezone.now() + WEEK_LATER)
    reminders_send()
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "[IT Partnership Portal] Review the partnership with Sales"
    assert "Hello Alice" in message.body
    assert "what did IT do for Sales" in message.body
    assert "https://portal.example.com/accounts/profile/?unit=sales" in message.body
    assert "https://portal.example.com/accounts/notifications/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://portal.example.com/accounts/profile/?unit=sales"' in html
    assert "Review the partnership with Sales</h1>" in html


def test_in_app_only_sends_no_e_mail(unit_review_kind, alice, sales):
    notification_preference_set(user=alice, kind=KEY, channel=DeliveryChannel.IN_APP)
    reminders_sweep(now=timezone.now() + WEEK_LATER)
    reminders_send()
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert not mail.outbox
    assert Reminder.objects.get().email_state == EmailState.NONE


def test_someone_without_an_e_mail_address_gets_the_reminder_in_the_app_only(unit_review_kind, alice, sales):
    User.objects.filter(pk=alice.pk).update(email="")
    reminders_sweep(now=timezone.now() + WEEK_LATER)
    assert reminders_send().sent == 1
    assert not mail.outbox


def test_the_daily_digest_groups_a_users_reminders_into_one_e_mail(unit_review_kind, alice, sales, finance):
    notification_preference_set(user=alice, kind=KEY, channel=DeliveryChannel.DIGEST)
    mallory = UserFactory(username="mallory", first_name="Mallory", business_unit=finance)
    notification_preference_set(user=mallory, kind=KEY, channel=DeliveryChannel.DIGEST)
    now = timezone.now()
    # Two weeks of reminders for Alice, one for Mallory.
    reminders_sweep(now=now + WEEK_LATER)
    reminders_send()
    reminders_sweep(now=now + WEEK_LATER + datetime.timedelta(days=7))
    User.objects.filter(pk=mallory.pk).update(is_active=False)
    reminders_send()
    assert not mail.outbox, "digest reminders wait for the digest"
    assert Notification.objects.filter(recipient=alice).count() == 2

    assert reminders_send_digests() == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    digest = by_recipient["alice@example.com"]
    assert digest.subject == "[IT Partnership Portal] Your daily digest: 2 reminders"
    assert digest.body.count("Review the partnership with Sales") == 2
    assert "https://portal.example.com/accounts/profile/?unit=sales" in digest.body
    assert "<ol>" in digest.alternatives[0][0]
    assert "1 reminder" in by_recipient["mallory@example.com"].subject
    delivered = Reminder.objects.filter(status=ReminderStatus.SENT)
    assert set(delivered.values_list("email_state", flat=True)) == {EmailState.DIGEST_SENT}
    # Nothing is sent twice.
    assert reminders_send_digests() == 0
    assert len(mail.outbox) == 2


def test_the_preferences_page_lists_each_kind_and_saves_a_choice(unit_review_kind, client, alice):
    client.force_login(alice)
    page = client.get("/accounts/notifications/").content.decode()
    assert "Weekly unit review (test)" in page
    assert "In the app and in a daily e-mail digest" in page
    response = client.post("/accounts/notifications/", {"kind__test__unit_review": DeliveryChannel.DIGEST})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=alice).channel == DeliveryChannel.DIGEST
    # Saving again without a change writes nothing.
    client.post("/accounts/notifications/", {"kind__test__unit_review": DeliveryChannel.DIGEST})
    assert NotificationPreference.objects.count() == 1


def test_the_preferences_page_refuses_an_unknown_channel(unit_review_kind, client, alice):
    client.force_login(alice)
    response = client.post("/accounts/notifications/", {"kind__test__unit_review": "pigeon"})
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_the_preferences_page_has_an_empty_state_and_is_linked_from_profile_and_inbox(client, alice, monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})
    client.force_login(alice)
    assert "No kinds of reminder are set up yet" in client.get("/accounts/notifications/").content.decode()
    assert 'href="/accounts/notifications/"' in client.get("/accounts/profile/").content.decode()
    assert 'href="/accounts/notifications/"' in client.get("/inbox/").content.decode()


def test_the_preferences_page_needs_a_login(client):
    assert client.get("/accounts/notifications/")["Location"].startswith("/accounts/login/")


def test_the_preferences_api_lists_defaults_and_changes_a_channel(unit_review_kind, api, alice, mallory):
    client = api(alice)
    listed = client.get("/api/v1/notification-preferences/").json()
    assert listed == [
        {
            "kind": KEY,
            "label": "Weekly unit review (test)",
            "description": "A test-only kind.",
            "channel": "email",
            "is_default": True,
        }
    ]
    changed = client.patch(f"/api/v1/notification-preferences/{KEY}/", {"channel": "digest"})
    assert changed.status_code == 200
    assert (changed.json()["channel"], changed.json()["is_default"]) == ("digest", False)
    assert client.get(f"/api/v1/notification-preferences/{KEY}/").json()["channel"] == "digest"
    assert client.put(f"/api/v1/notification-preferences/{KEY}/", {"channel": "in_app"}).json()["channel"] == "in_app"
    # Preferences are personal: Mallory still has the default.
    assert api(mallory).get(f"/api/v1/notification-preferences/{KEY}/").json()["is_default"] is True


def test_the_preferences_api_refuses_a_bad_channel_and_an_unknown_kind(unit_review_kind, api, alice):
    client = api(alice)
    bad = client.patch(f"/api/v1/notification-preferences/{KEY}/", {"channel": "pigeon"})
    assert bad.status_code == 400
    assert "channel" in bad.json()["fields"]
    assert client.patch("/api/v1/notification-preferences/no.such_kind/", {"channel": "email"}).status_code == 404
    assert not NotificationPreference.objects.exists()


def test_a_read_only_token_may_read_but_not_change_preferences(unit_review_kind, api, alice):
    client = api(alice, scope="read")
    assert client.get("/api/v1/notification-preferences/").status_code == 200
    assert client.patch(f"/api/v1/notification-preferences/{KEY}/", {"channel": "digest"}).status_code == 403


def test_the_preferences_api_needs_authentication(api):
    assert api().get("/api/v1/notification-preferences/").status_code == 401


def test_the_service_refuses_an_unknown_kind_and_changes_nothing(unit_review_kind, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        notification_preference_set(user=alice, kind="no.such_kind", channel="email")
    assert "kind" in refused.value.message_dict
    assert not NotificationPreference.objects.exists()


def test_the_api_lists_reminder_notifications_in_the_inbox_and_marks_them_read(unit_review_kind, api, alice, sales):
    reminders_sweep(now=timezone.now() + WEEK_LATER)
    reminders_send()
    client = api(alice)
    listed = client.get("/api/v1/notifications/?unread=true").json()
    assert [n["kind"] for n in listed["results"]] == [KEY]
    assert client.post("/api/v1/notifications/mark-all-read/").json() == {"marked_read": 1}
    assert Notification.objects.filter(read_at__isnull=False).count() == 1
    assert Notification.objects.filter(reminder__isnull=False).count() == 1


def test_the_ledger_allows_only_one_row_per_recipient_kind_target_and_period(unit_review_kind, alice, sales):
    from django.contrib.contenttypes.models import ContentType
    from django.db import IntegrityError, transaction

    kwargs = {"recipient": alice, "kind": KEY, "target_type": ContentType.objects.get_for_model(sales), "target_id": str(sales.pk), "period": "once"}
    Reminder.objects.create(**kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**kwargs)
