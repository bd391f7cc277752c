"""The CIO's monthly reminder while the yearly revenue commitment is at risk, with time travel."""

import datetime

import pytest
from django.utils import timezone

from partnership.notifications import get_kind, registry
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_send, reminders_sweep
from partnership.roles import Role
from revenue.choices import Stage
from revenue.reminders import KEY
from tests.factories import UserFactory

from .factories import RevenueProjectFactory

pytestmark = pytest.mark.django_db


def at(year, month, day=15, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def only_the_revenue_kind(settings):
    """The sweep and the sender see only this kind (the other apps' kinds add their own rows)."""
    settings.REVENUE_FISCAL_YEAR_FIRST_MONTH = 1
    saved = dict(registry._REGISTRY)
    registry._REGISTRY.clear()
    registry.register(saved[KEY])
    yield saved[KEY]
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


def ledger():
    return list(
        Reminder.objects.filter(kind=KEY).order_by("period").values_list("recipient__username", "period", "status")
    )


def test_the_kind_is_registered_by_the_app():
    kind = get_kind(KEY)
    assert kind is not None and kind.label == "Yearly revenue commitment at risk"


def test_the_cio_is_reminded_monthly_once_the_sixth_month_is_over(only_the_revenue_kind, carla, ivan, alice, root):
    RevenueProjectFactory(stage=Stage.IDENTIFY, stage_changed_on=datetime.date(2026, 1, 10))
    assert reminders_sweep(now=at(2026, 5)) == 0  # before the sixth month
    assert reminders_sweep(now=at(2026, 6, 30, 20)) == 0  # the sixth month is not over yet
    assert reminders_sweep(now=at(2026, 7, 1)) == 1
    assert reminders_sweep(now=at(2026, 7, 20)) == 0  # once a month
    assert reminders_sweep(now=at(2026, 8, 2)) == 1
    assert ledger() == [("carla", "2026-07", "pending"), ("carla", "2026-08", "pending")]

    result = reminders_send(now=at(2026, 8, 2, 10))
    assert result.sent == 2
    note = Notification.objects.filter(kind=KEY).latest("id")
    assert note.recipient == carla
    assert note.title == "The 2026 IT revenue commitment is at risk"
    assert note.url == "/revenue/"
    assert "none is in development or acceptance" in note.body
    assert not Notification.objects.exclude(recipient=carla).filter(kind=KEY).exists()


def test_every_cio_is_reminded(only_the_revenue_kind, carla):
    other = UserFactory(username="cio2", role=Role.CIO)
    UserFactory(username="former", role=Role.CIO, is_active=False)
    assert reminders_sweep(now=at(2026, 9)) == 2  # no project at all: nothing is past identify
    assert {r[0] for r in ledger()} == {"carla", other.username}


@pytest.mark.parametrize(
    ("stage", "executed_on"),
    [
        (Stage.EXECUTE, datetime.date(2026, 3, 1)),  # met
        (Stage.SUPPORT, datetime.date(2026, 2, 1)),  # met, and already in support
        (Stage.DEVELOP, None),  # on track
        (Stage.ACCEPTANCE, None),  # on track
    ],
)
def test_no_reminder_when_the_commitment_is_met_or_on_track(only_the_revenue_kind, carla, stage, executed_on):
    RevenueProjectFactory(stage=stage, executed_on=executed_on)
    assert reminders_sweep(now=at(2026, 10)) == 0
    assert ledger() == []


def test_last_years_execution_does_not_count_this_year(only_the_revenue_kind, carla):
    RevenueProjectFactory(stage=Stage.SUPPORT, executed_on=datetime.date(2025, 11, 1))
    assert reminders_sweep(now=at(2026, 1)) == 0
    assert reminders_sweep(now=at(2026, 7)) == 1


def test_the_sixth_month_follows_the_fiscal_year(only_the_revenue_kind, carla, settings):
    settings.REVENUE_FISCAL_YEAR_FIRST_MONTH = 4  # April to March: the sixth month is September
    assert reminders_sweep(now=at(2026, 9, 29)) == 0
    assert reminders_sweep(now=at(2026, 10, 1)) == 1
    reminders_send(now=at(2026, 10, 1, 10))
    assert Notification.objects.get(kind=KEY).title == "The FY 2026/27 IT revenue commitment is at risk"


def test_a_project_that_moved_on_before_delivery_cancels_the_reminder(only_the_revenue_kind, carla):
    project = RevenueProjectFactory(stage=Stage.IDENTIFY)
    assert reminders_sweep(now=at(2026, 7)) == 1
    project.stage = Stage.DEVELOP
    project.save()
    result = reminders_send(now=at(2026, 7, 16))
    assert (result.sent, result.cancelled) == (0, 1)
    assert ledger() == [("carla", "2026-07", "cancelled")]
    assert not Notification.objects.filter(kind=KEY).exists()


def test_due_costs_a_fixed_number_of_queries_and_message_none(only_the_revenue_kind, carla, django_assert_num_queries):
    kind = only_the_revenue_kind
    RevenueProjectFactory(stage=Stage.IDENTIFY)
    with django_assert_num_queries(2):
        assert len(list(kind.due(at(2026, 8)))) == 1
    UserFactory.create_batch(4, role=Role.CIO)
    RevenueProjectFactory.create_batch(5, stage=Stage.IDENTIFY)
    with django_assert_num_queries(2):
        assert len(list(kind.due(at(2026, 8)))) == 5
    reminders_sweep(now=at(2026, 8))
    row = Reminder.objects.select_related("recipient").filter(kind=KEY).first()
    with django_assert_num_queries(0):
        message = kind.message(row.recipient, row)
    assert message.title == "The 2026 IT revenue commitment is at risk"
