"""Rate limits per token and per client address: 429 with Retry-After, from settings."""

import pytest

from partnership.api.rates import parse_rate

from .helpers import encode, jira_headers, jira_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    def set_limits(token="", address=""):
        settings.API_RATE_LIMIT_PER_TOKEN = token
        settings.API_RATE_LIMIT_PER_ADDRESS = address

    return set_limits


def test_a_token_past_its_rate_gets_429_with_retry_after_and_another_token_does_not(api, tess, limits):
    limits(token="3/minute")
    first, second = api(tess), api(tess)
    assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/api/v1/pain-points/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"]
    assert second.get("/api/v1/me/").status_code == 200  # the limit is the token's, not the user's


def test_an_address_is_limited_across_tokens_and_anonymous_requests(api, tess, alice, limits):
    limits(address="2/hour")
    assert api(tess).get("/api/v1/me/").status_code == 200
    assert api(alice).get("/api/v1/me/").status_code == 200
    refused = api().get("/api/v1/me/")
    assert refused.status_code == 429 and 60 < int(refused["Retry-After"]) <= 3600
    other = api(alice)
    assert other.get("/api/v1/me/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_an_empty_setting_switches_a_limit_off(api, tess, limits):
    limits()
    client = api(tess)
    assert {client.get("/api/v1/me/").status_code for _ in range(20)} == {200}


def test_signed_webhooks_are_never_throttled(jira, post_webhook, limits):
    limits(token="1/minute", address="1/minute")
    for n in range(3):
        body = encode(jira_payload(key=f"OPS-{n}"))
        assert post_webhook("jira", body, **jira_headers(body)).status_code == 201


def test_a_malformed_rate_is_refused(limits):
    assert parse_rate("600/minute") == (600, 60) and parse_rate("5/s") == (5, 1) and parse_rate("") is None
    with pytest.raises(ValueError, match="N/minute"):
        parse_rate("600 per minute")

