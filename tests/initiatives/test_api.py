"""/api/v1/initiatives/ with its actions, risks and milestones endpoints."""

import datetime

import pytest

from initiatives.choices import InitiativeStatus, Origin
from initiatives.models import Initiative, Milestone, Risk, RiskAcceptance
from listening.choices import PainPointStatus

from ..listening.factories import make_pain_point
from .factories import make_approved, make_in_progress, make_initiative, make_proposed, reload

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today
URL = "/api/v1/initiatives/"


def _payload(sponsor, **extra):
    data = {
        "title": "Hosted BI for Sales",
        "problem": "Reports by hand.",
        "proposal": "Hosted BI.",
        "alternative_considered": "Cloud service instead of a server cluster.",
        "origin": Origin.IT_PROPOSED,
        "sponsor": sponsor.pk,
        "one_off_cost": "12000.00",
        "yearly_running_cost": "2400.00",
        "fte": "1.00",
        "start_date": TODAY().isoformat(),
        "target_date": (TODAY() + datetime.timedelta(days=60)).isoformat(),
    }
    data.update(extra)
    return data


def test_it_staff_create_an_initiative(api, ivan, alice, sales):
    response = api(ivan).post(URL, _payload(alice), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "idea" and body["it_owner"] == ivan.pk and body["business_units"] == [sales.pk]
    assert body["one_off_cost"] == "12000.00"
    assert [d["kind"] for d in body["decision_record"]] == ["created"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"one_off_cost": "-5"}, "one_off_cost"),
        ({"yearly_running_cost": "-5"}, "yearly_running_cost"),
        ({"start_date": "2030-05-02", "target_date": "2030-05-01"}, "target_date"),
        ({"origin": Origin.PAIN_POINTS}, "pain_points"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_nothing_is_created(api, ivan, alice, extra, field):
    response = api(ivan).post(URL, _payload(alice, **extra), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Initiative.objects.exists()


def test_a_business_manager_cannot_create_403(api, alice):
    assert api(alice).post(URL, _payload(alice), format="json").status_code == 403


def test_the_full_journey_through_the_api(api, ivan, alice, carla):
    first, second = make_pain_point(submitted_by=alice, title="One"), make_pain_point(submitted_by=alice, title="Two")
    it, cio, sponsor = api(ivan), api(carla), api(alice)
    created = it.post(URL, _payload(alice, origin=Origin.PAIN_POINTS, pain_points=[first.pk, second.pk]), format="json").json()
    pk = created["id"]
    assert it.post(f"{URL}{pk}/propose/", {}, format="json").json()["status"] == "proposed"
    assert it.post(f"{URL}{pk}/evaluate/", {}, format="json").json()["status"] == "evaluating"
    risk = it.post("/api/v1/initiative-risks/", {"initiative": pk, "description": "Load", "probability": 4, "impact": 5}, format="json")
    assert risk.status_code == 201 and risk.json()["score"] == 20
    refused = cio.post(f"{URL}{pk}/approve/", {}, format="json")
    assert refused.status_code == 400 and "risk_acceptance" in refused.json()["fields"]
    assert sponsor.post(f"{URL}{pk}/confirm-business-case/", {"note": "Yes"}, format="json").status_code == 200
    accepted = sponsor.post(f"{URL}{pk}/accept-risk/", {"statement": "We take it."}, format="json")
    assert accepted.status_code == 201 and accepted.json()["accepted_as"] == "sponsor"
    approved = cio.post(f"{URL}{pk}/approve/", {"note": "YES"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == second.status == PainPointStatus.PLANNED
    milestone = it.post("/api/v1/initiative-milestones/", {"initiative": pk, "title": "Pilot", "due_on": TODAY().isoformat()}, format="json")
    assert milestone.status_code == 201
    assert it.post(f"/api/v1/initiative-milestones/{milestone.json()['id']}/done/", {}, format="json").json()["done_on"] == TODAY().isoformat()
    benefit = sponsor.post(f"{URL}{pk}/benefits/", {"description": "Same-day reports", "expected_amount": "9000"}, format="json")
    assert benefit.status_code == 201
    assert it.post(f"{URL}{pk}/start/", {}, format="json").json()["status"] == "in_progress"
    assert it.post(f"{URL}{pk}/deliver/", {}, format="json").json()["status"] == "delivered"
    missing = sponsor.post(f"{URL}{pk}/review-benefits/", {"summary": "ok"}, format="json")
    assert missing.status_code == 400 and "realised" in missing.json()["fields"]
    reviewed = sponsor.post(
        f"{URL}{pk}/review-benefits/",
        {"summary": "ok", "realised": [{"benefit": benefit.json()["id"], "realised": "Done", "realised_amount": "8000"}]},
        format="json",
    )
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "benefits_reviewed"
    assert reviewed.json()["benefits"][0]["realised_amount"] == "8000.00"


def test_delivering_before_approval_is_a_400(api, ivan, alice):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    response = api(ivan).post(f"{URL}{initiative.pk}/deliver/", {}, format="json")
    assert response.status_code == 400 and "must be approved" in response.json()["detail"]
    assert reload(initiative).status == InitiativeStatus.PROPOSED


def test_rejecting_needs_a_reason(api, ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    assert api(carla).post(f"{URL}{initiative.pk}/reject/", {}, format="json").json()["fields"].keys() == {"reason"}
    response = api(carla).post(f"{URL}{initiative.pk}/reject/", {"reason": "Not now."}, format="json")
    assert response.json()["status"] == "rejected" and response.json()["closing_reason"] == "Not now."


def test_cancel_needs_a_reason(api, ivan, alice, carla):
    initiative = make_in_progress(actor=ivan, sponsor=alice, cio=carla)
    assert api(ivan).post(f"{URL}{initiative.pk}/cancel/", {"reason": ""}, format="json").status_code == 400
    assert api(ivan).post(f"{URL}{initiative.pk}/cancel/", {"reason": "Vendor gone."}, format="json").json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("who", "action", "data"),
    [
        ("ivan", "approve", {}),
        ("ivan", "reject", {"reason": "x"}),
        ("ivan", "accept-risk", {"statement": "x"}),
        ("alice", "approve", {}),
        ("alice", "propose", {}),
        ("alice", "evaluate", {}),
        ("alice", "cancel", {"reason": "x"}),
        ("carla", "confirm-business-case", {}),
    ],
)
def test_an_action_a_role_may_not_take_is_403_and_changes_nothing(api, ivan, alice, carla, who, action, data):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    user = {"ivan": ivan, "alice": alice, "carla": carla}[who]
    response = api(user).post(f"{URL}{initiative.pk}/{action}/", data, format="json")
    assert response.status_code == 403
    assert reload(initiative).status == InitiativeStatus.IDEA
    assert not RiskAcceptance.objects.exists()


def test_risks_outside_1_to_5_are_a_400(api, ivan, alice):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    response = api(ivan).post("/api/v1/initiative-risks/", {"initiative": initiative.pk, "description": "x", "probability": 6, "impact": 0}, format="json")
    assert response.status_code == 400 and {"probability", "impact"} <= response.json()["fields"].keys()
    assert not Risk.objects.exists()


def test_a_business_manager_cannot_add_risks_or_milestones(api, ivan, alice):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    client = api(alice)
    assert client.post("/api/v1/initiative-risks/", {"initiative": initiative.pk, "description": "x", "probability": 2, "impact": 2}, format="json").status_code == 403
    assert client.post("/api/v1/initiative-milestones/", {"initiative": initiative.pk, "title": "x", "due_on": TODAY().isoformat()}, format="json").status_code == 403
    assert not Milestone.objects.exists()


def test_another_units_initiative_is_404_in_the_api(api, ivan, alice, mallory):
    initiative = make_proposed(actor=ivan, sponsor=mallory)
    client = api(alice)
    assert client.get(f"{URL}{initiative.pk}/").status_code == 404
    assert client.post(f"{URL}{initiative.pk}/comments/", {"body": "hi"}, format="json").status_code == 404
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"/api/v1/initiative-risks/?initiative={initiative.pk}").json()["count"] == 0


def test_filters(api, ivan, alice, mallory, carla, finance):
    make_approved(actor=ivan, sponsor=alice, cio=carla, title="Approved one")
    make_initiative(actor=ivan, sponsor=mallory, title="Finance idea")
    client = api(ivan)
    assert [i["title"] for i in client.get(URL, {"status": "approved"}).json()["results"]] == ["Approved one"]
    assert [i["title"] for i in client.get(URL, {"business_unit": finance.pk}).json()["results"]] == ["Finance idea"]
    assert client.get(URL, {"it_owner": ivan.pk}).json()["count"] == 2
    assert client.get(URL, {"overdue": "true"}).json()["count"] == 0
    assert [i["title"] for i in client.get(URL, {"search": "Finance"}).json()["results"]] == ["Finance idea"]


def test_the_list_endpoint_has_a_constant_number_of_queries(api, ivan, alice, carla, django_assert_num_queries):
    client = api(alice)
    make_approved(actor=ivan, sponsor=alice, cio=carla, origin=Origin.PAIN_POINTS, pain_points=[make_pain_point(submitted_by=alice)])
    client.get(URL)
    with django_assert_num_queries(6) as small:
        client.get(URL)
    for i in range(10):
        make_proposed(actor=ivan, sponsor=alice, title=f"I{i}", origin=Origin.PAIN_POINTS, pain_points=[make_pain_point(submitted_by=alice, title=f"P{i}")])
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 11
