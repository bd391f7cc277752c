"""Outages answer clearly (issue 17 part 3): a database outage gives signed-in pages the same 503
as the API, whatever step of the request meets it; signing in does not need Redis."""

import html
import logging
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db.utils import OperationalError
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MESSAGE = "The portal's database cannot be reached. Please try again in a few minutes."


def database_down():
    """Every query fails as it would with PostgreSQL gone."""
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("could not connect to server: Connection refused"),
    )


@pytest.fixture
def signed_in(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    assert client.get("/").status_code == 200
    return client


def assert_clear_503(response):
    assert response.status_code == 503, response.content[:500]
    assert html.escape(MESSAGE) in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_signed_in_page_answers_503_when_the_database_is_down(signed_in):
    with database_down():
        assert_clear_503(signed_in.get("/"))
        assert_clear_503(signed_in.get("/listening/"))


def test_the_api_answers_the_same_503_with_a_session(signed_in):
    with database_down():
        response = signed_in.get("/api/v1/pain-points/")
    assert response.status_code == 503
    assert response.json() == {"detail": MESSAGE, "code": "database_unavailable"}


def test_a_page_whose_query_fails_answers_503_even_though_the_session_is_saved_afterwards(signed_in, monkeypatch):
    """The page's own query fails, and so does the session save that follows it."""
    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", fail)
    with mock.patch("listening.views.PainPoint.objects.for_user", side_effect=OperationalError("gone")):
        assert_clear_503(signed_in.get("/listening/"))


def test_a_page_that_worked_answers_503_when_only_the_session_save_fails(signed_in, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", fail)
    assert_clear_503(signed_in.get("/"))


def closed_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def test_signing_in_works_while_redis_is_down_and_says_so_in_the_log(carla, settings, caplog):
    """Carla the CIO lands on the dashboard, which reads the score rollup from the cache."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}
    }
    from django.core.cache import cache

    with pytest.raises(Exception):  # noqa: B017 (whatever redis-py raises: the cache is really away)
        cache.get("anything")
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    with caplog.at_level(logging.WARNING):
        response = client.post("/accounts/login/", {"username": "carla", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/dashboard/" and response.wsgi_request.user == carla
    assert "cache cannot be read" in caplog.text
    # A wrong password is still counted and refused (axes counts in the database, not the cache).
    stranger = Client()
    refused = stranger.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert refused.status_code == 200 and "_auth_user_id" not in stranger.session
