"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did."""

import datetime

from django.db import migrations

from partnership.bounds import clamp, clamp_datetime

DATE_MIN, DATE_MAX = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
NUMBERS_AND_DATES = [
    ("AgendaItem", "order", 0, 10_000),
    ("ActionItem", "due_date", DATE_MIN, DATE_MAX),
    ("Decision", "decided_at", DATE_MIN, DATE_MAX),
    ("Decision", "review_date", DATE_MIN, DATE_MAX),
    ("Event", "capacity", 1, 100_000),
    ("Registration", "rating", 1, 5),
]
DATETIMES = [
    ("Meeting", "starts_at"),
    ("ActionItem", "done_at"),
    ("Position", "recorded_at"),
    ("Event", "starts_at"),
    ("Event", "ends_at"),
    ("Registration", "registered_at"),
    ("Registration", "attended_at"),
    ("Registration", "rated_at"),
]


def clamp_out_of_range(apps, schema_editor):
    for model, field, low, high in NUMBERS_AND_DATES:
        clamp(apps.get_model("steering", model), field, low, high)
    for model, field in DATETIMES:
        clamp_datetime(apps.get_model("steering", model), field)


class Migration(migrations.Migration):
    dependencies = [("steering", "0002_meeting_starts_at_index")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
