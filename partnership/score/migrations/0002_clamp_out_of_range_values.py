"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did.

The pulse statements are not clamped (their validators always kept them to 1-5 and no path
writes them unvalidated). A snapshot of a window of 0 or more than 3,660 days is deleted, not
clamped: it is a score of no window the portal computes, and moving it to another window could
collide with that window's snapshot of the same day (one a day per unit and window).
"""

import datetime

from django.db import migrations
from django.db.models import Q

from partnership.bounds import clamp

DATE_MIN, DATE_MAX = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
NUMBERS_AND_DATES = [
    ("ScoreConfig", "version", 1, 1_000_000),
    ("ScoreSnapshot", "overall", 0, 100),
    ("ScoreSnapshot", "date", DATE_MIN, DATE_MAX),
]


def clamp_out_of_range(apps, schema_editor):
    snapshot = apps.get_model("score", "ScoreSnapshot")
    snapshot._base_manager.filter(Q(window_days__lt=1) | Q(window_days__gt=3_660)).delete()
    for model, field, low, high in NUMBERS_AND_DATES:
        clamp(apps.get_model("score", model), field, low, high)


class Migration(migrations.Migration):
    dependencies = [("score", "0001_initial")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
