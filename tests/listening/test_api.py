"""The API: pain points with their workflow actions, the evaluation, listening sessions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listening import services
from listening.choices import PainPointStatus
from listening.models import ListeningSession, PainPoint, Vote
from partnership.integrations.services import integration_source_add

from .factories import ListeningSessionFactory, make_pain_point, make_planned, recommended_options

pytestmark = pytest.mark.django_db

EVALUATION = {
    "summary": "Looked at it.",
    "plan": "Nightly bank import.",
    "options": [
        {"title": "Bank import", "pros": "No typing", "cons": "Contract", "rough_cost": "3000.00", "risk": "low", "recommended": True},
        {"title": "A temp", "risk": "medium"},
    ],
}


def test_a_business_manager_creates_a_pain_point(api, alice, sales):
    response = api(alice).post(
        "/api/v1/pain-points/",
        {"title": "Invoices typed twice", "description": "By hand.", "business_unit": sales.pk, "people_affected": 4, "hours_lost_per_week": "2.5"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "new" and body["source"] == "portal" and body["submitted_by"] == alice.pk
    assert body["estimated_yearly_cost"] == "20700.00"  # 2.5 x 4 x 45 x 46
    assert body["web_url"] == f"/listening/{body['id']}/"


def test_a_ticketing_system_creates_and_finds_its_items_by_external_reference(api, tess, sales):
    integration_source_add(name="jira", kind="jira", secret="a-shared-secret-of-some-length", client=tess)
    client = api(tess)
    payload = {"title": "Printer queue stuck", "description": "OPS-17", "business_unit": sales.pk, "source_system": "jira", "external_ref": "OPS-17"}
    created = client.post("/api/v1/pain-points/", payload)
    assert created.status_code == 201
    assert created.json()["source"] == "ticketing"
    duplicate = client.post("/api/v1/pain-points/", payload)
    assert duplicate.status_code == 400
    assert "external_ref" in duplicate.json()["fields"]
    found = client.get("/api/v1/pain-points/?source_system=jira&external_ref=OPS-17").json()
    assert [p["id"] for p in found["results"]] == [created.json()["id"]]


def test_the_whole_workflow_through_the_api(api, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    client = api(ivan)
    base = f"/api/v1/pain-points/{pain_point.pk}"
    assert client.post(f"{base}/acknowledge/", {"note": "Seen"}).json()["status"] == "acknowledged"
    assert client.post(f"{base}/start-analysis/").json()["status"] == "analysing"
    refused = client.post(f"{base}/plan/")
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"evaluation": ["Write an evaluation with a recommended option before planning."]}
    assert client.get(f"{base}/evaluation/").status_code == 404
    saved = client.put(f"{base}/evaluation/", EVALUATION)
    assert saved.status_code == 200, saved.json()
    assert saved.json()["recommended_option"] == saved.json()["options"][0]["id"]
    assert client.get(f"{base}/evaluation/").json()["plan"] == "Nightly bank import."
    planned = client.post(f"{base}/plan/").json()
    assert planned["status"] == "planned" and planned["plan_note"] == "Nightly bank import."
    assert client.post(f"{base}/resolve/").json()["status"] == "resolved"
    assert client.post(f"{base}/close/").json()["status"] == "closed"
    history = api(alice).get(f"{base}/").json()["status_history"]
    assert [h["to_status"] for h in history] == ["new", "acknowledged", "analysing", "planned", "resolved", "closed"]


def test_resolving_a_new_pain_point_is_a_400_naming_the_status(api, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    response = api(ivan).post(f"/api/v1/pain-points/{pain_point.pk}/resolve/")
    assert response.status_code == 400
    assert response.json()["detail"] == "status: Cannot resolve a pain point that is new: only planned ones can be."
    assert PainPoint.objects.get().status == PainPointStatus.NEW


def test_declining_without_a_reason_is_a_400(api, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    client = api(ivan)
    response = client.post(f"/api/v1/pain-points/{pain_point.pk}/decline/", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    declined = client.post(f"/api/v1/pain-points/{pain_point.pk}/decline/", {"reason": "Out of scope."}).json()
    assert declined["status"] == "declined" and declined["decline_reason"] == "Out of scope."


def test_merging_through_the_api(api, alice, mallory, ivan):
    target = make_pain_point(submitted_by=alice, title="Target")
    duplicate = make_pain_point(submitted_by=mallory, title="Duplicate")
    client = api(ivan)
    assert client.post(f"/api/v1/pain-points/{duplicate.pk}/merge/", {"target": duplicate.pk}).json()["fields"] == {
        "target": ["A pain point cannot be merged into itself."]
    }
    merged = client.post(f"/api/v1/pain-points/{duplicate.pk}/merge/", {"target": target.pk}).json()
    assert merged["status"] == "merged" and merged["merged_into"] == target.pk
    assert client.get(f"/api/v1/pain-points/{target.pk}/").json()["vote_count"] == 1  # mallory's voice
    third = make_pain_point(submitted_by=alice, title="Third")
    response = client.post(f"/api/v1/pain-points/{third.pk}/merge/", {"target": duplicate.pk})
    assert response.status_code == 400 and "merged" in response.json()["fields"]["target"][0]


def test_voting_and_unvoting_through_the_api(api, alice, mallory):
    pain_point = make_pain_point(submitted_by=alice)
    client = api(mallory)
    voted = client.post(f"/api/v1/pain-points/{pain_point.pk}/vote/").json()
    assert voted["vote_count"] == 1 and voted["has_voted"] is True and voted["is_watching"] is True
    twice = client.post(f"/api/v1/pain-points/{pain_point.pk}/vote/")
    assert twice.status_code == 400 and twice.json()["fields"] == {"vote": ["You already voted for this pain point."]}
    assert [p["id"] for p in client.get("/api/v1/pain-points/?voted=true").json()["results"]] == [pain_point.pk]
    assert client.post(f"/api/v1/pain-points/{pain_point.pk}/unvote/").json()["vote_count"] == 0
    assert not Vote.objects.exists()


def test_business_managers_cannot_change_the_status_or_edit_in_the_api(api, alice):
    pain_point = make_pain_point(submitted_by=alice)
    client = api(alice)
    refusals = {
        "acknowledge": "Only IT staff can acknowledge a pain point.",
        "start-analysis": "Only IT staff can start an analysis.",
        "plan": "Only IT staff can plan a pain point.",
        "resolve": "Only IT staff can resolve a pain point.",
        "close": "Only IT staff can close a pain point.",
        "decline": "Only IT staff can decline a pain point.",
        "merge": "Only IT staff can merge pain points.",
    }
    for action, message in refusals.items():
        response = client.post(f"/api/v1/pain-points/{pain_point.pk}/{action}/", {})
        assert response.status_code == 403, action
        # The service's own refusal, the same the page and any other caller get.
        assert response.json()["detail"] == message
    assert client.patch(f"/api/v1/pain-points/{pain_point.pk}/", {"severity": 5}).status_code == 403
    assert client.put(f"/api/v1/pain-points/{pain_point.pk}/evaluation/", EVALUATION).status_code == 403
    assert PainPoint.objects.get().status == PainPointStatus.NEW


def test_it_edits_a_pain_point_but_not_its_status(api, alice, ivan, finance):
    pain_point = make_pain_point(submitted_by=alice)
    client = api(ivan)
    edited = client.patch(f"/api/v1/pain-points/{pain_point.pk}/", {"severity": 5, "business_unit": finance.pk})
    assert edited.status_code == 200 and edited.json()["severity"] == 5
    assert client.patch(f"/api/v1/pain-points/{pain_point.pk}/", {"status": "closed"}).json()["status"] == "new"
    assert client.delete(f"/api/v1/pain-points/{pain_point.pk}/").status_code == 405


def test_the_evaluation_rejects_two_recommended_options(api, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    payload = {"options": [dict(o, recommended=True) for o in recommended_options()]}
    response = api(ivan).post(f"/api/v1/pain-points/{pain_point.pk}/evaluation/", payload)
    assert response.status_code == 400 and response.json()["fields"] == {"options": ["Recommend one option only."]}


def test_the_list_endpoint_has_a_constant_number_of_queries(api, alice, mallory, ivan, django_assert_num_queries):
    for i in range(10):
        make_planned(make_pain_point(submitted_by=mallory, title=f"Pain {i}"), ivan) if i % 3 == 0 else make_pain_point(submitted_by=alice, title=f"Pain {i}")
    client = api(alice)
    client.get("/api/v1/pain-points/")  # the token records its first use once
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/pain-points/?page_size=100").json()["count"] == 10
    for i in range(190):
        make_pain_point(submitted_by=mallory, title=f"More {i}")
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/pain-points/?page_size=100").json()["count"] == 200


def test_listening_sessions_in_the_api(api, ivan, alice, sales, finance):
    client = api(ivan)
    created = client.post(
        "/api/v1/listening-sessions/",
        {"kind": "front_line_day", "title": "A day in the shop", "held_on": "2025-03-03", "business_unit": sales.pk, "business_attendees": [alice.pk]},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["it_attendees"] == [ivan.pk] and body["business_attendees"] == [alice.pk]
    make_pain_point(submitted_by=ivan, business_unit=sales, listening_session=ListeningSession.objects.get())
    assert client.get(f"/api/v1/listening-sessions/{body['id']}/").json()["pain_points"] != []
    ListeningSessionFactory(business_unit=finance)
    assert api(alice).get("/api/v1/listening-sessions/").json()["count"] == 1
    assert api(alice).post("/api/v1/listening-sessions/", {"kind": "other", "title": "x", "held_on": "2025-03-03", "business_unit": sales.pk}).status_code == 403
    assert client.get(f"/api/v1/listening-sessions/?business_unit={finance.pk}").json()["count"] == 1


def test_the_sessions_endpoint_has_a_constant_number_of_queries(api, ivan, alice, sales, django_assert_num_queries):
    for _ in range(3):
        ListeningSessionFactory(business_unit=sales).business_attendees.add(alice)
    client = api(ivan)
    client.get("/api/v1/listening-sessions/")  # the token records its first use once
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/listening-sessions/")
    for _ in range(20):
        session = ListeningSessionFactory(business_unit=sales)
        session.business_attendees.add(alice)
        services.pain_point_create(submitted_by=ivan, business_unit=sales, title="From session", description="d", listening_session=session)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/api/v1/listening-sessions/")
