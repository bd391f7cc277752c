"""The sweep's INSERT ... SELECT also runs on SQLite, the laptop default of `make run`: on the demo
data, every registered kind inserts exactly the rows its Python iteration yields, once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import datetime
import django
django.setup()
from django.db import connection, transaction
from django.utils import timezone
from partnership.notifications.models import Reminder
from partnership.notifications import registered_kinds
from partnership.notifications.services import reminders_sweep

assert connection.vendor == "sqlite", connection.vendor
for days in (0, 10, 40, 200):
    now = timezone.now() + datetime.timedelta(days=days)
    with transaction.atomic():
        Reminder.objects.all().delete()
        expected = {
            (kind.key, row["recipient_id"], str(row["target_id"]), str(row["period"])[:40])
            for kind in registered_kinds()
            for row in kind.due(now)
            if row["recipient_id"] is not None
        }
        assert reminders_sweep(now=now) == len(expected) > 0, days
        assert set(Reminder.objects.values_list("kind", "recipient_id", "target_id", "period")) == expected, days
        assert reminders_sweep(now=now) == 0, days
        assert Reminder.objects.filter(created_at=Reminder.objects.first().created_at).count() == len(expected)
        transaction.set_rollback(True)
    print(days, len(expected), len({key for key, *_ in expected}))
"""


def laptop_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "CELERY_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "partnership.settings",
            "DJANGO_DEBUG": "true",
            "DJANGO_READ_ENV_FILE": "false",
            "PORTAL_VAR_DIR": str(tmp_path),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def run(env, *args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_on_sqlite_every_kind_inserts_the_rows_its_python_iteration_yields(tmp_path):
    env = laptop_env(tmp_path)
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = run(env, "manage.py", *command)
        assert done.returncode == 0, done.stderr
    checked = run(env, "-c", CHECK)
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.split()
    assert len(lines) == 4 * 3
    assert int(lines[-1]) >= 8, "most kinds have due rows on the demo data by then"
