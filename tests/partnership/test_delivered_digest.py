"""The monthly "What IT delivered" summary (partnership.services.delivered_digests_send): sent once a
month to each unit's managers with last month's items, as each of them chose to receive it."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from listening.models import PainPoint, PainPointStatusChange
from partnership.notifications.choices import DeliveryChannel, EmailState, ReminderStatus
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import notification_preference_set, reminders_send_digests
from partnership.reminders import DELIVERED_DIGEST
from partnership.roles import Role
from partnership.services import delivered_digests_send

from ..extramile.factories import log_action, make_resolved
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

# The run on the first of a month; "last month" is then the whole month before.
FIRST_OF_MONTH = timezone.make_aware(datetime.datetime(2026, 6, 1, 6, 0))
IN_MAY = timezone.make_aware(datetime.datetime(2026, 5, 14, 10, 0))


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def resolved_in_may(*, submitted_by, it_user, title, **kwargs):
    pain_point = make_resolved(submitted_by=submitted_by, it_user=it_user, title=title, **kwargs)
    PainPointStatusChange.objects.filter(pain_point=pain_point).update(at=IN_MAY)
    PainPoint.objects.filter(pk=pain_point.pk).update(status_changed_at=IN_MAY)
    return pain_point


@pytest.fixture
def may_deliveries(mallory, alice, ivan, finance, sales):
    resolved_in_may(submitted_by=mallory, it_user=ivan, title="Month-end close takes a week")
    resolved_in_may(submitted_by=alice, it_user=ivan, title="Sales commission errors", confidential=True)
    log_action(actor=ivan, business_unit=finance, title="A FAQ on the new close", performed_on=IN_MAY.date())
    log_action(actor=ivan, business_unit=finance, title="Done in June, not in May", performed_on=FIRST_OF_MONTH.date())
    mail.outbox.clear()


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_each_manager_gets_last_months_items_of_their_unit_once(mallory, alice, may_deliveries):
    assert delivered_digests_send(now=FIRST_OF_MONTH) == 2
    [finance_mail] = mails_to(mallory)
    assert finance_mail.subject == "[IT Partnership Portal] What IT delivered for Finance in May 2026: 2 items"
    assert "Month-end close takes a week" in finance_mail.body and "A FAQ on the new close" in finance_mail.body
    assert "Sales commission errors" not in finance_mail.body
    assert "Done in June" not in finance_mail.body
    assert f"{settings.PORTAL_BASE_URL}/delivered/finance/?start=2026-05-01&end=2026-05-31" in finance_mail.body
    [sales_mail] = mails_to(alice)
    assert "Sales commission errors" in sales_mail.body and "Month-end close" not in sales_mail.body
    # The inbox has it too, linked to the page of that month.
    note = Notification.objects.get(recipient=mallory, kind=DELIVERED_DIGEST)
    assert note.url == "/delivered/finance/?start=2026-05-01&end=2026-05-31"

    # The task runs again (a retry, a second beat): nothing more is sent.
    assert delivered_digests_send(now=FIRST_OF_MONTH + datetime.timedelta(hours=3)) == 0
    assert len(mails_to(mallory)) == 1
    assert Notification.objects.filter(recipient=mallory, kind=DELIVERED_DIGEST).count() == 1


def test_every_manager_of_the_unit_gets_it_but_not_it_staff_nor_the_inactive(mallory, ivan, finance, may_deliveries):
    colleague = UserFactory(business_unit=finance, role=Role.BUSINESS_MANAGER)
    gone = UserFactory(business_unit=finance, role=Role.BUSINESS_MANAGER, is_active=False)
    delivered_digests_send(now=FIRST_OF_MONTH)
    assert len(mails_to(colleague)) == 1
    assert mails_to(gone) == [] and mails_to(ivan) == []


def test_a_manager_who_chose_the_inbox_only_gets_no_email(mallory, may_deliveries):
    notification_preference_set(user=mallory, kind=DELIVERED_DIGEST, channel=DeliveryChannel.IN_APP)
    delivered_digests_send(now=FIRST_OF_MONTH)
    assert mails_to(mallory) == []
    assert Notification.objects.filter(recipient=mallory, kind=DELIVERED_DIGEST).exists()


def test_a_manager_who_chose_the_daily_digest_reads_it_there(mallory, may_deliveries):
    notification_preference_set(user=mallory, kind=DELIVERED_DIGEST, channel=DeliveryChannel.DIGEST)
    delivered_digests_send(now=FIRST_OF_MONTH)
    assert mails_to(mallory) == []
    assert Reminder.objects.get(recipient=mallory, kind=DELIVERED_DIGEST).email_state == EmailState.DIGEST_PENDING
    reminders_send_digests()
    [digest] = mails_to(mallory)
    assert "Month-end close takes a week" in digest.body


def test_a_unit_with_nothing_delivered_last_month_gets_no_summary(mallory):
    assert delivered_digests_send(now=FIRST_OF_MONTH) == 0
    assert mails_to(mallory) == []
    assert Reminder.objects.get(recipient=mallory, kind=DELIVERED_DIGEST).status == ReminderStatus.CANCELLED


def test_next_month_brings_a_new_summary(mallory, ivan, finance, may_deliveries):
    delivered_digests_send(now=FIRST_OF_MONTH)
    log_action(actor=ivan, business_unit=finance, title="A June training", performed_on=datetime.date(2026, 6, 10))
    assert delivered_digests_send(now=timezone.make_aware(datetime.datetime(2026, 7, 1, 6, 0))) >= 1
    june = mails_to(mallory)[-1]
    assert "June 2026" in june.subject and "A June training" in june.body and "Month-end close" not in june.body


def test_the_kind_is_on_the_preferences_page_and_in_the_beat_schedule(client, mallory):
    client.force_login(mallory)
    assert "What IT delivered for your unit (monthly)" in client.get("/accounts/notifications/").content.decode()
    entry = settings.CELERY_BEAT_SCHEDULE["delivered-digest"]
    assert entry["task"] == "partnership.tasks.send_delivered_digests"
    assert entry["schedule"].day_of_month == {1}
