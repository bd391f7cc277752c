"""API conventions: tokens, /api/v1/me/, error bodies, pagination and the schema."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnership.models import ApiToken

pytestmark = pytest.mark.django_db


def test_me_returns_the_user_their_unit_and_role(api, alice):
    response = api(alice).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "alice"
    assert body["business_unit"]["slug"] == "sales"
    assert body["role"] == "Business manager"


def test_a_superuser_without_group_or_unit_can_use_the_api(api, root):
    body = api(root).get("/api/v1/me/").json()
    assert body["role"] == "CIO"
    assert body["business_unit"] is None
    assert body["is_superuser"] is True


def test_anonymous_requests_get_401_with_an_error_body(api):
    response = api().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}


def test_a_revoked_token_is_refused(api, alice):
    client = api(alice)
    ApiToken.objects.update(revoked_at=timezone.now())
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_expired_token_is_refused(api, alice):
    client = api(alice, expires_in_days=1)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_records_its_last_use(api, alice):
    api(alice).get("/api/v1/me/")
    assert ApiToken.objects.get().last_used_at is not None


def test_a_read_only_token_cannot_write(api, alice):
    client = api(alice, scope="read")
    assert client.get("/api/v1/tokens/").status_code == 200
    response = client.post("/api/v1/tokens/", {"name": "more"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."


def test_creating_a_token_by_api_returns_the_key_once(api, alice):
    response = api(alice).post("/api/v1/tokens/", {"name": "script", "scope": "read"}, format="json")
    assert response.status_code == 201
    key = response.json()["key"]
    listed = api(alice).get("/api/v1/tokens/").json()["results"]
    assert all("key" not in row for row in listed)
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).exists()


def test_validation_errors_name_the_field(api, alice):
    response = api(alice).post("/api/v1/tokens/", {"name": "", "scope": "everything"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body["fields"]) == {"name", "scope"}
    assert body["detail"].startswith("name: ")


def test_someone_elses_token_answers_404(api, alice, mallory):
    api(mallory)
    theirs = ApiToken.objects.get(user=mallory)
    response = api(alice).post(f"/api/v1/tokens/{theirs.pk}/revoke/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_lists_are_paginated_with_a_bounded_page_size(api, alice):
    from tests.factories import BusinessUnitFactory

    BusinessUnitFactory.create_batch(120)
    body = api(alice).get("/api/v1/business-units/?page_size=1000").json()
    assert body["count"] == 121
    assert len(body["results"]) == 100
    assert body["next"] is not None


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/me/" in text
    assert "TokenAuth" in text or "tokenAuth" in text


def test_swagger_ui_is_served_from_local_files(client, alice):
    client.force_login(alice)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert client.get("/api/schema/").status_code == 200


def test_a_date_time_before_1900_is_refused_with_a_field_message(api, ivan):
    response = api(ivan).post(
        "/api/v1/events/", {"kind": "open_day", "title": "Old", "starts_at": "1873-08-21T22:56:13Z"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["starts_at"] == ["Enter a date between 1900 and 2100."]  # the model's words
