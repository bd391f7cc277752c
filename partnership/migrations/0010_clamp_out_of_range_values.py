"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did."""

from django.db import migrations

from partnership.bounds import clamp_datetime

DATETIMES = [
    ("User", "date_joined"),
    ("User", "last_login"),
    ("AuditLogEntry", "at"),
    ("ApiToken", "expires_at"),
    ("ApiToken", "last_used_at"),
    ("ApiToken", "revoked_at"),
]


def clamp_out_of_range(apps, schema_editor):
    for model, field in DATETIMES:
        clamp_datetime(apps.get_model("partnership", model), field)


class Migration(migrations.Migration):
    dependencies = [("partnership", "0009_move_models_to_their_apps")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
