"""The bounds migrations on an existing database: values stored before the bounds existed are
moved to the nearest bound first, so adding the constraints cannot fail."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from listening.models import PainPoint
from partnership.extramile.models import ExtraMileAction
from partnership.integrations import subscriptions as integrations
from partnership.integrations.models import WebhookDelivery
from partnership.score.models import ScoreSnapshot

from ..extramile.factories import log_action
from ..listening.factories import make_pain_point

BEFORE_BOUNDS = [("listening", "0002_pain_point_list_indexes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_out_of_range_values_of_an_existing_database_are_clamped_and_the_constraints_added(alice):
    pain_point = make_pain_point(submitted_by=alice)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE_BOUNDS)
        too_early = "0001-01-01 00:00:00+00 BC" if connection.vendor == "postgresql" else "0001-01-01 00:00:00"
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE listening_painpoint SET people_affected = %s, hours_lost_per_week = %s,"
                f" ack_due_on = %s, acknowledged_at = '{too_early}' WHERE id = %s",
                [2_147_483_647, Decimal("9999.9"), datetime.date(9999, 12, 31), pain_point.pk],
            )
        _migrate(leaves)
    finally:
        _migrate(leaves)  # whatever happened, the next tests find today's schema
    clamped = PainPoint.objects.get(pk=pain_point.pk)
    assert (clamped.people_affected, clamped.hours_lost_per_week) == (10_000_000, Decimal("168.0"))
    assert clamped.ack_due_on == datetime.date(2100, 12, 31)
    assert clamped.acknowledged_at == datetime.datetime(1900, 1, 1, 12, tzinfo=datetime.UTC)
    assert clamped.get_absolute_url()  # and it shows again


# The moved apps before their bounds (their constraints come with 0005/0003 of each).
BEFORE_APP_BOUNDS = [
    ("extramile", "0003_pain_point_foreign_keys"),
    ("score", "0001_initial"),
    ("integrations", "0001_initial"),
    ("notifications", "0001_initial"),
]


@pytest.mark.django_db(transaction=True)
def test_the_moved_apps_clamp_what_they_can_and_drop_what_would_be_wrong(ivan, alice):
    pain_point = make_pain_point(submitted_by=alice)
    action = log_action(actor=ivan, business_unit=alice.business_unit, subject=pain_point)
    kept = ScoreSnapshot.objects.create(date=datetime.date(2026, 1, 1), window_days=90, overall=50, band="Developing")
    subscription = integrations.webhook_subscription_create(owner=ivan, url="https://hooks.example.com/p", events=["pain_point.created"])
    delivery = WebhookDelivery.objects.create(subscription=subscription, message_id="msg_1", event="ping", payload={})
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE_APP_BOUNDS)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE partnership_extramileaction SET effort_hours = 99999.9, subject_id = 0 WHERE id = %s", [action.pk]
            )
            cursor.execute("UPDATE partnership_scoresnapshot SET overall = 250 WHERE id = %s", [kept.pk])
            cursor.execute(
                "INSERT INTO partnership_scoresnapshot (date, window_days, overall, band, pillars, indicators, created_at)"
                " VALUES ('2026-01-01', 0, 10, 'x', '{}', '{}', now())"
            )
            cursor.execute(
                "UPDATE partnership_webhookdelivery SET response_code = 999, attempts = 32767 WHERE id = %s",
                [delivery.pk],
            )
        _migrate(leaves)
    finally:
        _migrate(leaves)  # whatever happened, the next tests find today's schema
    action = ExtraMileAction.objects.get(pk=action.pk)
    assert (action.effort_hours, action.subject_id, action.subject_type_id) == (Decimal("2000.0"), None, None)
    assert list(ScoreSnapshot.objects.values_list("pk", "overall")) == [(kept.pk, 100)]  # the 0-day window is gone
    delivery.refresh_from_db()
    assert (delivery.response_code, delivery.attempts) == (None, 32767)
