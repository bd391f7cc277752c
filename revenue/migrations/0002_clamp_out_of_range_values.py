"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did."""

import datetime
from decimal import Decimal

from django.db import migrations

from partnership.bounds import clamp

DATE_MIN, DATE_MAX = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
NUMBERS_AND_DATES = [
    ("RevenueProject", "investment", Decimal("0"), Decimal("999999999999.99")),
    ("RevenueProject", "yearly_running_cost", Decimal("0"), Decimal("999999999999.99")),
    ("RevenueProject", "expected_yearly_revenue", Decimal("0"), Decimal("999999999999.99")),
    ("RevenueProject", "stage_changed_on", DATE_MIN, DATE_MAX),
    ("RevenueProject", "executed_on", DATE_MIN, DATE_MAX),
    ("RevenueProject", "accepted_on", DATE_MIN, DATE_MAX),
    ("RevenueProject", "revenue_expected_from", DATE_MIN, DATE_MAX),
    ("RevenueStageChange", "changed_on", DATE_MIN, DATE_MAX),
    ("RevenueEntry", "amount", -Decimal("999999999999.99"), Decimal("999999999999.99")),
    ("RevenueEntry", "month", DATE_MIN, datetime.date(2100, 12, 1)),  # a first of the month
]


def clamp_out_of_range(apps, schema_editor):
    for model, field, low, high in NUMBERS_AND_DATES:
        clamp(apps.get_model("revenue", model), field, low, high)


class Migration(migrations.Migration):
    dependencies = [("revenue", "0001_initial")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
