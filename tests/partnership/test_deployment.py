"""docker-compose.yml and the Dockerfile describe the production set the README documents."""

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


def test_env_example_documents_every_variable_the_readme_lists():
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for name in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        assert name in example
        assert name in readme


def test_every_variable_the_settings_read_is_documented_in_env_example_and_readme():
    import re

    settings_text = (ROOT / "partnership" / "settings.py").read_text()
    names = set(re.findall(r'env\.(?:int|str|bool|float|list)\("([A-Z_]+)"', settings_text))
    names |= set(re.findall(r'_(?:cron|url)\("([A-Z_]+)"', settings_text))
    internal = {"DATABASE_TEST_NAME", "WHITENOISE_USE_FINDERS"}  # test and development plumbing
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert sorted(n for n in names - internal if f"{n}=" not in example) == []
    assert sorted(n for n in names if n not in readme) == []
