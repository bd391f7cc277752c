"""Security headers, no inline scripts, and clear error pages instead of tracebacks."""

import re
from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, alice):
    client.force_login(alice)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/accounts/profile/", "/inbox/", "/api/docs/", "/accounts/login/"])
def test_no_page_has_an_inline_script(client, alice, path):
    if path != "/accounts/login/":
        client.force_login(alice)
    html = client.get(path).content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)


def test_an_unknown_page_is_a_friendly_404(client, alice):
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_an_unreachable_database_answers_503_with_a_plain_message(client, alice):
    client.force_login(alice)
    with mock.patch("partnership.views.render", side_effect=OperationalError("could not connect")):
        response = client.get("/")
    assert response.status_code == 503
    assert "database cannot be reached" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_an_unreachable_database_answers_503_json_in_the_api(api, alice):
    client = api(alice)
    with mock.patch("partnership.api.views.MeSerializer", side_effect=OperationalError("gone")):
        response = client.get("/api/v1/me/")
    assert response.status_code == 503
    assert "database cannot be reached" in response.json()["detail"]


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_repeated_failed_logins_are_throttled_with_a_cool_off(client, alice, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", "wrong-password-123")
    response = login(client, "alice", password)  # even the right password waits
    assert "Too many failed attempts. Wait 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_cool_off_ends_and_then_the_right_password_works(client, alice, password, settings):
    from django.core.cache import cache

    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", "wrong-password-123")
    cache.clear()  # what the cool-off's expiry does
    assert login(client, "alice", password).status_code == 302


def test_an_attacker_elsewhere_cannot_lock_a_user_out(client, alice, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "guess-guess-123"}, REMOTE_ADDR="203.0.113.9")
    assert login(client, "alice", password).status_code == 302  # from her own address


def test_failed_and_successful_logins_are_logged_as_security_events(client, alice, password, caplog):
    with caplog.at_level("INFO", logger="portal.security"):
        login(client, "alice", "wrong-password-123")
        login(client, "alice", password)
    messages = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any("login failed for 'alice'" in m for m in messages)
    assert any("login of alice" in m for m in messages)
