"""The API schema and its docs page: public by default, for signed-in callers only (a session or
an API token) when PORTAL_API_DOCS_REQUIRE_LOGIN is true (issue 17)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs_need_login(settings):
    settings.PORTAL_API_DOCS_REQUIRE_LOGIN = True


def test_the_schema_and_the_docs_are_public_by_default(client):
    assert client.get("/api/schema/").status_code == 200
    assert "swagger-ui" in client.get("/api/docs/").content.decode()


@pytest.mark.parametrize("path", ["/api/schema/", "/api/schema/?format=json"])
def test_without_credentials_the_schema_answers_401_in_json(client, docs_need_login, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert "openapi" not in response.content.decode()


def test_a_bad_token_is_refused_too(client, docs_need_login):
    response = client.get("/api/schema/", HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401
    assert "openapi" not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/?script="])
def test_without_a_session_the_docs_page_sends_the_browser_to_the_login_page(client, docs_need_login, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/api/docs/")


def test_a_signed_in_user_reads_the_docs_and_the_schema(client, alice, docs_need_login):
    client.force_login(alice)
    assert "swagger-ui" in client.get("/api/docs/").content.decode()
    assert "openapi" in client.get("/api/schema/").content.decode()


def test_an_api_token_reads_the_schema(api, tess, docs_need_login):
    response = api(tess).get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "IT Partnership Portal API"
