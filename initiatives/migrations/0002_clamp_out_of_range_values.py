"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did."""

import datetime
from decimal import Decimal

from django.db import migrations

from partnership.bounds import clamp, clamp_datetime

DATE_MIN, DATE_MAX = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
NUMBERS_AND_DATES = [
    ("Initiative", "one_off_cost", Decimal("0"), Decimal("999999999999.99")),
    ("Initiative", "yearly_running_cost", Decimal("0"), Decimal("999999999999.99")),
    ("Initiative", "fte", Decimal("0"), Decimal("1000")),
    ("Initiative", "start_date", DATE_MIN, DATE_MAX),
    ("Initiative", "target_date", DATE_MIN, DATE_MAX),
    ("Initiative", "delivered_on", DATE_MIN, DATE_MAX),
    ("Risk", "probability", 1, 5),
    ("Risk", "impact", 1, 5),
    ("Risk", "score", 0, 25),
    ("RiskAcceptance", "highest_score", 0, 25),
    ("Milestone", "due_on", DATE_MIN, DATE_MAX),
    ("Milestone", "done_on", DATE_MIN, DATE_MAX),
    ("Benefit", "expected_amount", Decimal("0"), Decimal("999999999999.99")),
    ("Benefit", "realised_amount", Decimal("0"), Decimal("999999999999.99")),
]
DATETIMES = [
    ("Initiative", "status_changed_at"),
    ("Initiative", "proposed_at"),
    ("Initiative", "decided_at"),
    ("Initiative", "business_case_confirmed_at"),
    ("RiskAcceptance", "accepted_at"),
    ("Benefit", "reviewed_at"),
    ("DecisionRecord", "at"),
]


def clamp_out_of_range(apps, schema_editor):
    for model, field, low, high in NUMBERS_AND_DATES:
        clamp(apps.get_model("initiatives", model), field, low, high)
    for model, field in DATETIMES:
        clamp_datetime(apps.get_model("initiatives", model), field)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
