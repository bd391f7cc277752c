"""Settings come from the environment, with safe defaults and loud production failures."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DUMP = (
    "import json, django; from django.conf import settings; django.setup();"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'debug': settings.DEBUG,"
    " 'broker': settings.CELERY_BROKER_URL, 'hosts': settings.ALLOWED_HOSTS,"
    " 'hsts': settings.SECURE_HSTS_SECONDS, 'ssl': settings.SECURE_SSL_REDIRECT,"
    " 'secure_cookies': settings.SESSION_COOKIE_SECURE,"
    " 'beat': str(settings.CELERY_BEAT_SCHEDULE['heartbeat']['schedule'])}))"
)


def load_settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "SCHEDULE_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "partnership.settings", "DJANGO_READ_ENV_FILE": "false", "PORTAL_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-c", DUMP], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_the_laptop_default_is_sqlite_and_a_broker_without_a_server(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].startswith(str(tmp_path))
    assert values["broker"] == "filesystem://"
    assert values["debug"] is True


def test_production_without_a_secret_key_refuses_to_start_with_a_clear_message(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    result = load_settings(tmp_path, DJANGO_SECRET_KEY="x" * 50)
    assert json.loads(result.stdout)["debug"] is False


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    result = load_settings(
        tmp_path,
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://portal:pw@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/2",
        DJANGO_ALLOWED_HOSTS="portal.example.com,intranet",
    )
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "portal"
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["hosts"] == ["portal.example.com", "intranet"]


def test_production_security_is_switched_on_by_environment(tmp_path):
    result = load_settings(
        tmp_path,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_COOKIES="true",
    )
    values = json.loads(result.stdout)
    assert (values["hsts"], values["ssl"], values["secure_cookies"]) == (31536000, True, True)


def test_a_beat_schedule_is_overridable_by_a_cron_string(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="true", SCHEDULE_HEARTBEAT="15 3 * * 1")
    assert "<crontab: 15 3 * * 1" in json.loads(result.stdout)["beat"]


@pytest.mark.parametrize("value", ["every minute", "* * *"])
def test_a_malformed_cron_string_fails_with_its_variable_name(tmp_path, value):
    result = load_settings(tmp_path, DJANGO_DEBUG="true", SCHEDULE_HEARTBEAT=value)
    assert result.returncode != 0
    assert "SCHEDULE_HEARTBEAT must be a cron string" in result.stderr


def test_empty_url_variables_as_in_a_copied_env_example_mean_the_defaults(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="true", DATABASE_URL="", REDIS_URL="", CELERY_BROKER_URL="")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["broker"] == "filesystem://"


def test_every_variable_may_come_from_the_env_file_the_var_dir_included(tmp_path):
    env_file = tmp_path / "portal.env"
    env_file.write_text(f"DJANGO_DEBUG=true\nPORTAL_VAR_DIR={tmp_path / 'from-env-file'}\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "PORTAL_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "partnership.settings", "DJANGO_ENV_FILE": str(env_file)})
    result = subprocess.run([sys.executable, "-c", DUMP], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is True
    assert values["name"] == str(tmp_path / "from-env-file" / "portal.sqlite3")


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / "portal.env"
    env_file.write_text("DJANGO_DEBUG=true\nDJANGO_ALLOWED_HOSTS=from-file\n")
    result = load_settings(
        tmp_path, DJANGO_READ_ENV_FILE="true", DJANGO_ENV_FILE=str(env_file), DJANGO_ALLOWED_HOSTS="from-environment"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["hosts"] == ["from-environment"]


def test_a_visibility_timeout_shorter_than_a_retry_countdown_and_a_task_is_refused(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="true", CELERY_VISIBILITY_TIMEOUT="300")
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be at least 660 s" in result.stderr
