"""The signature rules of the inbound formats at their edges: a wrong ServiceNow signature, a
signature wrong only in its last characters, and the timestamp tolerance in both directions."""

import datetime

import pytest
from django.utils import timezone

from listening.models import PainPoint
from partnership.integrations.models import InboundDelivery
from partnership.integrations.services import inbound_delivery_receive

from .helpers import (
    as_requests_headers,
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


def _unix(moment):
    return int(moment.timestamp())


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# format: (source fixture and name, payload, headers(body, stamp), signature header, stamp as the format writes it)
FORMATS = {
    "jira": ("jira", lambda: jira_payload(), lambda body, stamp: jira_headers(body), "HTTP_X_HUB_SIGNATURE", None),
    "zendesk": (
        "zendesk", lambda: zendesk_payload(), lambda body, stamp: zendesk_headers(body, stamp=stamp),
        "HTTP_X_ZENDESK_WEBHOOK_SIGNATURE", _iso,
    ),
    "servicenow": (
        "servicenow", lambda: servicenow_payload(), lambda body, stamp: servicenow_headers(body, stamp=stamp),
        "HTTP_X_SERVICENOW_SIGNATURE", _unix,
    ),
    "generic": (
        "helpdesk", lambda: generic_payload(business_unit="sales"),
        lambda body, stamp: generic_headers(body, stamp=stamp), "HTTP_WEBHOOK_SIGNATURE", _unix,
    ),
}
FIXTURES = {"jira": "jira", "zendesk": "zendesk", "servicenow": "servicenow", "generic": "generic"}


def _source(request, kind):
    request.getfixturevalue("sales")
    request.getfixturevalue(FIXTURES[kind])
    return FORMATS[kind][0]


def _other_last_characters(signature: str, count: int = 2) -> str:
    """The same signature with its last `count` characters (before any base64 padding) changed;
    "0" and "1" are hex and base64 alike and differ in any letter case."""
    core = signature.rstrip("=")
    padding = signature[len(core):]
    tail = "".join("1" if c == "0" else "0" for c in core[-count:])
    return core[:-count] + tail + padding


# --- ServiceNow: a bad signature -------------------------------------------------------------------


def test_a_servicenow_delivery_signed_with_another_secret_is_refused(servicenow, post_webhook):
    body = encode(servicenow_payload())
    response = post_webhook("servicenow", body, **servicenow_headers(body, secret="someone-elses-secret-value"))
    assert response.status_code == 401
    assert response.json()["detail"] == "The X-ServiceNow-Signature does not match the timestamp and body."
    assert not PainPoint.objects.exists()
    assert list(InboundDelivery.objects.values_list("result", "status_code")) == [("refused", 401)]


def test_a_servicenow_delivery_with_a_changed_body_or_timestamp_is_refused(servicenow, post_webhook):
    body = encode(servicenow_payload())
    headers = servicenow_headers(body)
    assert post_webhook("servicenow", body.replace(b"VPN", b"VPX"), **headers).status_code == 401
    moved = {**headers, "HTTP_X_SERVICENOW_TIMESTAMP": str(int(headers["HTTP_X_SERVICENOW_TIMESTAMP"]) - 1)}
    assert post_webhook("servicenow", body, **moved).status_code == 401
    assert not PainPoint.objects.exists()
    assert post_webhook("servicenow", body, **headers).status_code == 201  # the genuine delivery still is


# --- Every format: a signature wrong only at its end -----------------------------------------------


@pytest.mark.parametrize("count", [1, 2])
@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_a_signature_that_differs_only_in_its_last_characters_is_refused(request, post_webhook, kind, count):
    name = _source(request, kind)
    _, payload, headers_for, signature_header, as_stamp = FORMATS[kind]
    body = encode(payload())
    now = timezone.now()
    headers = headers_for(body, as_stamp(now) if as_stamp else None)
    forged = {**headers, signature_header: _other_last_characters(headers[signature_header], count)}
    assert forged[signature_header] != headers[signature_header]
    assert forged[signature_header][:-3] == headers[signature_header][:-3]
    response = post_webhook(name, body, **forged)
    assert response.status_code == 401, response.content
    assert "does not match" in response.json()["detail"]
    assert not PainPoint.objects.exists()
    assert post_webhook(name, body, **headers).status_code == 201  # the genuine signature is accepted


# --- Timestamped formats: the tolerance, both ways -------------------------------------------------


TIMESTAMPED = ["generic", "servicenow", "zendesk"]


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (+1, False),  # tolerance + 1 s in the future
        (0, True),  # exactly the tolerance in the future
        (-1, True),  # just inside, in the future
        (None, True),  # now
    ],
)
@pytest.mark.parametrize("kind", TIMESTAMPED)
def test_a_timestamp_in_the_future_is_accepted_up_to_the_tolerance(request, settings, kind, offset, accepted):
    _check_tolerance(request, settings, kind, offset, accepted, direction=+1)


@pytest.mark.parametrize(("offset", "accepted"), [(+1, False), (0, True), (-1, True)])
@pytest.mark.parametrize("kind", TIMESTAMPED)
def test_a_timestamp_in_the_past_is_accepted_up_to_the_tolerance(request, settings, kind, offset, accepted):
    _check_tolerance(request, settings, kind, offset, accepted, direction=-1)


def _check_tolerance(request, settings, kind, offset, accepted, *, direction):
    """A delivery stamped `direction` × (tolerance + offset) seconds from the portal's clock."""
    settings.INTEGRATIONS_TIMESTAMP_TOLERANCE_SECONDS = 120
    name = _source(request, kind)
    _, payload, headers_for, _, as_stamp = FORMATS[kind]
    now = timezone.now().replace(microsecond=0)
    seconds = 0 if offset is None else direction * (120 + offset)
    body = encode(payload())
    headers = as_requests_headers(headers_for(body, as_stamp(now + datetime.timedelta(seconds=seconds))))
    outcome = inbound_delivery_receive(source_name=name, headers=headers, body=body, now=now)
    if accepted:
        assert outcome.status_code == 201, outcome
        assert PainPoint.objects.count() == 1
    else:
        assert outcome.status_code == 401, outcome
        assert "more than 120 seconds away" in outcome.detail
        assert not PainPoint.objects.exists()
