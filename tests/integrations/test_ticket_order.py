"""Tickets are never lost nor overwritten by the past: a ticket without a unit is parked for IT,
an older update is stale, and a pain point whose workflow has ended takes comments, not changes."""

import datetime

import pytest
from django.urls import reverse

from listening import services as listening
from listening.choices import PainPointStatus
from listening.models import PainPoint
from partnership.integrations.models import InboundDelivery, InboundTicket
from partnership.workflow import Transition, Workflow

from .helpers import (
    encode,
    generic_headers,
    generic_payload,
    jira_headers,
    jira_payload,
    zendesk_headers,
    zendesk_payload,
)

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)


def jira_at(minutes, **fields):
    payload = jira_payload(event="jira:issue_updated", **fields)
    payload["issue"]["fields"]["updated"] = (T0 + datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    return encode(payload)


@pytest.fixture
def parked(generic, post_webhook):
    """A generic ticket of no known unit, accepted and parked."""
    body = encode(generic_payload(ticket_id="HD-7", reporter_email="nobody@example.com"))
    response = post_webhook("helpdesk", body, **generic_headers(body, delivery="msg_parked"))
    assert response.status_code == 202, response.content
    return InboundTicket.objects.get(external_ref="HD-7")


# --- 1. Parked, never lost -----------------------------------------------------------------------


def test_a_ticket_of_an_unknown_unit_is_parked_with_its_delivery(parked):
    assert not PainPoint.objects.exists()
    assert parked.parked_at is not None and parked.parked_delivery.delivery_id == "msg_parked"
    assert parked.title == "Expense tool rejects receipts"
    assert InboundDelivery.objects.get().result == "parked"


def test_a_ticket_naming_a_unit_that_does_not_exist_is_parked_not_refused(generic, post_webhook):
    body = encode(generic_payload(business_unit="no-such-unit"))
    response = post_webhook("helpdesk", body, **generic_headers(body))
    assert response.status_code == 202
    assert "no active business unit 'no-such-unit'" in InboundTicket.objects.get().parked_reason


def test_later_deliveries_of_a_parked_ticket_keep_it_parked_with_the_newest_content(parked, post_webhook):
    body = encode(generic_payload(ticket_id="HD-7", title="Receipts over 2 MB refused"))
    assert post_webhook("helpdesk", body, **generic_headers(body)).status_code == 202
    assert InboundTicket.objects.parked().get().title == "Receipts over 2 MB refused"


def test_it_assigns_a_unit_on_the_page_and_the_pain_point_is_made(parked, client, ivan, finance):
    client.force_login(ivan)
    assert "1 ticket from a ticketing system waits" in client.get(reverse("listening:triage")).content.decode()
    page = client.get(reverse("integrations:parked-tickets"))
    assert page.status_code == 200 and "HD-7" in page.content.decode()
    response = client.post(reverse("integrations:parked-ticket-assign", args=[parked.pk]), {f"t{parked.pk}-business_unit": finance.pk})
    pain_point = PainPoint.objects.get()
    assert response.status_code == 302 and response.url == pain_point.get_absolute_url()
    assert (pain_point.business_unit, pain_point.source_system, pain_point.external_ref) == (finance, "helpdesk", "HD-7")
    assert not InboundTicket.objects.parked().exists()
    assert InboundDelivery.objects.get().object_id == str(pain_point.pk)


def test_the_page_refuses_a_missing_unit_on_the_form(parked, client, ivan):
    client.force_login(ivan)
    response = client.post(reverse("integrations:parked-ticket-assign", args=[parked.pk]), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_it_assigns_a_unit_through_the_api(parked, api, ivan, finance):
    listed = api(ivan).get("/api/v1/parked-tickets/").json()["results"]
    assert [(t["external_ref"], t["delivery_id"]) for t in listed] == [("HD-7", "msg_parked")]
    response = api(ivan).post(f"/api/v1/parked-tickets/{parked.pk}/assign/", {"business_unit": finance.pk}, format="json")
    assert response.status_code == 200, response.content
    assert PainPoint.objects.get(pk=response.json()["pain_point"]).business_unit == finance
    again = api(ivan).post(f"/api/v1/parked-tickets/{parked.pk}/assign/", {"business_unit": finance.pk}, format="json")
    assert again.status_code == 404  # no longer in the queue


def test_the_queue_is_it_only(parked, api, client, alice, tess, finance):
    assert api(alice).get("/api/v1/parked-tickets/").json()["results"] == []
    assert api(tess).post(f"/api/v1/parked-tickets/{parked.pk}/assign/", {"business_unit": finance.pk}).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("integrations:parked-tickets")).status_code == 403
    assert not PainPoint.objects.exists()


def test_a_parked_ticket_is_made_once_its_unit_can_be_told(parked, post_webhook, finance):
    body = encode(generic_payload(ticket_id="HD-7", business_unit="finance"))
    assert post_webhook("helpdesk", body, **generic_headers(body)).status_code == 201
    assert PainPoint.objects.get().business_unit == finance
    assert not InboundTicket.objects.parked().exists()


# --- 2. Stale updates ------------------------------------------------------------------------------


def test_an_older_jira_update_arriving_late_changes_nothing_and_is_logged_stale(jira, post_webhook):
    post_webhook("jira", (body := jira_at(0)), **jira_headers(body))
    newer = jira_at(10, summary="Newest title", status="In Progress")
    older = jira_at(5, summary="Older title", priority="Lowest")
    assert post_webhook("jira", newer, **jira_headers(newer)).json()["result"] == "updated"
    response = post_webhook("jira", older, **jira_headers(older))
    assert response.status_code == 200
    assert response.json()["result"] == "stale"
    pain_point = PainPoint.objects.get()
    assert (pain_point.title, pain_point.severity, pain_point.status) == ("Newest title", 4, "analysing")
    assert InboundDelivery.objects.filter(result="stale").get().object_id == str(pain_point.pk)


def test_an_old_jira_body_resent_under_a_new_delivery_id_is_stale(jira, post_webhook):
    first = jira_at(0)
    post_webhook("jira", first, **jira_headers(first, delivery="d-1"))
    second = jira_at(3, summary="Renamed")
    post_webhook("jira", second, **jira_headers(second, delivery="d-2"))
    for body in (first, second):  # Jira's delivery id is not signed: anyone may send a body again
        assert post_webhook("jira", body, **jira_headers(body, delivery="forged")).json()["result"] in ("stale", "replay")
    assert PainPoint.objects.get().title == "Renamed"
    assert InboundDelivery.objects.filter(result="stale").count() == 1


def test_an_older_zendesk_event_is_stale(zendesk, post_webhook):
    def send(minutes, status):
        payload = zendesk_payload(status=status, event="zen:event-type:ticket.status_changed")
        payload["detail"]["updated_at"] = (T0 + datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = encode(payload)
        return post_webhook("zendesk", body, **zendesk_headers(body)).json()["result"]

    assert send(0, "NEW") == "created"
    assert send(9, "SOLVED") == "updated"
    assert send(4, "OPEN") == "stale"
    assert PainPoint.objects.get().status == PainPointStatus.RESOLVED


def test_an_updated_time_that_is_no_time_answers_400_naming_the_field(jira, post_webhook):
    payload = jira_payload()
    payload["issue"]["fields"]["updated"] = "yesterday"
    body = encode(payload)
    response = post_webhook("jira", body, **jira_headers(body))
    assert response.status_code == 400 and "fields.updated" in response.json()["detail"]


# --- 3. Closed, declined and merged pain points ---------------------------------------------------------


def test_a_ticket_change_to_a_merged_pain_point_is_a_comment_on_the_one_it_continues_in(jira, post_webhook, ivan, sales):
    post_webhook("jira", (body := jira_at(0)), **jira_headers(body))
    merged = PainPoint.objects.get()
    target = listening.pain_point_create(submitted_by=ivan, business_unit=sales, title="Approvals", description="Slow.")
    listening.pain_point_merge(pain_point=merged, target=target, actor=ivan)
    response = post_webhook("jira", (body := jira_at(5, summary="Renamed in Jira")), **jira_headers(body))
    assert response.json()["result"] == "commented"
    assert f"#{target.pk}" in response.json()["detail"]
    merged.refresh_from_db()
    assert merged.title == "Invoices stuck in approval" and not merged.comments.exists()
    assert "- title: Renamed in Jira" in target.comments.get().body


def test_the_same_ticket_content_again_adds_no_second_comment(jira, post_webhook):
    post_webhook("jira", (body := jira_at(0, status="Closed")), **jira_headers(body))
    post_webhook("jira", (body := jira_at(1, status="Closed", summary="Renamed")), **jira_headers(body))
    response = post_webhook("jira", (body := jira_at(2, status="Closed", summary="Renamed")), **jira_headers(body))
    assert response.json()["result"] == "unchanged"
    assert PainPoint.objects.get().comments.count() == 1


def _reopen(*, pain_point, actor, note=""):
    from listening.services import _change_status

    return _change_status(pain_point, to_status=PainPointStatus.NEW, actor=actor, note=note)


def test_a_ticket_reopens_a_closed_pain_point_when_the_workflow_declares_the_step(jira, post_webhook, monkeypatch):
    from listening import workflow

    reopen = Transition(
        name="reopen", label="Reopen", moves={PainPointStatus.CLOSED: PainPointStatus.NEW}, may=lambda user, obj: True,
        denied="", service="tests.integrations.test_ticket_order._reopen",
    )
    declared = workflow.PAIN_POINT
    monkeypatch.setattr(workflow, "PAIN_POINT", Workflow(
        name=declared.name, states=declared.states, object_arg=declared.object_arg, refused=declared.refused,
        transitions=(*declared.transitions, reopen),
    ))
    monkeypatch.setitem(workflow.TICKET_STEPS, "reopen", None)
    post_webhook("jira", (body := jira_at(0, status="Closed")), **jira_headers(body))
    response = post_webhook("jira", (body := jira_at(5, status="Reopened", summary="It is back")), **jira_headers(body))
    assert response.json()["result"] == "updated"
    pain_point = PainPoint.objects.get()
    assert (pain_point.status, pain_point.title) == (PainPointStatus.NEW, "It is back")
    assert not pain_point.comments.exists()
