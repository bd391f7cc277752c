"""The steering services: every transition, and every refusal changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnership.notifications.models import Notification
from steering import services
from steering.choices import DecisionStatus, Side, Stance
from steering.models import ActionItem, Attendance, Decision, Meeting, Membership, Position, Registration

from .conftest import member
from .factories import ActionItemFactory, DecisionFactory, EventFactory, MeetingFactory, RegistrationFactory, days

pytestmark = pytest.mark.django_db


def refused(exc_info, field, text):
    assert text in " ".join(exc_info.value.message_dict[field])


# --- committees and members ------------------------------------------------------------------------


def test_a_member_joins_on_the_side_of_their_role(committee, ivan, mallory, carla):
    committee.memberships.filter(user=ivan).delete()
    assert services.membership_add(committee=committee, user=mallory, actor=ivan).side == Side.BUSINESS
    assert services.membership_add(committee=committee, user=carla, actor=ivan).side == Side.IT


def test_adding_someone_twice_is_refused(committee, alice, ivan):
    with pytest.raises(ValidationError) as exc:
        services.membership_add(committee=committee, user=alice, actor=ivan)
    refused(exc, "user", "already a member")
    assert committee.memberships.filter(user=alice).count() == 1


def test_a_member_with_positions_on_record_cannot_be_removed(committee, alice, ivan):
    decision = DecisionFactory(committee=committee)
    services.position_record(decision=decision, stance=Stance.SUPPORT, actor=alice)
    with pytest.raises(ValidationError) as exc:
        services.membership_remove(membership=member(committee, alice), actor=ivan)
    refused(exc, "user", "observer instead")
    assert Membership.objects.filter(committee=committee, user=alice).exists()


# --- meetings ------------------------------------------------------------------------------------


def test_scheduling_a_meeting_notifies_every_member_but_the_chair(committee, chris, alice, bert, ivan, olga):
    meeting = services.meeting_schedule(
        committee=committee, title="March review", starts_at=days(14), place="Board room",
        agenda=["MDM figures", "", "  Open decisions "], actor=chris,
    )
    assert [i.title for i in meeting.agenda_items.all()] == ["MDM figures", "Open decisions"]
    notified = set(Notification.objects.filter(kind="steering.meeting_scheduled").values_list("recipient__username", flat=True))
    assert notified == {"alice", "bert", "ivan", "olga"}
    note = Notification.objects.filter(recipient=alice).get()
    assert note.url == meeting.get_absolute_url()
    assert "March review" in note.title


def test_attendance_is_recorded_and_can_be_corrected(committee, chris, alice, bert):
    meeting = MeetingFactory(committee=committee)
    services.attendance_record(meeting=meeting, statuses={alice: "present", bert: "absent"}, actor=chris)
    services.attendance_record(meeting=meeting, statuses={bert: "excused"}, actor=chris)
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("member__user__username", "status"))
    assert rows == {"alice": "present", "bert": "excused"}


def test_attendance_for_a_non_member_is_refused_and_nothing_is_recorded(committee, chris, alice, mallory):
    meeting = MeetingFactory(committee=committee)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(meeting=meeting, statuses={alice: "present", mallory: "present"}, actor=chris)
    refused(exc, "user", "is not a member")
    assert not Attendance.objects.exists()


def test_an_unknown_attendance_status_is_refused(committee, chris, alice):
    meeting = MeetingFactory(committee=committee)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(meeting=meeting, statuses={alice: "asleep"}, actor=chris)
    refused(exc, "status", "present, excused or absent")
    assert not Attendance.objects.exists()


def test_minutes_are_recorded(committee, chris):
    meeting = MeetingFactory(committee=committee)
    services.meeting_record_minutes(meeting=meeting, minutes="Agreed on MDM.", actor=chris)
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Agreed on MDM."


# --- action items ----------------------------------------------------------------------------------


def test_an_action_item_notifies_its_owner_and_can_be_done_and_reopened(committee, chris, alice):
    meeting = MeetingFactory(committee=committee)
    item = services.action_item_create(
        meeting=meeting, title="Collect laptop needs", owner=alice, due_date=meeting.local_date, actor=chris
    )
    assert Notification.objects.filter(recipient=alice, kind="steering.action_item_assigned").count() == 1
    services.action_item_complete(item=item, actor=alice)
    assert ActionItem.objects.get(pk=item.pk).done_at is not None
    with pytest.raises(ValidationError):
        services.action_item_complete(item=item, actor=alice)
    services.action_item_reopen(item=item, actor=chris)
    assert ActionItem.objects.get(pk=item.pk).done_at is None


def test_an_action_item_due_before_its_meeting_is_refused(committee, chris, alice):
    meeting = MeetingFactory(committee=committee, starts_at=days(-3))
    with pytest.raises(ValidationError) as exc:
        services.action_item_create(
            meeting=meeting, title="Too late", owner=alice,
            due_date=meeting.local_date - datetime.timedelta(days=1), actor=chris,
        )
    refused(exc, "due_date", "before its meeting")
    assert not ActionItem.objects.exists()
    assert not Notification.objects.exists()


def test_giving_an_action_item_to_someone_else_notifies_the_new_owner(committee, chris, alice, bert):
    item = ActionItemFactory(meeting=MeetingFactory(committee=committee), owner=alice)
    services.action_item_update(item=item, owner=bert, actor=chris)
    assert Notification.objects.filter(recipient=bert, kind="steering.action_item_assigned").count() == 1


# --- decisions and positions -------------------------------------------------------------------------


def test_proposing_a_decision_asks_the_voting_members(committee, chris):
    decision = services.decision_propose(
        committee=committee, title="Phones for e-mail", topic="byod", context="People do it anyway.", actor=chris
    )
    asked = set(Notification.objects.filter(kind="steering.decision_proposed").values_list("recipient__username", flat=True))
    assert asked == {"alice", "bert", "ivan"}  # not the observer, not the chair who proposed it
    assert decision.status == DecisionStatus.OPEN


def test_a_decision_on_another_committees_meeting_is_refused(committee, chris):
    other_meeting = MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        services.decision_propose(
            committee=committee, title="X", topic="byod", context="Y", meeting=other_meeting, actor=chris
        )
    refused(exc, "meeting", "another committee")
    assert not Decision.objects.exists()


def test_members_record_and_change_their_position(committee, alice):
    decision = DecisionFactory(committee=committee)
    services.position_record(decision=decision, stance=Stance.OPPOSE, comment="Too costly.", actor=alice)
    services.position_record(decision=decision, stance=Stance.SUPPORT_WITH_CONCERNS, comment="OK if cheap.", actor=alice)
    position = Position.objects.get()
    assert (position.stance, position.comment) == (Stance.SUPPORT_WITH_CONCERNS, "OK if cheap.")


@pytest.mark.parametrize(
    ("who", "field", "message"),
    [("mallory", "member", "Only members"), ("olga", "member", "Observers")],
)
def test_a_position_by_a_non_member_or_an_observer_is_refused(committee, request, who, field, message):
    decision = DecisionFactory(committee=committee)
    with pytest.raises(ValidationError) as exc:
        services.position_record(decision=decision, stance=Stance.SUPPORT, actor=request.getfixturevalue(who))
    refused(exc, field, message)
    assert not Position.objects.exists()


def test_an_unknown_stance_is_refused(committee, alice):
    decision = DecisionFactory(committee=committee)
    with pytest.raises(ValidationError) as exc:
        services.position_record(decision=decision, stance="meh", actor=alice)
    assert "stance" in exc.value.message_dict
    assert not Position.objects.exists()


def test_closing_freezes_positions_and_notifies_the_members(committee, chris, alice, bert):
    decision = DecisionFactory(committee=committee)
    services.position_record(decision=decision, stance=Stance.SUPPORT, actor=alice)
    services.decision_close(decision=decision, outcome="Allowed with MDM.", review_date=timezone.localdate(), actor=chris)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CLOSED
    assert decision.decided_at == timezone.localdate()
    assert decision.closed_by == chris
    assert Notification.objects.filter(kind="steering.decision_closed").count() == 4
    with pytest.raises(ValidationError) as exc:
        services.position_record(decision=decision, stance=Stance.OPPOSE, actor=bert)
    refused(exc, "decision", "closed")
    with pytest.raises(ValidationError) as exc:
        services.position_record(decision=decision, stance=Stance.OPPOSE, actor=alice)
    assert Position.objects.get().stance == Stance.SUPPORT


def test_closing_needs_an_outcome_and_happens_once(committee, chris):
    decision = DecisionFactory(committee=committee)
    with pytest.raises(ValidationError) as exc:
        services.decision_close(decision=decision, outcome="", actor=chris)
    refused(exc, "outcome", "Record the outcome")
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.OPEN
    services.decision_close(decision=decision, outcome="Done.", actor=chris)
    with pytest.raises(ValidationError) as exc:
        services.decision_close(decision=decision, outcome="Again.", actor=chris)
    refused(exc, "status", "already closed")
    assert Decision.objects.get(pk=decision.pk).outcome == "Done."


def test_a_closed_decision_only_takes_a_new_review_date(committee, chris):
    decision = DecisionFactory(committee=committee, status=DecisionStatus.CLOSED, outcome="Yes.", decided_at=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        services.decision_update(decision=decision, title="Rewritten history", actor=chris)
    refused(exc, "status", "cannot be changed")
    later = timezone.localdate() + datetime.timedelta(days=90)
    services.decision_update(decision=decision, review_date=later, actor=chris)
    assert Decision.objects.get(pk=decision.pk).title != "Rewritten history"
    assert Decision.objects.get(pk=decision.pk).review_date == later


# --- events --------------------------------------------------------------------------------------------


def test_registering_and_unregistering(alice):
    event = EventFactory(capacity=2)
    services.event_register(event=event, actor=alice)
    assert Registration.objects.filter(event=event, user=alice).exists()
    services.event_unregister(event=event, actor=alice)
    assert not Registration.objects.exists()


def test_registering_twice_is_refused(alice):
    event = EventFactory()
    services.event_register(event=event, actor=alice)
    with pytest.raises(ValidationError) as exc:
        services.event_register(event=event, actor=alice)
    refused(exc, "event", "already registered")
    assert Registration.objects.count() == 1


def test_registering_for_a_past_event_is_refused(alice):
    event = EventFactory(starts_at=days(-1))
    with pytest.raises(ValidationError) as exc:
        services.event_register(event=event, actor=alice)
    refused(exc, "event", "already taken place")
    assert not Registration.objects.exists()


def test_registering_for_a_full_event_is_refused(alice, mallory):
    event = EventFactory(capacity=1)
    services.event_register(event=event, actor=mallory)
    with pytest.raises(ValidationError) as exc:
        services.event_register(event=event, actor=alice)
    refused(exc, "event", "full")
    assert Registration.objects.count() == 1


def test_unregistering_without_a_registration_or_after_the_event_is_refused(alice):
    with pytest.raises(ValidationError) as exc:
        services.event_unregister(event=EventFactory(), actor=alice)
    refused(exc, "event", "not registered")
    past = EventFactory(starts_at=days(-1))
    RegistrationFactory(event=past, user=alice)
    with pytest.raises(ValidationError) as exc:
        services.event_unregister(event=past, actor=alice)
    refused(exc, "event", "stay on record")
    assert Registration.objects.count() == 1


def test_the_host_records_attendance_including_walk_ins_and_attendees_rate(alice, mallory, ivan):
    event = EventFactory(starts_at=days(-1), host=ivan)
    RegistrationFactory(event=event, user=alice)
    services.event_record_attendance(event=event, user=alice, actor=ivan)
    services.event_record_attendance(event=event, user=mallory, actor=ivan)  # came without registering
    assert Registration.objects.filter(event=event, attended_at__isnull=False).count() == 2
    services.event_rate(event=event, rating=4, comment="Useful.", actor=alice)
    registration = Registration.objects.get(event=event, user=alice)
    assert (registration.rating, registration.comment) == (4, "Useful.")


def test_attendance_before_the_event_is_refused(alice, ivan):
    event = EventFactory(host=ivan)
    RegistrationFactory(event=event, user=alice)
    with pytest.raises(ValidationError) as exc:
        services.event_record_attendance(event=event, user=alice, actor=ivan)
    refused(exc, "event", "once the event has started")
    assert Registration.objects.get().attended_at is None


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_1_to_5_is_refused(alice, rating):
    event = EventFactory(starts_at=days(-1))
    RegistrationFactory(event=event, user=alice, attended_at=days(-1))
    with pytest.raises(ValidationError) as exc:
        services.event_rate(event=event, rating=rating, actor=alice)
    refused(exc, "rating", "from 1 to 5")
    assert Registration.objects.get().rating is None


def test_only_attendees_rate(alice, mallory):
    event = EventFactory(starts_at=days(-1))
    RegistrationFactory(event=event, user=alice)  # registered, did not come
    for person in (alice, mallory):
        with pytest.raises(ValidationError) as exc:
            services.event_rate(event=event, rating=5, actor=person)
        refused(exc, "rating", "Only people who attended")
    assert not Registration.objects.filter(rating__isnull=False).exists()


def test_capacity_cannot_drop_below_the_registrations(alice, mallory, ivan):
    event = EventFactory(capacity=5)
    RegistrationFactory(event=event, user=alice)
    RegistrationFactory(event=event, user=mallory)
    with pytest.raises(ValidationError) as exc:
        services.event_update(event=event, capacity=1, actor=ivan)
    refused(exc, "capacity", "already registered")

