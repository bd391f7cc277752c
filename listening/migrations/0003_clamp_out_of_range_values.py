"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did."""

import datetime
from decimal import Decimal

from django.db import migrations

from partnership.bounds import clamp, clamp_datetime

DATE_MIN, DATE_MAX = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
NUMBERS_AND_DATES = [
    ("PainPoint", "severity", 1, 5),
    ("PainPoint", "people_affected", 1, 10_000_000),
    ("PainPoint", "hours_lost_per_week", Decimal("0"), Decimal("168")),
    ("PainPoint", "ack_due_on", DATE_MIN, DATE_MAX),
    ("EvaluationOption", "position", 0, 10_000),
    ("EvaluationOption", "rough_cost", Decimal("0"), Decimal("999999999999.99")),
    ("ListeningSession", "held_on", DATE_MIN, DATE_MAX),
]
DATETIMES = [
    ("PainPoint", "acknowledged_at"),
    ("PainPoint", "status_changed_at"),
    ("PainPointStatusChange", "at"),
]


def clamp_out_of_range(apps, schema_editor):
    for model, field, low, high in NUMBERS_AND_DATES:
        clamp(apps.get_model("listening", model), field, low, high)
    for model, field in DATETIMES:
        clamp_datetime(apps.get_model("listening", model), field)


class Migration(migrations.Migration):
    dependencies = [("listening", "0002_pain_point_list_indexes")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
