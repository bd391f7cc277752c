"""The laptop default of `make run`: SQLite, demo data, and a real worker with beat, no Redis."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def laptop_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "CELERY_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "partnership.settings", "DJANGO_DEBUG": "true", "DJANGO_READ_ENV_FILE": "false", "PORTAL_VAR_DIR": str(tmp_path)})
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


@pytest.mark.slow
def test_sqlite_migrates_and_seeding_twice_duplicates_nothing(tmp_path):
    env = laptop_env(tmp_path)
    assert manage(env, "migrate", "--noinput").returncode == 0
    first = manage(env, "seed_demo")
    assert first.returncode == 0, first.stderr
    assert "alice" in first.stdout and "carla" in first.stdout and "ivan" in first.stdout
    db = sqlite3.connect(tmp_path / "portal.sqlite3")
    counts = [row[0] for row in db.execute("select count(*) from partnership_user")]
    assert manage(env, "seed_demo").returncode == 0
    assert [row[0] for row in db.execute("select count(*) from partnership_user")] == counts


@pytest.mark.slow
def test_a_real_worker_with_beat_runs_queued_tasks_on_the_file_system_broker(tmp_path):
    env = laptop_env(tmp_path)
    worker = subprocess.Popen(
        [str(CELERY), "-A", "partnership", "worker", "--beat", "--pool=solo", "--loglevel=INFO",
         f"--schedule={tmp_path / 'beat-schedule'}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        marker = tmp_path / "marker.txt"
        send = subprocess.run(
            [sys.executable, "-c",
             "import django; django.setup(); from partnership.tasks import touch_file; "
             f"touch_file.delay({str(marker)!r}, 'ran in the worker')"],
            cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "partnership.settings"},
            capture_output=True, text=True, timeout=60,
        )
        assert send.returncode == 0, send.stderr
        deadline = time.monotonic() + 90
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert marker.read_text() == "ran in the worker"
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "beat: Starting" in output
