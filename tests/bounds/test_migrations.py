"""The bounds migrations on an existing database: values stored before the bounds existed are
moved to the nearest bound first, so adding the constraints cannot fail."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from listening.models import PainPoint

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
