"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did.

The ratings are not clamped: 0001 already held them to 1-5 in the database. A subject id of 0
names no row (primary keys start at 1), so the action loses its subject instead of pointing at
row 1.
"""

import datetime
from decimal import Decimal

from django.db import migrations

from partnership.bounds import clamp, clamp_datetime

DATE_MIN, DATE_MAX = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
NUMBERS_AND_DATES = [
    ("ExtraMileAction", "effort_hours", Decimal("0"), Decimal("2000")),
    ("ExtraMileAction", "performed_on", DATE_MIN, DATE_MAX),
]
DATETIMES = [
    ("MaintenanceWindow", "starts_at"),
    ("MaintenanceWindow", "ends_at"),
    ("MaintenanceWindow", "check_ins_created_at"),
    ("CheckIn", "due_at"),
    ("CheckIn", "answered_at"),
    ("CheckIn", "notified_at"),
    ("ProblemSuggestion", "decided_at"),
    ("ResolutionSurvey", "resolved_at"),
    ("ResolutionSurvey", "due_at"),
    ("ResolutionSurvey", "answered_at"),
    ("ResolutionSurvey", "notified_at"),
]


def clamp_out_of_range(apps, schema_editor):
    for model, field, low, high in NUMBERS_AND_DATES:
        clamp(apps.get_model("extramile", model), field, low, high)
    for model, field in DATETIMES:
        clamp_datetime(apps.get_model("extramile", model), field)
    action = apps.get_model("extramile", "ExtraMileAction")
    action._base_manager.filter(subject_id__lt=1).update(subject_type=None, subject_id=None)


class Migration(migrations.Migration):
    dependencies = [("extramile", "0003_pain_point_foreign_keys")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
