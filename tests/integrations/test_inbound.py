"""Inbound webhooks of each format: signature, replay, stale timestamp, rotation, malformed input,
status mapping, and the delivery log."""

import datetime
import time

import pytest
from django.utils import timezone

from listening.models import PainPoint, PainPointStatusChange
from partnership.integrations.models import InboundDelivery
from partnership.integrations.services import integration_source_rotate_secret, integration_source_set_enabled

from .helpers import (
    NEW_SECRET,
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


def refusals():
    return list(InboundDelivery.objects.filter(result="refused").values_list("status_code", "reason"))


# --- Jira ----------------------------------------------------------------------------------------


def test_a_jira_issue_created_makes_one_pain_point_and_answers_201(jira, post_webhook, sales):
    body = encode(jira_payload())
    response = post_webhook("jira", body, **jira_headers(body))
    assert response.status_code == 201, response.content
    data = response.json()
    pain_point = PainPoint.objects.get()
    assert data["result"] == "created"
    assert data["pain_point"] == pain_point.pk
    assert data["url"] == pain_point.get_absolute_url()
    assert (pain_point.source, pain_point.source_system, pain_point.external_ref) == ("ticketing", "jira", "OPS-1")
    assert pain_point.title == "Invoices stuck in approval"
    assert pain_point.severity == 4  # High
    assert pain_point.business_unit == sales
    assert pain_point.submitted_by is None
    log = InboundDelivery.objects.get()
    assert (log.result, log.status_code, log.external_ref, log.object_id) == ("created", 201, "OPS-1", str(pain_point.pk))


def test_a_jira_issue_updated_changes_title_priority_and_answers_200(jira, post_webhook):
    body = encode(jira_payload())
    post_webhook("jira", body, **jira_headers(body))
    body = encode(jira_payload(event="jira:issue_updated", summary="Invoices stuck in approval (EU only)", priority="Highest"))
    response = post_webhook("jira", body, **jira_headers(body))
    assert response.status_code == 200
    assert response.json()["result"] == "updated"
    pain_point = PainPoint.objects.get()
    assert pain_point.title == "Invoices stuck in approval (EU only)"
    assert pain_point.severity == 5


def test_the_same_jira_delivery_twice_is_a_replay_without_effect(jira, post_webhook):
    body = encode(jira_payload())
    headers = jira_headers(body, delivery="delivery-1")
    assert post_webhook("jira", body, **headers).status_code == 201
    PainPoint.objects.update(title="Changed in the portal")
    response = post_webhook("jira", body, **headers)
    assert response.status_code == 200
    assert response.json()["result"] == "replay"
    assert response.json()["pain_point"] == PainPoint.objects.get().pk
    assert PainPoint.objects.get().title == "Changed in the portal"
    assert list(InboundDelivery.objects.order_by("id").values_list("result", flat=True)) == ["created", "replay"]


def test_a_bad_jira_signature_answers_401_and_is_logged(jira, post_webhook):
    body = encode(jira_payload())
    response = post_webhook("jira", body, **jira_headers(body, secret="someone-elses-secret-value"))
    assert response.status_code == 401
    assert "does not match" in response.json()["detail"]
    assert not PainPoint.objects.exists()
    assert refusals() == [(401, "The X-Hub-Signature does not match the body.")]


def test_a_tampered_jira_body_answers_401(jira, post_webhook):
    body = encode(jira_payload())
    headers = jira_headers(body)
    assert post_webhook("jira", body.replace(b"Invoices", b"Invoicez"), **headers).status_code == 401


def test_a_jira_delivery_without_signature_answers_401(jira, post_webhook):
    assert post_webhook("jira", encode(jira_payload())).status_code == 401


def test_jira_statuses_move_the_pain_point_through_the_workflow(jira, post_webhook):
    body = encode(jira_payload())
    post_webhook("jira", body, **jira_headers(body))
    body = encode(jira_payload(event="jira:issue_updated", status="In Progress"))
    assert post_webhook("jira", body, **jira_headers(body)).json()["result"] == "updated"
    pain_point = PainPoint.objects.get()
    assert pain_point.status == "analysing"
    assert pain_point.acknowledged_at is not None
    body = encode(jira_payload(event="jira:issue_updated", status="Done"))
    post_webhook("jira", body, **jira_headers(body))
    pain_point.refresh_from_db()
    assert pain_point.status == "resolved"
    history = list(PainPointStatusChange.objects.filter(pain_point=pain_point).values_list("to_status", flat=True))
    assert history == ["new", "acknowledged", "analysing", "planned", "resolved"]
    actor = PainPointStatusChange.objects.filter(to_status="resolved").get().actor
    assert actor.username == "integration-jira" and not actor.is_active
    assert "Jira OPS-1: status 'Done'" in PainPointStatusChange.objects.filter(to_status="resolved").get().note


def test_a_reopened_ticket_never_moves_a_pain_point_back(jira, post_webhook):
    body = encode(jira_payload(status="Done"))
    post_webhook("jira", body, **jira_headers(body))
    assert PainPoint.objects.get().status == "resolved"
    body = encode(jira_payload(event="jira:issue_updated", status="To Do"))
    response = post_webhook("jira", body, **jira_headers(body))
    assert response.json()["result"] == "unchanged"
    assert PainPoint.objects.get().status == "resolved"


def test_a_wont_do_jira_issue_declines_the_pain_point_with_a_reason(jira, post_webhook):
    body = encode(jira_payload(status="Won't Do"))
    post_webhook("jira", body, **jira_headers(body))
    pain_point = PainPoint.objects.get()
    assert pain_point.status == "declined"
    assert "Won't Do" in pain_point.decline_reason


def test_an_unmapped_jira_status_falls_back_on_its_category(jira, post_webhook):
    payload = jira_payload(status="Waiting for vendor")
    payload["issue"]["fields"]["status"]["statusCategory"] = {"key": "indeterminate"}
    body = encode(payload)
    post_webhook("jira", body, **jira_headers(body))
    assert PainPoint.objects.get().status == "analysing"


def test_a_jira_event_that_is_not_about_an_issue_is_ignored_with_200(jira, post_webhook):
    payload = jira_payload(event="comment_created")
    body = encode(payload)
    response = post_webhook("jira", body, **jira_headers(body))
    assert response.status_code == 200
    assert response.json()["result"] == "ignored"
    assert not PainPoint.objects.exists()


def test_a_jira_description_in_document_format_becomes_text(jira, post_webhook):
    adf = {"type": "doc", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "First line"}]},
                                      {"type": "paragraph", "content": [{"type": "text", "text": "Second line"}]}]}
    body = encode(jira_payload(description=adf))
    post_webhook("jira", body, **jira_headers(body))
    assert PainPoint.objects.get().description == "First line\nSecond line"


# --- Zendesk -----------------------------------------------------------------------------------------


def test_a_zendesk_ticket_created_makes_a_pain_point(zendesk, post_webhook):
    body = encode(zendesk_payload())
    response = post_webhook("zendesk", body, **zendesk_headers(body))
    assert response.status_code == 201, response.content
    pain_point = PainPoint.objects.get()
    assert (pain_point.external_ref, pain_point.title, pain_point.severity) == ("5158", "Printer queue lost", 4)


def test_other_zendesk_ticket_events_update_the_pain_point(zendesk, post_webhook):
    body = encode(zendesk_payload())
    post_webhook("zendesk", body, **zendesk_headers(body))
    body = encode(zendesk_payload(event="zen:event-type:ticket.status_changed", status="SOLVED", priority="URGENT"))
    response = post_webhook("zendesk", body, **zendesk_headers(body))
    assert response.status_code == 200
    pain_point = PainPoint.objects.get()
    assert (pain_point.status, pain_point.severity) == ("resolved", 5)


def test_the_same_zendesk_event_id_is_a_replay(zendesk, post_webhook):
    body = encode(zendesk_payload(event_id="01HXYZ"))
    assert post_webhook("zendesk", body, **zendesk_headers(body)).status_code == 201
    response = post_webhook("zendesk", body, **zendesk_headers(body))
    assert (response.status_code, response.json()["result"]) == (200, "replay")


def test_a_stale_zendesk_timestamp_answers_401(zendesk, post_webhook):
    body = encode(zendesk_payload())
    stale = (timezone.now() - datetime.timedelta(minutes=6)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = post_webhook("zendesk", body, **zendesk_headers(body, stamp=stale))
    assert response.status_code == 401
    assert "timestamp" in response.json()["detail"]
    assert not PainPoint.objects.exists()


def test_a_zendesk_timestamp_four_minutes_old_is_accepted(zendesk, post_webhook):
    body = encode(zendesk_payload())
    recent = (timezone.now() - datetime.timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert post_webhook("zendesk", body, **zendesk_headers(body, stamp=recent)).status_code == 201


def test_a_bad_zendesk_signature_answers_401(zendesk, post_webhook):
    body = encode(zendesk_payload())
    assert post_webhook("zendesk", body, **zendesk_headers(body, secret="not-the-right-secret-at-all")).status_code == 401


def test_a_zendesk_user_event_is_ignored(zendesk, post_webhook):
    body = encode({**zendesk_payload(), "type": "zen:event-type:user.created"})
    assert post_webhook("zendesk", body, **zendesk_headers(body)).json()["result"] == "ignored"


# --- ServiceNow -------------------------------------------------------------------------------------


def test_a_servicenow_record_makes_and_updates_a_pain_point(servicenow, post_webhook):
    body = encode(servicenow_payload())
    response = post_webhook("servicenow", body, **servicenow_headers(body))
    assert response.status_code == 201, response.content
    pain_point = PainPoint.objects.get()
    assert (pain_point.external_ref, pain_point.severity, pain_point.status) == ("46d44a5d", 4, "new")
    body = encode(servicenow_payload(state="6", priority="1 - Critical"))
    response = post_webhook("servicenow", body, **servicenow_headers(body))
    assert response.status_code == 200
    pain_point.refresh_from_db()
    assert (pain_point.severity, pain_point.status) == (5, "resolved")


def test_a_servicenow_delivery_id_is_a_replay_the_second_time(servicenow, post_webhook):
    body = encode(servicenow_payload())
    headers = servicenow_headers(body, delivery="sn-1")
    post_webhook("servicenow", body, **headers)
    assert post_webhook("servicenow", body, **headers).json()["result"] == "replay"


def test_a_stale_servicenow_timestamp_answers_401(servicenow, post_webhook):
    body = encode(servicenow_payload())
    response = post_webhook("servicenow", body, **servicenow_headers(body, stamp=int(time.time()) - 301))
    assert response.status_code == 401


def test_a_servicenow_record_without_short_description_answers_400(servicenow, post_webhook):
    payload = servicenow_payload()
    del payload["short_description"]
    body = encode(payload)
    response = post_webhook("servicenow", body, **servicenow_headers(body))
    assert response.status_code == 400
    assert response.json() == {"detail": "short_description is missing.", "code": "invalid"}
    assert refusals() == [(400, "short_description is missing.")]


# --- Generic (Standard Webhooks) ---------------------------------------------------------------------


def test_a_generic_delivery_names_its_business_unit(generic, post_webhook, finance):
    body = encode(generic_payload(business_unit="finance", status="acknowledged"))
    response = post_webhook("helpdesk", body, **generic_headers(body))
    assert response.status_code == 201, response.content
    pain_point = PainPoint.objects.get()
    assert (pain_point.business_unit, pain_point.status, pain_point.severity) == (finance, "acknowledged", 4)


def test_a_generic_delivery_replayed_with_the_same_webhook_id_has_no_effect(generic, post_webhook, finance):
    body = encode(generic_payload(business_unit="finance"))
    headers = generic_headers(body, delivery="msg_1")
    assert post_webhook("helpdesk", body, **headers).status_code == 201
    response = post_webhook("helpdesk", body, **headers)
    assert (response.status_code, response.json()["result"]) == (200, "replay")
    assert PainPoint.objects.count() == 1


def test_a_stale_generic_timestamp_answers_401(generic, post_webhook, finance):
    body = encode(generic_payload(business_unit="finance"))
    response = post_webhook("helpdesk", body, **generic_headers(body, stamp=time.time() - 600))
    assert response.status_code == 401


def test_a_generic_delivery_signed_with_another_key_answers_401(generic, post_webhook, finance):
    body = encode(generic_payload(business_unit="finance"))
    assert post_webhook("helpdesk", body, **generic_headers(body, secret="whsec_c29tZXRoaW5nIGVsc2U=")).status_code == 401


def test_a_generic_ticket_without_a_known_unit_is_accepted_and_parked_not_written(generic, post_webhook):
    body = encode(generic_payload())
    response = post_webhook("helpdesk", body, **generic_headers(body))
    assert response.status_code == 202
    assert response.json()["result"] == "parked"
    assert "Cannot tell which business unit" in response.json()["detail"]
    assert not PainPoint.objects.exists()
    assert list(InboundDelivery.objects.values_list("result", flat=True)) == ["parked"]


def test_the_reporters_unit_is_used_when_the_source_has_none(generic, post_webhook, alice, sales):
    body = encode(generic_payload(reporter_email="ALICE@example.com"))
    assert post_webhook("helpdesk", body, **generic_headers(body)).status_code == 201
    assert PainPoint.objects.get().business_unit == sales


def test_a_generic_severity_out_of_range_answers_400(generic, post_webhook, finance):
    body = encode(generic_payload(business_unit="finance", severity=9))
    response = post_webhook("helpdesk", body, **generic_headers(body))
    assert response.status_code == 400
    assert "severity" in response.json()["detail"]


def test_a_generic_decline_carries_its_note(generic, post_webhook, finance):
    body = encode(generic_payload(business_unit="finance", status="declined", status_note="Covered by the new ERP."))
    post_webhook("helpdesk", body, **generic_headers(body))
    assert PainPoint.objects.get().decline_reason == "Covered by the new ERP."


# --- Shared rules -------------------------------------------------------------------------------------


def test_an_unknown_source_answers_404_and_is_logged(post_webhook, db):
    response = post_webhook("nobody", b"{}")
    assert response.status_code == 404
    assert refusals() == [(404, "There is no enabled integration source named 'nobody'.")]


def test_a_disabled_source_answers_404(jira, post_webhook):
    integration_source_set_enabled(source=jira, enabled=False)
    body = encode(jira_payload())
    assert post_webhook("jira", body, **jira_headers(body)).status_code == 404


def test_malformed_json_answers_400(jira, post_webhook):
    body = b'{"webhookEvent": "jira:issue_created", '
    response = post_webhook("jira", body, **jira_headers(body))
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body is not valid JSON")


def test_a_json_array_answers_400(jira, post_webhook):
    body = b"[1, 2]"
    assert post_webhook("jira", body, **jira_headers(body)).json() == {"detail": "The body must be a JSON object.", "code": "invalid"}


def test_a_jira_issue_without_key_answers_400(jira, post_webhook):
    payload = jira_payload()
    del payload["issue"]["key"]
    body = encode(payload)
    response = post_webhook("jira", body, **jira_headers(body))
    assert (response.status_code, response.json()["detail"]) == (400, "issue.key is missing.")
    assert not PainPoint.objects.exists()


def test_a_rotated_secret_keeps_the_previous_one_valid_during_the_overlap(jira, post_webhook):
    integration_source_rotate_secret(source=jira, secret=NEW_SECRET, overlap_hours=1)
    first = encode(jira_payload(key="OPS-1"))
    assert post_webhook("jira", first, **jira_headers(first)).status_code == 201  # old secret
    second = encode(jira_payload(key="OPS-2"))
    assert post_webhook("jira", second, **jira_headers(second, secret=NEW_SECRET)).status_code == 201


def test_the_previous_secret_is_refused_once_its_overlap_ended(jira, post_webhook):
    integration_source_rotate_secret(source=jira, secret=NEW_SECRET, overlap_hours=1)
    jira.refresh_from_db()
    jira.previous_secret_valid_until = timezone.now() - datetime.timedelta(seconds=1)
    jira.save()
    body = encode(jira_payload())
    assert post_webhook("jira", body, **jira_headers(body)).status_code == 401
    assert post_webhook("jira", body, **jira_headers(body, secret=NEW_SECRET)).status_code == 201


def test_secrets_never_reach_the_audit_log(jira):
    from partnership.models import AuditLogEntry

    integration_source_rotate_secret(source=jira, secret=NEW_SECRET)
    for entry in AuditLogEntry.objects.filter(content_type__model="integrationsource"):
        assert "secret" not in (entry.after or {}) and "previous_secret" not in (entry.after or {})


def test_the_same_ticket_from_two_sources_makes_two_pain_points(jira, sales, post_webhook):
    from partnership.integrations.services import integration_source_add

    from .helpers import SECRET

    integration_source_add(name="jira-eu", kind="jira", secret=SECRET, business_unit=sales)
    body = encode(jira_payload())
    post_webhook("jira", body, **jira_headers(body))
    post_webhook("jira-eu", body, **jira_headers(body))
    assert sorted(PainPoint.objects.values_list("source_system", flat=True)) == ["jira", "jira-eu"]


def test_the_delivery_log_is_for_admins(jira, post_webhook, alice, carla, root):
    body = encode(jira_payload())
    post_webhook("jira", body, **jira_headers(body))
    assert not InboundDelivery.objects.for_user(alice).exists()
    assert InboundDelivery.objects.for_user(carla).count() == 1
    assert InboundDelivery.objects.for_user(root).count() == 1


def test_the_admin_lists_the_delivery_log(jira, post_webhook, client, root):
    body = encode(jira_payload())
    post_webhook("jira", body, **jira_headers(body))
    client.force_login(root)
    response = client.get("/admin/integrations/inbounddelivery/")
    assert response.status_code == 200
    assert b"OPS-1" in response.content
