"""Security headers, no inline scripts, and clear error pages instead of tracebacks (login
throttling: test_login_throttling.py)."""

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
