"""Login, roles and their home pages, password change and reset, the profile's tokens."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from partnership.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_as_groups_with_permissions():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    assert {"Business manager", "IT staff", "CIO", "Integration client"} <= set(groups)
    assert groups["CIO"].permissions.filter(codename="view_businessunit").exists()
    assert groups["Business manager"].permissions.filter(codename="view_businessunit").exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_wrong_password_shows_a_clear_message(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong-password-123"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("alice", "Raise a pain point"),
        ("ivan", "Triage the pain points"),
        ("carla", "Partnership dashboard"),
        ("tess", "connects a ticketing system"),
        ("root", "Partnership dashboard"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, request, password, user_fixture, expected):
    user = request.getfixturevalue(user_fixture)
    response = client.post("/accounts/login/", {"username": user.username, "password": password}, follow=True)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_it_staff_home_link_to_triage_opens_the_triage_page(client, ivan):
    client.force_login(ivan)
    page = client.get("/").content.decode()
    assert '<a href="/listening/triage/">Triage the pain points' in page
    assert client.get("/listening/triage/").status_code == 200


def test_login_starts_a_new_session(client, alice, password):
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen-session"
    client.post("/accounts/login/", {"username": "alice", "password": password})
    assert client.cookies["sessionid"].value != "attacker-chosen-session"


def test_logout_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_rejects_a_short_password(client, alice, password):
    client.force_login(alice)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": password, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_password_reset_sends_an_email_with_a_link(client, alice):
    response = client.post("/accounts/password_reset/", {"email": alice.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_a_token_made_on_the_profile_page_is_shown_once_and_stored_hashed(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/tokens/", {"name": "Jira sync", "scope": "read"}, follow=True)
    page = response.content.decode()
    token = ApiToken.objects.get(user=alice)
    key = page.split('id="new-token-key" class="user-select-all">')[1].split("<")[0]
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in token.key_hash
    assert key not in client.get("/accounts/profile/").content.decode()


def test_a_new_tokens_key_is_in_the_answer_that_made_it_and_nowhere_else(client, alice):
    """Not waiting in the session for the next visit, not kept by a cache."""
    client.force_login(alice)
    response = client.post("/accounts/tokens/", {"name": "Jira sync", "scope": "read"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    key = response.content.decode().split('id="new-token-key" class="user-select-all">')[1].split("<")[0]
    assert ApiToken.objects.get(user=alice).key_hash == ApiToken.hash_key(key)
    assert all(key not in str(value) for value in client.session.values())


def test_a_token_name_the_model_refuses_is_a_form_error_not_a_500(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/tokens/", {"name": "Jira\x07sync", "scope": "read"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_form_with_no_name_is_refused_with_a_message(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/tokens/", {"name": "", "scope": "read"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_token_but_not_someone_elses(client, alice, mallory, api):
    client.force_login(alice)
    client.post("/accounts/tokens/", {"name": "mine", "scope": "read_write"})
    mine = ApiToken.objects.get(user=alice)
    api(mallory)  # mallory's token
    theirs = ApiToken.objects.get(user=mallory)
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    client.post(f"/accounts/tokens/{mine.pk}/revoke/")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
