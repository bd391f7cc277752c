"""External references belong to the integration source that created them; the source's
integration client updates and comments on that source's pain points, and only those."""

import pytest

from listening import services as listening
from listening.models import PainPoint
from partnership.integrations.services import integration_source_add

from .helpers import SECRET, encode, jira_headers, jira_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def jira(sales, tess):
    """The Jira source, with Tess as its integration client."""
    return integration_source_add(name="jira", kind="jira", secret=SECRET, business_unit=sales, client=tess)


@pytest.fixture
def ticket(jira, post_webhook, sales):
    """OPS-1, confidential to Sales, made by a Jira delivery."""
    body = encode(jira_payload())
    post_webhook("jira", body, **jira_headers(body))
    pain_point = PainPoint.objects.get()
    PainPoint.objects.filter(pk=pain_point.pk).update(confidential=True)
    return pain_point


def new(api, user, sales, **fields):
    body = {"title": "Invoices", "description": "Stuck.", "business_unit": sales.pk, **fields}
    return api(user).post("/api/v1/pain-points/", body, format="json")


@pytest.mark.parametrize("field, value", [("source", "ticketing"), ("source_system", "jira"), ("external_ref", "OPS-2")])
def test_a_business_manager_setting_a_reference_field_gets_400_on_it(api, mallory, sales, jira, field, value):
    response = new(api, mallory, sales, **{field: value, **({"source_system": "jira"} if field == "external_ref" else {})})
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not PainPoint.objects.exists()


def test_a_business_manager_cannot_squat_a_future_ticket_key(api, mallory, sales, jira, post_webhook):
    assert new(api, mallory, sales, source_system="jira", external_ref="OPS-1").status_code == 400
    body = encode(jira_payload())
    assert post_webhook("jira", body, **jira_headers(body)).status_code == 201
    assert PainPoint.objects.get().submitted_by is None  # the ticket landed in its own pain point


def test_the_defaults_of_a_portal_pain_point_are_accepted(api, alice, sales):
    assert new(api, alice, sales, source="portal", source_system="", external_ref="").status_code == 201


def test_it_may_claim_a_reference(api, ivan, sales):
    response = new(api, ivan, sales, source="ticketing", source_system="jira", external_ref="OPS-9")
    assert response.status_code == 201
    assert response.json()["external_ref"] == "OPS-9"


def test_the_integration_client_creates_with_its_own_source_only(api, tess, sales, jira):
    response = new(api, tess, sales, external_ref="OPS-7")
    assert response.status_code == 201, response.content
    assert (response.json()["source"], response.json()["source_system"]) == ("ticketing", "jira")
    refused = new(api, tess, sales, source_system="zendesk", external_ref="77")
    assert refused.status_code == 400 and "source_system" in refused.json()["fields"]


def test_a_duplicate_reference_is_named_only_to_who_sees_its_pain_point(api, tess, ivan, mallory, sales, ticket):
    from django.core.exceptions import ValidationError

    # Mallory (Finance) does not see the confidential OPS-1 of Sales: the refusal says no more than
    # that the reference cannot be used (the API would refuse her the field before this).
    with pytest.raises(ValidationError) as refused:
        listening.pain_point_create(
            submitted_by=mallory, business_unit=sales, title="Squat", description="x", source="ticketing",
            source_system="jira", external_ref="OPS-1",
        )
    assert refused.value.message_dict["external_ref"] == [listening.REFERENCE_UNAVAILABLE]
    assert "already" not in listening.REFERENCE_UNAVAILABLE
    for user, extra in ((ivan, {"source": "ticketing", "source_system": "jira"}), (tess, {})):
        seen = new(api, user, sales, external_ref="OPS-1", **extra)
        assert seen.status_code == 400
        assert "already has a pain point" in " ".join(seen.json()["fields"]["external_ref"])


def test_the_integration_client_sees_its_sources_confidential_pain_points(api, tess, ticket):
    assert api(tess).get(f"/api/v1/pain-points/{ticket.pk}/").status_code == 200


def test_a_reference_longer_than_the_field_is_refused_not_cut(api, ivan, sales, jira, post_webhook):
    long_key = "OPS-" + "9" * 200
    response = new(api, ivan, sales, source="ticketing", source_system="jira", external_ref=long_key)
    assert response.status_code == 400 and "external_ref" in response.json()["fields"]
    for suffix in ("1", "2"):  # two long keys alike in their first 200 characters
        body = encode(jira_payload(key=long_key + suffix))
        answer = post_webhook("jira", body, **jira_headers(body))
        assert answer.status_code == 400 and "issue.key is longer than 200" in answer.json()["detail"]
    assert not PainPoint.objects.exists()


# --- The integration client on its own source's pain points ---------------------------------------


def test_the_integration_client_updates_and_comments_on_its_sources_pain_points(api, tess, ticket):
    response = api(tess).patch(f"/api/v1/pain-points/{ticket.pk}/", {"severity": 5, "title": "Renamed"}, format="json")
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert (ticket.severity, ticket.title) == (5, "Renamed")
    comment = api(tess).post(f"/api/v1/pain-points/{ticket.pk}/comment/", {"body": "Fixed in build 42."}, format="json")
    assert comment.status_code == 201
    assert ticket.comments.get().body == "Fixed in build 42."


def test_the_integration_client_does_not_move_the_unit_or_confidentiality(api, tess, ticket, finance):
    response = api(tess).patch(f"/api/v1/pain-points/{ticket.pk}/", {"confidential": False}, format="json")
    assert response.status_code == 400 and "confidential" in response.json()["fields"]


def test_the_integration_client_does_not_edit_a_closed_pain_point(api, tess, ticket):
    PainPoint.objects.filter(pk=ticket.pk).update(status="closed")
    response = api(tess).patch(f"/api/v1/pain-points/{ticket.pk}/", {"title": "Late"}, format="json")
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_the_integration_client_neither_edits_nor_comments_on_others(api, tess, alice, sales, ticket):
    other = listening.pain_point_create(submitted_by=alice, business_unit=sales, title="Printer", description="Jams.")
    assert api(tess).patch(f"/api/v1/pain-points/{other.pk}/", {"title": "X"}, format="json").status_code == 403
    assert api(tess).post(f"/api/v1/pain-points/{other.pk}/comment/", {"body": "Hi"}, format="json").status_code == 403
    other.refresh_from_db()
    assert other.title == "Printer" and not other.comments.exists()


def test_a_business_manager_comments_through_the_api_but_does_not_edit(api, alice, ticket):
    assert api(alice).post(f"/api/v1/pain-points/{ticket.pk}/comment/", {"body": "Still broken."}, format="json").status_code == 201
    assert api(alice).patch(f"/api/v1/pain-points/{ticket.pk}/", {"title": "X"}, format="json").status_code == 403
