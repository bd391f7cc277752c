"""`/healthz` tells a load balancer whether the database and the broker answer."""

from unittest import mock

import pytest
from django.db.utils import OperationalError

from partnership.celery import app


@pytest.mark.django_db
def test_health_is_200_when_database_and_broker_are_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    unreachable = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    original = app.conf.broker_url
    # Celery lets CELERY_BROKER_URL in the environment win over its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", unreachable)
    app.conf.broker_url = unreachable
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_unreachable(client):
    with mock.patch("partnership.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "OperationalError"
