"""The extra-mile reminder kinds, with time travel: check-ins due and overdue (the key user, then
IT), ratings pending (each recipient once), surveys about to close (once); rows answered
meanwhile are cancelled, and the sweep costs the same number of queries at any size."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from partnership.extramile import reminders as kinds
from partnership.extramile import services
from partnership.extramile.choices import ActionStatus, SurveyRole
from partnership.extramile.models import CheckIn, ResolutionSurvey
from partnership.notifications import get_kind
from partnership.notifications import services as reminder_services
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_send, reminders_sweep
from partnership.roles import Role

from ..factories import UserFactory
from ..listening.factories import make_pain_point
from .factories import log_action, make_resolved, queries_of, record_window

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
EXTRA_MILE_KINDS = (kinds.CHECK_IN_DUE, kinds.CHECK_IN_OVERDUE, kinds.CHECK_IN_ESCALATED, kinds.RATING_PENDING, kinds.SURVEY_PENDING)


@pytest.fixture(autouse=True)
def _timing(settings):
    settings.EXTRAMILE_CHECKIN_DUE_HOURS = 24
    settings.EXTRAMILE_CHECKIN_REMIND_HOURS_BEFORE = 4
    settings.EXTRAMILE_CHECKIN_ESCALATE_HOURS = 12
    settings.EXTRAMILE_RATING_REMIND_AFTER_DAYS = 3
    settings.EXTRAMILE_SURVEY_DAYS = 14
    settings.EXTRAMILE_SURVEY_REMIND_DAYS_BEFORE = 2


@pytest.fixture(autouse=True)
def only_extra_mile_kinds(monkeypatch):
    """The sweep and the sender see only this feature's kinds (other apps' kinds are theirs to test)."""
    mine = [get_kind(key) for key in EXTRA_MILE_KINDS]
    monkeypatch.setattr(reminder_services, "registered_kinds", lambda: mine)


def ledger(kind):
    return sorted(
        (row.recipient.username, row.target_id, row.period, row.status)
        for row in Reminder.objects.filter(kind=kind).select_related("recipient")
    )


def a_check_in(ivan, key_users):
    """A window that ended an hour ago and its check-ins, due 24 hours from now."""
    record_window(actor=ivan, key_users=key_users, starts_in_hours=-3, hours=2)
    services.check_ins_create()
    return list(CheckIn.objects.order_by("key_user__username"))


def test_the_five_kinds_are_registered():
    for key in EXTRA_MILE_KINDS:
        assert get_kind(key) is not None, key


# --- Check-ins ----------------------------------------------------------------------------------------


def test_a_key_user_is_reminded_once_shortly_before_the_check_in_is_due(ivan, alice):
    (check_in,) = a_check_in(ivan, [alice])
    due = check_in.due_at
    reminders_sweep(now=due - 10 * HOUR)  # asked when it was created; not yet
    assert ledger(kinds.CHECK_IN_DUE) == []

    reminders_sweep(now=due - 3 * HOUR)
    reminders_sweep(now=due - 2 * HOUR)
    assert ledger(kinds.CHECK_IN_DUE) == [("alice", str(check_in.pk), "once", "pending")]

    reminders_send(now=due - 2 * HOUR)
    note = Notification.objects.get(kind=kinds.CHECK_IN_DUE)
    assert note.recipient == alice
    assert note.url == check_in.get_absolute_url()
    assert "SAP ERP" in note.title
    assert ledger(kinds.CHECK_IN_DUE) == [("alice", str(check_in.pk), "once", "sent")]


def test_a_check_in_created_close_to_its_due_time_gets_no_second_message(ivan, alice, settings):
    settings.EXTRAMILE_CHECKIN_DUE_HOURS = 2
    (check_in,) = a_check_in(ivan, [alice])
    reminders_sweep(now=check_in.due_at - HOUR)
    assert ledger(kinds.CHECK_IN_DUE) == []


def test_a_check_in_answered_before_the_sender_comes_is_cancelled(ivan, alice):
    (check_in,) = a_check_in(ivan, [alice])
    reminders_sweep(now=check_in.due_at - 3 * HOUR)
    services.check_in_answer(check_in=check_in, actor=alice, systems_ok=True)
    # The answer's event cancels the pending reminder at once; the sender finds nothing to send.
    assert ledger(kinds.CHECK_IN_DUE) == [("alice", str(check_in.pk), "once", "cancelled")]
    result = reminders_send(now=check_in.due_at - 2 * HOUR)
    assert result.sent == 0
    assert not Notification.objects.filter(kind=kinds.CHECK_IN_DUE).exists()


def test_an_overdue_check_in_reminds_the_key_user_then_the_it_person_who_recorded_the_window(ivan, alice, sam, greta_it):
    alices, sams = a_check_in(ivan, [alice, sam])
    services.check_in_answer(check_in=sams, actor=sam, systems_ok=True)
    due = alices.due_at

    reminders_sweep(now=due + HOUR)
    assert ledger(kinds.CHECK_IN_OVERDUE) == [("alice", str(alices.pk), "once", "pending")]
    assert ledger(kinds.CHECK_IN_ESCALATED) == [], "IT hears of it later"

    reminders_sweep(now=due + 13 * HOUR)
    reminders_sweep(now=due + 30 * HOUR)
    assert ledger(kinds.CHECK_IN_OVERDUE) == [("alice", str(alices.pk), "once", "pending")], "once"
    assert ledger(kinds.CHECK_IN_ESCALATED) == [("ivan", str(alices.pk), "once", "pending")], "the recorder, not all of IT"

    reminders_send(now=due + 30 * HOUR)
    to_ivan = Notification.objects.get(kind=kinds.CHECK_IN_ESCALATED)
    assert to_ivan.recipient == ivan
    assert "No answer from" in to_ivan.title and "(Sales)" in to_ivan.title
    assert Notification.objects.get(kind=kinds.CHECK_IN_OVERDUE).recipient == alice
    assert not Notification.objects.filter(recipient=sam, kind__startswith="extramile.check_in_").exists()


def test_without_an_it_recorder_the_it_staff_group_is_told_once_each(ivan, alice, greta_it, carla):
    (check_in,) = a_check_in(ivan, [alice])
    ivan.is_active = False  # the recorder left
    ivan.save()
    reminders_sweep(now=check_in.due_at + 13 * HOUR)
    reminders_sweep(now=check_in.due_at + 40 * HOUR)
    assert ledger(kinds.CHECK_IN_ESCALATED) == [("greta", str(check_in.pk), "once", "pending")]


def test_a_check_in_answered_late_is_not_escalated(ivan, alice):
    (check_in,) = a_check_in(ivan, [alice])
    reminders_sweep(now=check_in.due_at + 13 * HOUR)
    services.check_in_answer(check_in=check_in, actor=alice, systems_ok=True)
    # The answer's event cancels both pending reminders (overdue, escalated) at once.
    assert Reminder.objects.filter(status="cancelled").count() == 2
    assert reminders_send(now=check_in.due_at + 14 * HOUR).sent == 0


# --- Ratings ------------------------------------------------------------------------------------------


def test_each_recipient_who_has_not_rated_a_done_action_is_reminded_once(ivan, alice, sam, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice, sam])
    log_action(actor=ivan, business_unit=sales, recipients=[alice], title="A planned FAQ", status=ActionStatus.PLANNED,
               performed_on=timezone.localdate() + datetime.timedelta(days=3))
    now = timezone.now()
    reminders_sweep(now=now + 2 * DAY)
    assert ledger(kinds.RATING_PENDING) == []

    services.extra_mile_action_rate(action=action, rated_by=alice, rating=5)
    reminders_sweep(now=now + 3 * DAY)
    reminders_sweep(now=now + 10 * DAY)
    assert [(who, period) for who, _, period, _ in ledger(kinds.RATING_PENDING)] == [("sam", "once")], \
        "alice rated; the planned action is not chased"

    reminders_send(now=now + 10 * DAY)
    note = Notification.objects.get(kind=kinds.RATING_PENDING)
    assert note.recipient == sam
    assert note.url == action.get_absolute_url()
    assert "Added two years of data" in note.title


def test_a_recipient_who_rates_before_the_sender_comes_is_not_reminded_but_a_colleague_is(ivan, alice, sam, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice, sam])
    later = timezone.now() + 4 * DAY
    reminders_sweep(now=later)
    assert len(ledger(kinds.RATING_PENDING)) == 2
    services.extra_mile_action_rate(action=action, rated_by=alice, rating=4)
    result = reminders_send(now=later)
    assert (result.sent, result.cancelled) == (1, 1)
    assert list(Notification.objects.filter(kind=kinds.RATING_PENDING).values_list("recipient__username", flat=True)) == ["sam"]


def test_old_unrated_actions_are_not_chased(ivan, alice, sales):
    log_action(actor=ivan, business_unit=sales, recipients=[alice], performed_on=timezone.localdate() - datetime.timedelta(days=60))
    reminders_sweep()
    assert ledger(kinds.RATING_PENDING) == []


# --- Surveys ------------------------------------------------------------------------------------------


def test_a_survey_is_reminded_once_when_two_days_remain_and_never_after_its_deadline(ivan, alice, sam, sales):
    make_resolved(submitted_by=alice, it_user=ivan)
    assert services.surveys_create() == 1
    survey = ResolutionSurvey.objects.get()
    assert survey.role == SurveyRole.SUBMITTER
    deadline = survey.due_at

    reminders_sweep(now=deadline - 3 * DAY)
    assert ledger(kinds.SURVEY_PENDING) == []
    reminders_sweep(now=deadline - 2 * DAY + HOUR)
    reminders_sweep(now=deadline - HOUR)
    assert ledger(kinds.SURVEY_PENDING) == [("alice", str(survey.pk), "once", "pending")]

    reminders_send(now=deadline - HOUR)
    note = Notification.objects.get(kind=kinds.SURVEY_PENDING)
    assert note.recipient == alice and note.url == survey.get_absolute_url()
    assert "you raised" in note.body

    Reminder.objects.filter(kind=kinds.SURVEY_PENDING).delete()
    reminders_sweep(now=deadline + HOUR)
    assert ledger(kinds.SURVEY_PENDING) == [], "a closed survey is not chased"


def test_a_survey_answered_before_the_sender_comes_is_cancelled_and_a_closed_one_too(ivan, alice, sales):
    make_resolved(submitted_by=alice, it_user=ivan)
    services.surveys_create()
    survey = ResolutionSurvey.objects.get()
    reminders_sweep(now=survey.due_at - DAY)
    services.survey_answer(survey=survey, actor=alice, rating=4)
    # The answer's event cancels the pending reminder at once; the sender has nothing to send.
    assert ledger(kinds.SURVEY_PENDING) == [("alice", str(survey.pk), "once", "cancelled")]
    assert reminders_send(now=survey.due_at - DAY).sent == 0

    make_resolved(submitted_by=alice, it_user=ivan, title="Printer queue stuck")
    services.surveys_create()
    second = ResolutionSurvey.objects.exclude(pk=survey.pk).get()
    reminders_sweep(now=second.due_at - DAY)
    assert reminders_send(now=second.due_at + HOUR).cancelled == 1, "the sender came after the deadline"


# --- The sweep's cost -----------------------------------------------------------------------------------


def make_due_items(count, *, ivan, unit):
    """`count` of each: a check-in due soon, one overdue for long, an unrated action, a closing survey."""
    now = timezone.now()
    for _ in range(count):
        soon, late = UserFactory(business_unit=unit, role=Role.BUSINESS_MANAGER), UserFactory(business_unit=unit)
        window = record_window(actor=ivan, key_users=[soon, late])
        services.check_ins_create()
        CheckIn.objects.filter(window=window, key_user=soon).update(due_at=now + 2 * HOUR, notified_at=now - 20 * HOUR)
        CheckIn.objects.filter(window=window, key_user=late).update(due_at=now - 20 * HOUR)
        log_action(actor=ivan, business_unit=unit, recipients=[soon, late], performed_on=timezone.localdate() - datetime.timedelta(days=5))
        ResolutionSurvey.objects.create(
            pain_point_id=make_pain_point(submitted_by=soon).pk, business_unit=unit, respondent=soon, role=SurveyRole.SUBMITTER,
            resolved_at=now - 12 * DAY, due_at=now + DAY,
        )


def test_the_sweep_needs_the_same_number_of_queries_for_few_or_many_items(ivan, greta_it, sales, django_assert_num_queries):
    make_due_items(1, ivan=ivan, unit=sales)
    reminders_sweep()  # warms the content-type cache
    Reminder.objects.all().delete()
    small = queries_of(lambda: reminders_sweep())
    assert Reminder.objects.count() == 6  # due soon, overdue, escalated, two ratings, a survey
    Reminder.objects.all().delete()
    make_due_items(6, ivan=ivan, unit=sales)
    with django_assert_num_queries(small):
        assert reminders_sweep() == 42


def test_sending_extra_mile_reminders_needs_the_same_number_of_queries_for_few_or_many(
    ivan, sales, django_assert_num_queries, settings
):
    settings.REMINDER_BATCH_SIZE = 500
    make_due_items(1, ivan=ivan, unit=sales)
    reminders_sweep()
    reminders_send()  # warms the caches
    Reminder.objects.all().delete()
    Notification.objects.all().delete()
    reminders_sweep()
    mail.outbox.clear()
    small = queries_of(lambda: reminders_send())
    few_emails = len(mail.outbox)
    assert Notification.objects.filter(kind__in=EXTRA_MILE_KINDS).count() == 6
    make_due_items(5, ivan=ivan, unit=sales)
    reminders_sweep()
    mail.outbox.clear()
    # The batch's queries stay the same; each e-mail is recorded on its own (savepoint, lock,
    # mark, release), so a killed worker repeats at most one.
    many = queries_of(lambda: reminders_send())
    assert many == small + 4 * (len(mail.outbox) - few_emails)
    assert Notification.objects.filter(kind__in=EXTRA_MILE_KINDS).count() == 36
