"""The steering reminder kinds, with time travel through the sweep and the sender."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.notifications import registered_kinds
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_send, reminders_sweep
from steering import services
from steering.choices import DecisionStatus, MemberRole, Side

from ..factories import UserFactory
from ..reminder_travel import at, only_kinds, sweep_and_send
from .factories import ActionItemFactory, CommitteeFactory, DecisionFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

STEERING_KINDS = ("steering.action_item_due", "steering.meeting_upcoming", "steering.decision_review_due")


@pytest.fixture(autouse=True)
def only_steering_kinds(monkeypatch, settings):
    """The sweep and the sender see only this app's kinds: the other apps' kinds have their own
    tests, and would remind the fixtures' people of other things."""
    settings.STEERING_ACTION_ITEM_NOTICE_DAYS = 3
    settings.STEERING_MEETING_NOTICE_DAYS = 2
    settings.STEERING_REVIEW_NOTICE_DAYS = 30
    only_kinds(monkeypatch, "steering.")


def notes(kind, user=None):
    found = Notification.objects.filter(kind=kind).order_by("id")
    return list(found.filter(recipient=user) if user else found)


def test_the_app_registers_its_three_kinds():
    assert {k.key for k in registered_kinds()} >= set(STEERING_KINDS)


# --- Action items ----------------------------------------------------------------------------


@pytest.fixture
def due_day():
    return timezone.localdate() + datetime.timedelta(days=10)


@pytest.fixture
def item(committee, alice, due_day):
    meeting = MeetingFactory(committee=committee, title="March meeting", starts_at=at(timezone.localdate()))
    return ActionItemFactory(meeting=meeting, owner=alice, title="Draft the BYOD policy", due_date=due_day)


def test_an_action_item_owner_is_reminded_three_days_before_and_once_overdue(item, alice, due_day):
    assert sweep_and_send(at(due_day - datetime.timedelta(days=4))) == 0
    assert sweep_and_send(at(due_day - datetime.timedelta(days=3))) == 1
    (soon,) = notes("steering.action_item_due", alice)
    assert soon.title == f"Action item due on {due_day:%Y-%m-%d}: Draft the BYOD policy"
    assert "March meeting" in soon.body and "BYOD steering committee" in soon.body
    assert soon.url == item.get_absolute_url()
    # Nothing more while it is due soon, nor on the due day itself.
    assert sweep_and_send(at(due_day - datetime.timedelta(days=1))) == 0
    assert sweep_and_send(at(due_day)) == 0
    assert sweep_and_send(at(due_day + datetime.timedelta(days=1))) == 1
    assert notes("steering.action_item_due", alice)[-1].title.startswith("Action item overdue: Draft the BYOD policy")
    # Overdue is said once, however long it stays open.
    assert sweep_and_send(at(due_day + datetime.timedelta(days=8))) == 0
    assert len(notes("steering.action_item_due")) == 2
    assert set(Reminder.objects.values_list("period", flat=True)) == {f"due-soon:{due_day}", f"overdue:{due_day}"}


def test_moving_the_due_date_starts_the_reminders_over(item, alice, chris, due_day):
    sweep_and_send(at(due_day - datetime.timedelta(days=2)))
    later = due_day + datetime.timedelta(days=14)
    services.action_item_update(item=item, due_date=later, actor=chris)
    assert sweep_and_send(at(due_day + datetime.timedelta(days=1))) == 0  # not overdue any more
    assert sweep_and_send(at(later - datetime.timedelta(days=3))) == 1
    assert len(notes("steering.action_item_due", alice)) == 2


def test_a_done_action_item_is_not_chased_and_a_pending_reminder_is_cancelled(item, alice, chris, due_day):
    reminders_sweep(now=at(due_day - datetime.timedelta(days=1)))
    services.action_item_complete(item=item, actor=alice)
    result = reminders_send(now=at(due_day - datetime.timedelta(days=1)))
    assert (result.sent, result.cancelled) == (0, 1)
    assert sweep_and_send(at(due_day + datetime.timedelta(days=5))) == 0
    assert notes("steering.action_item_due") == []


def test_an_item_created_overdue_gets_only_the_overdue_reminder(committee, alice):
    today = timezone.localdate()
    meeting = MeetingFactory(committee=committee, starts_at=at(today - datetime.timedelta(days=20)))
    ActionItemFactory(meeting=meeting, owner=alice, due_date=today - datetime.timedelta(days=5))
    assert sweep_and_send(at(today)) == 1
    assert notes("steering.action_item_due", alice)[0].title.startswith("Action item overdue")


def test_the_reminder_is_also_sent_by_email(item, alice, due_day):
    sweep_and_send(at(due_day - datetime.timedelta(days=3)))
    (message,) = mail.outbox
    assert message.to == [alice.email]
    assert "Draft the BYOD policy" in message.subject


# --- Upcoming meetings -----------------------------------------------------------------------


def test_every_member_is_reminded_once_two_days_before_a_meeting(committee, chris, alice, bert, ivan, olga, mallory):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=6)
    meeting = MeetingFactory(committee=committee, title="Q3 review", starts_at=starts, place="Room 4")
    assert sweep_and_send(starts - datetime.timedelta(days=3)) == 0
    assert sweep_and_send(starts - datetime.timedelta(days=2)) == 5
    assert sweep_and_send(starts - datetime.timedelta(days=1)) == 0
    reminded = {n.recipient for n in notes("steering.meeting_upcoming")}
    assert reminded == {chris, alice, bert, ivan, olga}
    note = notes("steering.meeting_upcoming", alice)[0]
    assert note.title.startswith("BYOD steering committee: “Q3 review” on ")
    assert "Room 4" in note.body and note.url == meeting.get_absolute_url()
    assert sweep_and_send(starts + datetime.timedelta(hours=1)) == 0


def test_a_rescheduled_meeting_is_announced_again_and_a_past_one_is_not(committee, chris):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=6)
    meeting = MeetingFactory(committee=committee, starts_at=starts)
    reminders_sweep(now=starts - datetime.timedelta(days=1))
    # Moved a week later before the reminders went out: the pending ones are cancelled...
    services.meeting_update(meeting=meeting, starts_at=starts + datetime.timedelta(days=7), actor=chris)
    result = reminders_send(now=starts - datetime.timedelta(days=1))
    assert (result.sent, result.cancelled) == (0, 5)
    # ...and the members hear of the new date in time.
    assert sweep_and_send(starts + datetime.timedelta(days=6)) == 5


def test_a_committee_without_members_reminds_nobody():
    starts = timezone.now() + datetime.timedelta(days=1)
    MeetingFactory(committee=CommitteeFactory(), starts_at=starts)
    assert reminders_sweep(now=timezone.now()) == 0


# --- Decisions near their review date -------------------------------------------------------


@pytest.fixture
def decision(committee):
    today = timezone.localdate()
    return DecisionFactory(
        committee=committee, title="Allow personal phones", status=DecisionStatus.CLOSED, outcome="Allowed with MDM.",
        decided_at=today, review_date=today + datetime.timedelta(days=60),
    )


def test_the_chair_is_reminded_once_when_the_review_date_comes_within_the_notice(decision, chris):
    review = decision.review_date
    assert sweep_and_send(at(review - datetime.timedelta(days=31))) == 0
    assert sweep_and_send(at(review - datetime.timedelta(days=30))) == 1
    assert sweep_and_send(at(review + datetime.timedelta(days=10))) == 0
    (note,) = notes("steering.decision_review_due")
    assert note.recipient == chris
    assert note.title == f"Review due on {review:%Y-%m-%d}: Allow personal phones"
    assert note.url == decision.get_absolute_url()


def test_a_new_review_date_is_a_new_reminder(decision, chris):
    first = decision.review_date
    sweep_and_send(at(first))
    services.decision_update(decision=decision, review_date=first + datetime.timedelta(days=365), actor=chris)
    assert sweep_and_send(at(first + datetime.timedelta(days=1))) == 0
    assert sweep_and_send(at(first + datetime.timedelta(days=340))) == 1
    assert len(notes("steering.decision_review_due", chris)) == 2


def test_open_decisions_and_committees_without_a_chair_remind_nobody(committee, alice):
    today = timezone.localdate()
    DecisionFactory(committee=committee, review_date=today)  # still open
    chairless = CommitteeFactory()
    MembershipFactory(committee=chairless, user=alice, side=Side.BUSINESS, role=MemberRole.MEMBER)
    DecisionFactory(committee=chairless, status=DecisionStatus.CLOSED, outcome="x", decided_at=today, review_date=today)
    assert reminders_sweep(now=at(today)) == 0


# --- Query counts ----------------------------------------------------------------------------


def _volume(n: int):
    """n committees, each with a chair and two members, a meeting in two days, an action item
    due tomorrow and a decision to review."""
    today = timezone.localdate()
    for _ in range(n):
        committee = CommitteeFactory()
        people = [UserFactory() for _ in range(3)]
        for person, role in zip(people, (MemberRole.CHAIR, MemberRole.MEMBER, MemberRole.MEMBER), strict=True):
            MembershipFactory(committee=committee, user=person, role=role)
        meeting = MeetingFactory(committee=committee, starts_at=timezone.now() + datetime.timedelta(days=1))
        ActionItemFactory(meeting=meeting, owner=people[1], due_date=today + datetime.timedelta(days=2))
        DecisionFactory(committee=committee, status=DecisionStatus.CLOSED, outcome="x", decided_at=today, review_date=today)


def test_the_sweep_and_the_sender_run_a_fixed_number_of_queries(settings):
    settings.REMINDER_BATCH_SIZE = 1000
    _volume(1)
    with CaptureQueriesContext(connection) as sweep_small:
        assert reminders_sweep() == 5  # 3 members of the meeting, the owner, the chair
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as send_small:
        assert reminders_send().sent == 5
    emails_small = len(mail.outbox)
    _volume(8)
    with CaptureQueriesContext(connection) as sweep_large:
        assert reminders_sweep() == 40
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as send_large:
        assert reminders_send().sent == 40
    assert len(sweep_large.captured_queries) == len(sweep_small.captured_queries)
    # The batch's queries stay the same; each e-mail is recorded on its own (savepoint, lock,
    # mark, release), so a killed worker repeats at most one.
    extra_emails = len(mail.outbox) - emails_small
    assert len(send_large.captured_queries) == len(send_small.captured_queries) + 4 * extra_emails
    # One statement per kind: its due query runs inside its INSERT ... SELECT, never on its own.
    reads = [q["sql"] for q in sweep_small.captured_queries if "steering_" in q["sql"]]
    assert len(reads) == len(STEERING_KINDS)
    assert all(sql.startswith("INSERT INTO") for sql in reads)
