"""docker-compose.yml and the Dockerfile describe the production set docs/production.md documents;
docs/configuration.md documents every variable the settings read."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_web_worker_one_beat_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in " ".join(services["worker"]["command"])
    assert "beat" in " ".join(services["beat"]["command"])
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert env["DJANGO_DEBUG"] == "false"


def test_migrations_run_once_before_web_worker_and_beat_never_in_web():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert services["migrate"].get("restart", "no") == "no"
    for name in ("web", "worker", "beat"):
        assert "migrate" not in " ".join(services[name]["command"])
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["restart"] == "unless-stopped"


def test_the_dockerfile_builds_from_the_pinned_project():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "python:3.11" in dockerfile
    assert "pip install" in dockerfile
    assert "collectstatic" in dockerfile


def _variables_the_settings_read() -> set[str]:
    settings_text = (ROOT / "partnership" / "settings.py").read_text()
    # `\s*`: a read split over lines (`_url(\n    "CACHE_URL", ...)`) counts too.
    names = set(re.findall(r'env\.(?:int|str|bool|float|list)\(\s*"([A-Z_]+)"', settings_text))
    names |= set(re.findall(r'_(?:cron|url)\(\s*"([A-Z_]+)"', settings_text))
    return names


def _documented_variables() -> dict[str, tuple[str, str, str]]:
    """The rows of docs/configuration.md: name -> (default, meaning, example)."""
    rows = re.findall(
        r"^\| `([A-Z_]+)` \| ([^|]*?) \| ([^|]*?) \| ([^|]*?) \|$",
        (ROOT / "docs" / "configuration.md").read_text(),
        flags=re.MULTILINE,
    )
    return {name: (default, meaning, example) for name, default, meaning, example in rows}


# Read by scripts/test.sh and the tests, not by the settings; documented on the same page.
READ_BY_THE_TEST_RUN = {"TEST_DATABASE_URL", "TEST_REDIS_URL", "SCHEMATHESIS_EXAMPLES"}


def test_every_variable_the_settings_read_has_a_row_in_the_configuration_reference():
    names = _variables_the_settings_read()
    assert len(names) > 50  # the extraction still finds the settings' reads
    documented = _documented_variables()
    assert sorted(names - set(documented)) == []
    assert sorted(n for n in names if not all(cell.strip() for cell in documented[n])) == []


def test_the_configuration_reference_documents_no_variable_nobody_reads():
    assert sorted(set(_documented_variables()) - _variables_the_settings_read() - READ_BY_THE_TEST_RUN) == []


def test_env_example_is_a_short_laptop_example_pointing_at_the_reference(tmp_path):
    example = (ROOT / ".env.example").read_text()
    assert "docs/configuration.md" in "\n".join(example.splitlines()[:3])
    assigned = re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE)
    assert 0 < len(assigned) <= 10
    assert sorted(set(assigned) - _variables_the_settings_read()) == []
    # Copied to .env as it is, it starts a laptop portal: debug on, SQLite, the file-system broker.
    dump = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "CACHE_", "EMAIL_", "PORTAL_"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="partnership.settings",
        DJANGO_ENV_FILE=str(ROOT / ".env.example"),
        PORTAL_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run([sys.executable, "-c", dump], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, "django.db.backends.sqlite3", "filesystem://"]
