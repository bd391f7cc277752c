"""Reminder kinds of the listening app, with time travel: acknowledgement past its SLA (the IT
triage group, daily), the escalation to the CIO at twice the SLA (once), analyses left lying
(their IT owner, weekly), business units not listened to (IT leadership, weekly), and a sweep
whose number of queries does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from listening import reminders as kinds
from listening import services
from listening.sla import add_business_days
from partnership.models import BusinessUnit
from partnership.notifications import registry
from partnership.notifications.choices import ReminderStatus
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_send, reminders_sweep
from partnership.roles import Role
from tests.factories import BusinessUnitFactory, UserFactory
from tests.reminder_travel import at

from .factories import ListeningSessionFactory, make_pain_point

pytestmark = pytest.mark.django_db

LISTENING_KINDS = (kinds.ACK_OVERDUE, kinds.ACK_ESCALATED, kinds.ANALYSIS_STALE, kinds.UNIT_NOT_LISTENED)


@pytest.fixture(autouse=True)
def only_listening_kinds(settings):
    """The listening kinds alone in the registry (other apps' kinds would add their own rows)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LISTENING_ACK_SLA_DAYS = 2
    settings.LISTENING_ANALYSIS_STALE_DAYS = 10
    settings.LISTENING_COVERAGE_DAYS = 60
    saved = dict(registry._REGISTRY)
    registry._REGISTRY.clear()
    for key in LISTENING_KINDS:
        registry.register(saved[key])
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


@pytest.fixture
def greta(db):
    """A second IT engineer, so the triage group has more than one member."""
    return UserFactory(username="greta", first_name="Greta", role=Role.IT_STAFF)


def ledger(kind, **filters):
    return set(Reminder.objects.filter(kind=kind, **filters).values_list("recipient__username", "target_id", "period"))


def sunday_of(moment: datetime.datetime) -> datetime.datetime:
    """The last day of `moment`'s ISO week, at noon: still the same weekly period."""
    day = timezone.localdate(moment)
    return at(day + datetime.timedelta(days=6 - day.weekday()))


# --- Acknowledgement past the SLA: the IT triage group, daily ----------------------------------


def test_an_unacknowledged_pain_point_reminds_every_active_it_engineer_daily_once_past_its_sla(
    alice, ivan, greta, carla
):
    UserFactory(username="former-it", role=Role.IT_STAFF, is_active=False)
    pain_point = make_pain_point(submitted_by=alice)
    due = pain_point.ack_due_on

    assert reminders_sweep(now=at(due, 23)) == 0, "not due on its due day"

    day_after = due + datetime.timedelta(days=1)
    assert reminders_sweep(now=at(day_after, 8)) == 2
    assert ledger(kinds.ACK_OVERDUE) == {
        ("ivan", str(pain_point.pk), day_after.isoformat()),
        ("greta", str(pain_point.pk), day_after.isoformat()),
    }, "the IT staff group only: not the CIO, not an inactive member"
    assert reminders_sweep(now=at(day_after, 17)) == 0, "not twice the same day"

    next_day = day_after + datetime.timedelta(days=1)
    assert reminders_sweep(now=at(next_day)) == 2, "again the next day while still unanswered"


def test_the_overdue_reminder_says_what_and_links_to_the_pain_point(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice, title="Price list typed by hand")
    now = at(pain_point.ack_due_on + datetime.timedelta(days=1))
    reminders_sweep(now=now)

    assert reminders_send(now=now).sent == 1
    notification = Notification.objects.get(recipient=ivan, kind=kinds.ACK_OVERDUE)
    assert notification.title == "Acknowledge “Price list typed by hand”: its SLA has passed"
    assert "Sales" in notification.body and f"{pain_point.ack_due_on:%Y-%m-%d}" in notification.body
    assert notification.url == pain_point.get_absolute_url()


def test_acknowledging_stops_the_overdue_reminders_and_cancels_the_pending_ones(alice, ivan, greta):
    pain_point = make_pain_point(submitted_by=alice)
    day_after = pain_point.ack_due_on + datetime.timedelta(days=1)
    reminders_sweep(now=at(day_after))

    pending = Reminder.objects.filter(kind=kinds.ACK_OVERDUE, target_id=str(pain_point.pk))
    assert set(pending.values_list("status", flat=True)) == {ReminderStatus.PENDING}

    services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)

    # The acknowledgement's event cancels them at once, before any sender comes.
    assert list(pending.values_list("status", flat=True)) == [ReminderStatus.CANCELLED] * 2
    result = reminders_send(now=at(day_after, 13))
    assert (result.sent, result.cancelled) == (0, 0), "nothing left for the sender"
    assert not Notification.objects.filter(kind=kinds.ACK_OVERDUE).exists()
    assert reminders_sweep(now=at(day_after + datetime.timedelta(days=1))) == 0


def test_declined_and_merged_pain_points_are_not_chased(alice, ivan):
    declined = make_pain_point(submitted_by=alice, title="Old printer")
    services.pain_point_decline(pain_point=declined, actor=ivan, reason="The printer is replaced next month.")
    duplicate = make_pain_point(submitted_by=alice, title="Printer again")
    target = make_pain_point(submitted_by=alice, title="Printers")
    services.pain_point_acknowledge(pain_point=target, actor=ivan)
    services.pain_point_merge(pain_point=duplicate, target=target, actor=ivan)

    assert reminders_sweep(now=at(target.ack_due_on + datetime.timedelta(days=30))) == 0


# --- Escalation at twice the SLA: the CIO, once --------------------------------------------------


def test_a_pain_point_unanswered_at_twice_its_sla_is_escalated_to_the_cio_once(alice, ivan, carla):
    UserFactory(username="former-cio", role=Role.CIO, is_active=False)
    pain_point = make_pain_point(submitted_by=alice)
    twice = add_business_days(pain_point.ack_due_on, 2)  # submission + 2 x 2 business days

    reminders_sweep(now=at(pain_point.ack_due_on + datetime.timedelta(days=1)))
    reminders_sweep(now=at(twice, 23))
    assert not ledger(kinds.ACK_ESCALATED), "not escalated before twice the SLA has passed"

    escalated_on = twice + datetime.timedelta(days=1)
    reminders_sweep(now=at(escalated_on))
    assert ledger(kinds.ACK_ESCALATED) == {("carla", str(pain_point.pk), "once")}

    reminders_sweep(now=at(escalated_on + datetime.timedelta(days=7)))
    assert Reminder.objects.filter(kind=kinds.ACK_ESCALATED).count() == 1, "once, however long it waits"
    assert ledger(kinds.ACK_OVERDUE, recipient=ivan) >= {("ivan", str(pain_point.pk), escalated_on.isoformat())}

    reminders_send(now=at(escalated_on))
    notification = Notification.objects.get(recipient=carla, kind=kinds.ACK_ESCALATED)
    assert notification.title.startswith("Unanswered at twice its SLA")
    assert notification.url == pain_point.get_absolute_url()


def test_a_pain_point_submitted_on_friday_escalates_after_four_business_days(alice, carla, settings):
    pain_point = make_pain_point(submitted_by=alice)
    friday = datetime.date(2030, 3, 1)  # a Friday: due Tuesday, twice the SLA on Thursday
    pain_point.ack_due_on = add_business_days(friday, 2)
    pain_point.save()
    assert pain_point.ack_due_on == datetime.date(2030, 3, 5)

    reminders_sweep(now=at(datetime.date(2030, 3, 7)))
    assert not ledger(kinds.ACK_ESCALATED), "Thursday is the last day of twice the SLA"
    reminders_sweep(now=at(datetime.date(2030, 3, 8)))
    assert ledger(kinds.ACK_ESCALATED) == {("carla", str(pain_point.pk), "once")}


def test_an_acknowledged_pain_point_is_never_escalated(alice, ivan, carla):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)

    reminders_sweep(now=at(pain_point.ack_due_on + datetime.timedelta(days=20)))
    assert not Reminder.objects.exists()


# --- Analysis left lying: its IT owner, weekly ---------------------------------------------------


def _analysing(pain_point, *, acknowledged_by, started_by):
    services.pain_point_acknowledge(pain_point=pain_point, actor=acknowledged_by)
    services.pain_point_start_analysis(pain_point=pain_point, actor=started_by)
    pain_point.refresh_from_db()
    return pain_point


def test_an_analysis_left_for_ten_days_reminds_who_started_it_weekly(alice, ivan, greta):
    pain_point = _analysing(make_pain_point(submitted_by=alice), acknowledged_by=greta, started_by=ivan)
    started = pain_point.status_changed_at

    assert reminders_sweep(now=started + datetime.timedelta(days=9, hours=23)) == 0, "not due before ten days"

    stale = started + datetime.timedelta(days=10, minutes=1)
    reminders_sweep(now=stale)
    week = registry.period_week(stale)
    assert ledger(kinds.ANALYSIS_STALE) == {("ivan", str(pain_point.pk), week)}, (
        "who started it, not who acknowledged it"
    )

    reminders_sweep(now=sunday_of(stale))
    assert Reminder.objects.filter(kind=kinds.ANALYSIS_STALE).count() == 1, "not twice in the same week"

    next_week = sunday_of(stale) + datetime.timedelta(days=1)
    reminders_sweep(now=next_week)
    assert Reminder.objects.filter(kind=kinds.ANALYSIS_STALE).count() == 2

    reminders_send(now=next_week)
    notification = Notification.objects.filter(recipient=ivan, kind=kinds.ANALYSIS_STALE).first()
    assert notification.title == f"Analysis open for 10+ days: “{pain_point.title}”"
    assert notification.url == pain_point.get_absolute_url()


def test_the_analysis_reminder_waits_for_the_configured_number_of_days(alice, ivan, settings):
    settings.LISTENING_ANALYSIS_STALE_DAYS = 3
    pain_point = _analysing(make_pain_point(submitted_by=alice), acknowledged_by=ivan, started_by=ivan)

    assert reminders_sweep(now=pain_point.status_changed_at + datetime.timedelta(days=2)) == 0
    assert reminders_sweep(now=pain_point.status_changed_at + datetime.timedelta(days=3, minutes=1)) == 1


def test_planning_or_declining_stops_the_analysis_reminder(alice, ivan):
    planned = _analysing(make_pain_point(submitted_by=alice, title="A"), acknowledged_by=ivan, started_by=ivan)
    declined = _analysing(make_pain_point(submitted_by=alice, title="B"), acknowledged_by=ivan, started_by=ivan)
    stale = planned.status_changed_at + datetime.timedelta(days=11)
    reminders_sweep(now=stale)
    assert Reminder.objects.filter(kind=kinds.ANALYSIS_STALE).count() == 2

    services.pain_point_mark_planned(pain_point=planned, actor=ivan, note="An initiative answers it.")
    services.pain_point_decline(pain_point=declined, actor=ivan, reason="Out of scope this year.")

    statuses = Reminder.objects.filter(kind=kinds.ANALYSIS_STALE).values_list("status", flat=True)
    assert list(statuses) == [ReminderStatus.CANCELLED] * 2, "cancelled by the change itself"
    assert reminders_send(now=stale).sent == 0
    assert reminders_sweep(now=stale + datetime.timedelta(days=7)) == 0


def test_an_analysis_started_by_a_former_account_reminds_its_evaluator(alice, ivan, greta):
    pain_point = _analysing(make_pain_point(submitted_by=alice), acknowledged_by=ivan, started_by=ivan)
    services.evaluation_save(pain_point=pain_point, actor=greta, summary="Two options.", plan="", options=[])
    pain_point.status_changes.update(actor=None)

    reminders_sweep(now=pain_point.status_changed_at + datetime.timedelta(days=11))
    assert ledger(kinds.ANALYSIS_STALE) and {r[0] for r in ledger(kinds.ANALYSIS_STALE)} == {"greta"}


# --- Business units not listened to: IT leadership, weekly ---------------------------------------


def _older(unit, days=365):
    BusinessUnit.objects.filter(pk=unit.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


def test_a_unit_not_listened_to_in_sixty_days_reminds_it_leadership_weekly(sales, carla, ivan):
    _older(sales)
    today = timezone.localdate()
    ListeningSessionFactory(business_unit=sales, held_on=today - datetime.timedelta(days=30))

    assert not ledger(kinds.UNIT_NOT_LISTENED), "listened to 30 days ago"
    reminders_sweep(now=at(today + datetime.timedelta(days=30)))
    assert not ledger(kinds.UNIT_NOT_LISTENED), "exactly 60 days ago still counts"

    late = at(today + datetime.timedelta(days=31))
    reminders_sweep(now=late)
    assert ledger(kinds.UNIT_NOT_LISTENED) == {("carla", str(sales.pk), registry.period_week(late))}, (
        "IT leadership only, the unit as the target"
    )
    reminders_sweep(now=sunday_of(late))
    assert Reminder.objects.filter(kind=kinds.UNIT_NOT_LISTENED).count() == 1, "not twice in the same week"
    reminders_sweep(now=sunday_of(late) + datetime.timedelta(days=1))
    assert Reminder.objects.filter(kind=kinds.UNIT_NOT_LISTENED).count() == 2, "again the next week"

    reminders_send(now=late)
    notification = Notification.objects.filter(recipient=carla, kind=kinds.UNIT_NOT_LISTENED).first()
    assert notification.title == "IT has not listened to Sales in 60 days"
    assert notification.url == "/listening/coverage/"


def test_a_new_listening_session_stops_the_unit_reminder(sales, carla):
    _older(sales)
    late = timezone.now() + datetime.timedelta(days=1)
    reminders_sweep(now=late)
    assert Reminder.objects.filter(kind=kinds.UNIT_NOT_LISTENED).count() == 1

    ListeningSessionFactory(business_unit=sales, held_on=timezone.localdate(late))

    assert reminders_send(now=late).cancelled == 1
    assert Reminder.objects.get(kind=kinds.UNIT_NOT_LISTENED).status == ReminderStatus.CANCELLED
    assert reminders_sweep(now=late + datetime.timedelta(days=7)) == 0


def test_new_and_inactive_units_are_not_chased(carla):
    BusinessUnitFactory(name="Brand new", slug="brand-new")
    closed = BusinessUnitFactory(name="Closed down", slug="closed-down", is_active=False)
    _older(closed)

    assert reminders_sweep(now=timezone.now() + datetime.timedelta(days=59)) == 0, "younger than 60 days"
    assert ledger(kinds.UNIT_NOT_LISTENED) == set()


# --- Query counts --------------------------------------------------------------------------------


def _volume(*, units, pain_points, analysing, it_staff, submitter, starter):
    """Due items of every listening kind: old units without sessions, overdue and stale pain points."""
    made = [BusinessUnitFactory() for _ in range(units)]
    for unit in made:
        _older(unit)
    for _ in range(it_staff):
        UserFactory(role=Role.IT_STAFF)
    for i in range(pain_points):
        make_pain_point(submitted_by=submitter, title=f"Overdue {i}")
    for i in range(analysing):
        _analysing(
            make_pain_point(submitted_by=submitter, title=f"Stale {i}"), acknowledged_by=starter, started_by=starter
        )


def test_the_sweep_needs_the_same_number_of_queries_for_few_or_many_due_reminders(
    alice, ivan, carla, django_assert_num_queries
):
    later = timezone.now() + datetime.timedelta(days=40)
    _volume(units=1, pain_points=1, analysing=1, it_staff=0, submitter=alice, starter=ivan)
    reminders_sweep(now=later)  # warms the content-type cache
    Reminder.objects.all().delete()

    with CaptureQueriesContext(connection) as small:
        small_count = reminders_sweep(now=later)
    assert len(small.captured_queries) <= 4 * 5 + 1, "per kind: savepoint, two due queries, insert, release"
    assert set(Reminder.objects.values_list("kind", flat=True)) == set(LISTENING_KINDS)

    Reminder.objects.all().delete()
    _volume(units=8, pain_points=12, analysing=6, it_staff=4, submitter=alice, starter=ivan)
    with django_assert_num_queries(len(small.captured_queries)):
        large_count = reminders_sweep(now=later)
    assert large_count > 5 * small_count
