"""The milestone reminder (`initiatives.milestone_due`), with time travel through the sweep and
the sender: the IT owner hears once when a milestone is due in three days and once when it is
overdue; moving the due date starts both over."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from initiatives import planning, services
from initiatives.reminders import KEY
from partnership.notifications import get_kind
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_send, reminders_sweep

from ..reminder_travel import at, only_kinds, sweep_and_send
from .factories import make_approved, make_proposed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_the_milestone_kind(monkeypatch, settings):
    """The sweep and the sender see only this kind: the other apps' kinds have their own tests."""
    settings.INITIATIVES_MILESTONE_NOTICE_DAYS = 3
    only_kinds(monkeypatch, KEY)


def notes(user=None):
    found = Notification.objects.filter(kind=KEY).order_by("id")
    return list(found.filter(recipient=user) if user else found)


@pytest.fixture
def due_day():
    return timezone.localdate() + datetime.timedelta(days=10)


@pytest.fixture
def initiative(ivan, alice, carla):
    return make_approved(actor=ivan, sponsor=alice, cio=carla, title="Self-service reports")


@pytest.fixture
def milestone(initiative, ivan, due_day):
    return planning.milestone_add(initiative=initiative, actor=ivan, title="Pilot with Sales", due_on=due_day)


def test_the_kind_is_registered_by_the_app():
    kind = get_kind(KEY)
    assert kind is not None and kind.label == "Initiative milestones due soon or overdue"


def test_the_it_owner_is_reminded_three_days_before_and_once_overdue(milestone, ivan, alice, due_day):
    assert sweep_and_send(at(due_day - datetime.timedelta(days=4))) == 0
    assert sweep_and_send(at(due_day - datetime.timedelta(days=3))) == 1
    (soon,) = notes(ivan)
    assert soon.title == f"Milestone due on {due_day:%Y-%m-%d}: Pilot with Sales"
    assert "Self-service reports" in soon.body
    assert soon.url == milestone.get_absolute_url() and soon.url.endswith("#milestones")
    # Nothing more while it is due soon, nor on the due day itself.
    assert sweep_and_send(at(due_day - datetime.timedelta(days=1))) == 0
    assert sweep_and_send(at(due_day)) == 0
    assert sweep_and_send(at(due_day + datetime.timedelta(days=1))) == 1
    overdue = notes(ivan)[-1]
    assert overdue.title == f"Milestone overdue: Pilot with Sales (due {due_day:%Y-%m-%d})"
    # Overdue is said once, however long it stays open.
    assert sweep_and_send(at(due_day + datetime.timedelta(days=8))) == 0
    assert sweep_and_send(at(due_day + datetime.timedelta(days=40))) == 0
    assert len(notes()) == 2
    assert notes(alice) == []  # the owner, not the sponsor
    assert set(Reminder.objects.filter(kind=KEY).values_list("period", flat=True)) == {
        f"due-soon:{due_day}",
        f"overdue:{due_day}",
    }


def test_moving_the_due_date_starts_the_reminders_over(milestone, ivan, due_day):
    assert sweep_and_send(at(due_day - datetime.timedelta(days=2))) == 1
    later = due_day + datetime.timedelta(days=14)
    planning.milestone_update(milestone=milestone, actor=ivan, due_on=later)
    assert sweep_and_send(at(due_day + datetime.timedelta(days=1))) == 0  # not overdue any more
    assert sweep_and_send(at(later - datetime.timedelta(days=3))) == 1
    assert sweep_and_send(at(later + datetime.timedelta(days=1))) == 1
    assert [n.title.split(":")[0] for n in notes(ivan)] == [
        f"Milestone due on {due_day:%Y-%m-%d}",
        f"Milestone due on {later:%Y-%m-%d}",
        "Milestone overdue",
    ]


def test_a_milestone_added_overdue_gets_only_the_overdue_reminder(initiative, ivan):
    today = timezone.localdate()
    planning.milestone_add(initiative=initiative, actor=ivan, title="Kick-off", due_on=today - datetime.timedelta(days=5))
    assert sweep_and_send(at(today)) == 1
    (note,) = notes(ivan)
    assert note.title.startswith("Milestone overdue: Kick-off")


def test_a_done_milestone_is_not_chased_and_a_pending_reminder_is_cancelled(milestone, ivan, due_day):
    now = at(timezone.localdate())
    reminders_sweep(now=at(due_day - datetime.timedelta(days=1)))
    planning.milestone_mark_done(milestone=milestone, actor=ivan)
    result = reminders_send(now=now)
    assert (result.sent, result.cancelled) == (0, 1)
    assert sweep_and_send(at(due_day + datetime.timedelta(days=5))) == 0
    assert notes() == []


def test_a_closed_initiative_is_not_chased(ivan, alice, due_day):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    planning.milestone_add(initiative=initiative, actor=ivan, title="Pilot", due_on=due_day)
    services.initiative_cancel(initiative=initiative, actor=ivan, reason="The business moved on.")
    assert sweep_and_send(at(due_day + datetime.timedelta(days=1))) == 0


def test_an_initiative_without_it_owner_reminds_nobody(initiative, milestone, due_day):
    type(initiative).objects.filter(pk=initiative.pk).update(it_owner=None)
    assert sweep_and_send(at(due_day + datetime.timedelta(days=1))) == 0


def test_the_notice_follows_the_setting(milestone, settings, due_day):
    settings.INITIATIVES_MILESTONE_NOTICE_DAYS = 7
    assert sweep_and_send(at(due_day - datetime.timedelta(days=7))) == 1


def test_the_reminder_is_also_sent_by_email(milestone, ivan, due_day):
    sweep_and_send(at(due_day - datetime.timedelta(days=3)))
    (message,) = mail.outbox
    assert message.to == [ivan.email]
    assert "Pilot with Sales" in message.subject


def test_due_is_one_query_and_message_none(milestone, initiative, ivan, due_day, django_assert_num_queries):
    kind = get_kind(KEY)
    planning.milestone_add(initiative=initiative, actor=ivan, title="Go-live", due_on=due_day + datetime.timedelta(days=1))
    with django_assert_num_queries(1):
        rows = list(kind.due(at(due_day + datetime.timedelta(days=1))))
    assert sorted(r["period"] for r in rows) == [f"due-soon:{due_day + datetime.timedelta(days=1)}", f"overdue:{due_day}"]
    assert {r["recipient_id"] for r in rows} == {ivan.pk}
    reminders_sweep(now=at(due_day + datetime.timedelta(days=1)))
    row = Reminder.objects.filter(kind=KEY).first()
    target = type(milestone).objects.select_related("initiative").get(pk=row.target_id)
    with django_assert_num_queries(0):
        assert kind.message(target, row).url.endswith("#milestones")
