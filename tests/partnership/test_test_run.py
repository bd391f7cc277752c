"""The test run itself: it refuses SQLite unless asked, and a hanging test fails instead of
blocking the run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A test that needs no database, so the run that is allowed SQLite finishes in seconds.
TINY = "tests/partnership/test_reminders.py::test_the_period_helpers_name_a_day_week_month_and_quarter"


def run_pytest(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PORTAL_TESTS_"))}
    environment.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'tests.sqlite3'}",
            "DJANGO_READ_ENV_FILE": "false",
            "DJANGO_SECRET_KEY": "test-only-secret-key-not-for-production-0123456789abcdef",
            "PORTAL_VAR_DIR": str(tmp_path),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "pytest", TINY, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.slow
def test_a_run_on_sqlite_is_refused_with_a_message_saying_what_to_do(tmp_path):
    result = run_pytest(tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "the configured database is SQLite" in output
    assert "PORTAL_TESTS_ALLOW_SQLITE=true" in output
    assert "passed" not in output  # nothing ran


@pytest.mark.slow
def test_portal_tests_allow_sqlite_false_still_refuses(tmp_path):
    result = run_pytest(tmp_path, PORTAL_TESTS_ALLOW_SQLITE="false")
    assert result.returncode != 0
    assert "the configured database is SQLite" in result.stdout + result.stderr


@pytest.mark.slow
def test_portal_tests_allow_sqlite_true_runs_the_tests_on_sqlite(tmp_path):
    result = run_pytest(tmp_path, PORTAL_TESTS_ALLOW_SQLITE="true")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "the configured database is SQLite" not in result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_a_hanging_test_fails_after_the_configured_timeout(request):
    # pytest-timeout is installed (an unknown ini key would raise) and set to five minutes.
    assert request.config.getini("timeout") == "300"
    assert request.config.pluginmanager.hasplugin("timeout")
