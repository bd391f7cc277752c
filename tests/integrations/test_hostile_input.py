"""Hostile input on the unauthenticated webhook receiver (issue 17): a signature header past
ASCII, and bodies the JSON reader refuses (nested too deep, numbers that are not finite, lone
surrogates). Each answers a 4xx with a message, is logged as refused and writes nothing."""

import pytest

from listening.models import PainPoint
from partnership.integrations.models import InboundDelivery

from .helpers import (
    encode,
    generic_headers,
    generic_payload,
    jira_headers,
    jira_payload,
    servicenow_headers,
    servicenow_payload,
    zendesk_headers,
    zendesk_payload,
)

pytestmark = pytest.mark.django_db

# Each format's signed delivery: (its payload, how it is signed).
FORMATS = {
    "jira": (jira_payload, jira_headers),
    "zendesk": (zendesk_payload, zendesk_headers),
    "servicenow": (servicenow_payload, servicenow_headers),
    "helpdesk": (generic_payload, generic_headers),
}
# Every header a signature check reads, by source (the fixtures' source names).
SIGNATURE_HEADERS = {
    "jira": ["X-Hub-Signature"],
    "zendesk": ["X-Zendesk-Webhook-Signature", "X-Zendesk-Webhook-Signature-Timestamp"],
    "servicenow": ["X-ServiceNow-Signature", "X-ServiceNow-Timestamp"],
    "helpdesk": ["webhook-id", "webhook-timestamp", "webhook-signature"],
}
NON_ASCII = ["sha256=é", "v1,ÿ²", "١٧٠٠٠٠٠٠٠٠"]  # Latin-1 letters, a superscript, Arabic-Indic digits


def _meta(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


@pytest.fixture
def sources(jira, zendesk, servicenow, generic):
    return {"jira": jira, "zendesk": zendesk, "servicenow": servicenow, "helpdesk": generic}


@pytest.mark.parametrize("value", NON_ASCII)
@pytest.mark.parametrize(
    ("source", "header"), [(source, header) for source, headers in SIGNATURE_HEADERS.items() for header in headers]
)
def test_a_signature_header_past_ascii_answers_401_naming_the_header(sources, post_webhook, source, header, value):
    payload, sign = FORMATS[source]
    body = encode(payload())
    headers = {**sign(body), _meta(header): value}

    response = post_webhook(source, body, **headers)

    assert response.status_code == 401, response.content
    assert response.json()["detail"] == f"The {header} header holds characters other than ASCII."
    assert not PainPoint.objects.exists()
    assert InboundDelivery.objects.get().result == "refused"


HOSTILE_BODIES = {
    "nested 2,000 deep": (b'{"a": ' + b"[" * 2000 + b"]" * 2000 + b"}", "nested more than 64 levels deep"),
    "nested 65 deep": (b'{"a": ' + b"[" * 64 + b"]" * 64 + b"}", "nested more than 64 levels deep"),
    "1e400": (b'{"webhookEvent": "jira:issue_created", "n": 1e400}', "number out of range (1e400)"),
    "-1e400": (b'{"n": -1e400}', "number out of range (-1e400)"),
    "Infinity": (b'{"n": Infinity}', "number out of range (Infinity)"),
    "NaN": (b'{"n": NaN}', "number out of range (NaN)"),
    "a lone surrogate": (b'{"issue": {"key": "\\ud800"}}', "lone surrogate (\\ud800)"),
    "a lone surrogate in a key": (b'{"\\udfff": 1}', "lone surrogate (\\udfff)"),
}


@pytest.mark.parametrize("source", ["jira", "helpdesk"])
@pytest.mark.parametrize("kind", HOSTILE_BODIES)
def test_a_signed_body_the_json_reader_refuses_answers_400_naming_the_problem(sources, post_webhook, source, kind):
    body, problem = HOSTILE_BODIES[kind]
    response = post_webhook(source, body, **FORMATS[source][1](body))

    assert response.status_code == 400, response.content
    assert problem in response.json()["detail"]
    assert not PainPoint.objects.exists()
    assert InboundDelivery.objects.get().status_code == 400


def test_a_body_nested_64_deep_is_still_read(jira, post_webhook):
    """The limit is past what a real delivery holds: 64 levels are read (then refused as not a
    Jira issue, with Jira's own message)."""
    body = b'{"a": ' + b"[" * 63 + b"]" * 63 + b"}"
    response = post_webhook("jira", body, **jira_headers(body))
    assert response.status_code == 400
    assert response.json()["detail"] == "webhookEvent is missing."
