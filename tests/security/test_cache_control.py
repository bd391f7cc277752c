"""What a signed-in user reads, and every API answer, is never kept by a shared or browser cache:
after sign-out on a shared computer the back button, or a caching proxy, shows nobody's data."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/dashboard/", "/listening/", "/initiatives/", "/steering/", "/revenue/", "/accounts/profile/"])
def test_signed_in_pages_are_private_and_not_stored(client, carla, path):
    client.force_login(carla)
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Cache-Control"] == "private, no-store"


def test_api_answers_are_private_and_not_stored_with_a_token_and_without(api, ivan):
    assert api(ivan).get("/api/v1/pain-points/")["Cache-Control"] == "private, no-store"
    refused = api().get("/api/v1/pain-points/")
    assert refused.status_code in (401, 403)
    assert refused["Cache-Control"] == "private, no-store"


def test_the_public_health_check_keeps_its_own_caching(client):
    response = client.get("/healthz")
    assert response.get("Cache-Control") != "private, no-store"
