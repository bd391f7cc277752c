"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did."""

from django.db import migrations

from partnership.bounds import clamp, clamp_datetime

NUMBERS = [("Reminder", "attempts", 0, 1_000_000)]
DATETIMES = [
    ("Notification", "read_at"),
    ("Reminder", "claimed_at"),
    ("Reminder", "sent_at"),
]


def clamp_out_of_range(apps, schema_editor):
    for model, field, low, high in NUMBERS:
        clamp(apps.get_model("notifications", model), field, low, high)
    for model, field in DATETIMES:
        clamp_datetime(apps.get_model("notifications", model), field)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
