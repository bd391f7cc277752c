"""`manage.py api_token USERNAME`: a first API token without a browser."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from partnership.models import ApiToken, TokenScope

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_printed_key_authenticates_as_the_user_and_only_its_hash_is_stored(tess):
    key, message = run("tess", "--name", "jira sync")
    assert "shown only this once" in message and key not in message
    token = ApiToken.objects.get(user=tess)
    assert (token.name, token.scope, token.expires_at) == ("jira sync", TokenScope.READ_WRITE, None)
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["username"] == "tess"


def test_a_read_only_token_may_read_but_not_write(tess):
    key, _ = run("tess", "--read-only", "--expires-in-days", "30")
    token = ApiToken.objects.get(user=tess)
    assert token.scope == TokenScope.READ and token.expires_at is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/pain-points/").status_code == 200
    assert client.post("/api/v1/pain-points/", {"title": "x"}, format="json").status_code == 403


def test_an_unknown_or_inactive_user_and_a_bad_expiry_are_refused(tess):
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        run("nobody")
    with pytest.raises(CommandError, match="1 or more"):
        run("tess", "--expires-in-days", "0")
    tess.is_active = False
    tess.save()
    with pytest.raises(CommandError, match="inactive"):
        run("tess")
    assert not ApiToken.objects.exists()
