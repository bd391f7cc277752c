"""The steering API: endpoints, actions, refusals (400), roles (403), visibility (404), query counts."""

import datetime

import pytest
from django.utils import timezone

from partnership.notifications.models import Notification
from steering.choices import DecisionStatus, Stance
from steering.models import ActionItem, Attendance, Committee, Decision, Event, Meeting, Position, Registration

from ..factories import UserFactory
from . import factories
from .conftest import member
from .factories import days

pytestmark = pytest.mark.django_db


def test_it_creates_a_committee_and_adds_members(api, ivan, alice, bert):
    client = api(ivan)
    response = client.post("/api/v1/committees/", {"name": "BYOD", "scope": "byod", "cadence": "monthly"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    added = client.post(f"/api/v1/committees/{pk}/add-member/", {"user": alice.pk, "role": "chair"}, format="json")
    assert added.status_code == 201
    assert added.json()["side"] == "business"
    again = client.post(f"/api/v1/committees/{pk}/add-member/", {"user": alice.pk}, format="json")
    assert again.status_code == 400
    assert "already a member" in again.json()["fields"]["user"][0]
    members = client.get(f"/api/v1/committees/{pk}/").json()["members"]
    assert [m["user"] for m in members] == [alice.pk]


def test_a_business_manager_cannot_create_a_committee(api, alice):
    response = api(alice).post("/api/v1/committees/", {"name": "Mine", "scope": "byod"}, format="json")
    assert response.status_code == 403
    assert "IT staff" in response.json()["detail"]
    assert not Committee.objects.exists()


def test_committee_content_is_404_for_outsiders(api, committee, mallory):
    meeting = factories.MeetingFactory(committee=committee)
    decision = factories.DecisionFactory(committee=committee)
    item = factories.ActionItemFactory(meeting=meeting)
    client = api(mallory)
    for url in (f"/api/v1/committees/{committee.pk}/", f"/api/v1/meetings/{meeting.pk}/",
                f"/api/v1/decisions/{decision.pk}/", f"/api/v1/action-items/{item.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/api/v1/decisions/{decision.pk}/position/", {"stance": "support"}, format="json").status_code == 404
    assert client.get("/api/v1/committees/").json()["count"] == 0
    assert not Position.objects.exists()


def test_the_chair_schedules_a_meeting_and_members_are_notified(api, committee, chris, alice, mallory):
    client = api(chris)
    response = client.post(
        "/api/v1/meetings/",
        {"committee": committee.pk, "title": "April", "starts_at": days(10).isoformat(), "agenda": ["Figures", "AOB"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [a["title"] for a in body["agenda_items"]] == ["Figures", "AOB"]
    assert Notification.objects.filter(recipient=alice, kind="steering.meeting_scheduled").exists()
    # Someone outside the committee cannot point at it: 400 (invisible), not a leak.
    response = api(mallory).post(
        "/api/v1/meetings/", {"committee": committee.pk, "title": "X", "starts_at": days(1).isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert Meeting.objects.count() == 1


def test_minutes_given_when_a_past_meeting_is_recorded_are_kept(api, committee, chris):
    response = api(chris).post(
        "/api/v1/meetings/",
        {"committee": committee.pk, "title": "March", "starts_at": days(-3).isoformat(), "minutes": "Agreed the MDM pilot."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["minutes"] == "Agreed the MDM pilot."
    assert Meeting.objects.get(title="March").minutes == "Agreed the MDM pilot."


def test_a_member_who_is_not_chair_gets_403_on_managing_actions(api, committee, alice):
    meeting = factories.MeetingFactory(committee=committee)
    decision = factories.DecisionFactory(committee=committee)
    client = api(alice)
    response = client.post("/api/v1/meetings/", {"committee": committee.pk, "title": "X", "starts_at": days(1).isoformat()}, format="json")
    assert response.status_code == 403
    assert "chair" in response.json()["detail"]
    assert client.post(f"/api/v1/decisions/{decision.pk}/close/", {"outcome": "x"}, format="json").status_code == 403
    assert client.post(f"/api/v1/meetings/{meeting.pk}/attendance/", {"attendance": [{"user": alice.pk, "status": "present"}]}, format="json").status_code == 403
    assert Decision.objects.get().status == DecisionStatus.OPEN
    assert not Attendance.objects.exists()


def test_attendance_and_its_refusal_for_a_non_member(api, committee, chris, alice, mallory):
    meeting = factories.MeetingFactory(committee=committee)
    client = api(chris)
    url = f"/api/v1/meetings/{meeting.pk}/attendance/"
    response = client.post(url, {"attendance": [{"user": alice.pk, "status": "present"}]}, format="json")
    assert response.status_code == 200
    assert response.json()["attendance"] == [{"user": alice.pk, "side": "business", "status": "present"}]
    response = client.post(url, {"attendance": [{"user": mallory.pk, "status": "present"}]}, format="json")
    assert response.status_code == 400
    assert "is not a member" in response.json()["fields"]["user"][0]
    assert Attendance.objects.count() == 1


def test_action_items_by_api(api, committee, chris, alice, bert):
    meeting = factories.MeetingFactory(committee=committee, starts_at=days(-2))
    client = api(chris)
    early = (meeting.local_date - datetime.timedelta(days=1)).isoformat()
    response = client.post("/api/v1/action-items/", {"meeting": meeting.pk, "title": "X", "owner": alice.pk, "due_date": early}, format="json")
    assert response.status_code == 400
    assert "before its meeting" in response.json()["fields"]["due_date"][0]
    due = (meeting.local_date + datetime.timedelta(days=1)).isoformat()
    response = client.post("/api/v1/action-items/", {"meeting": meeting.pk, "title": "Send figures", "owner": alice.pk, "due_date": due}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api(bert).post(f"/api/v1/action-items/{pk}/done/").status_code == 403
    assert api(alice).post(f"/api/v1/action-items/{pk}/done/").json()["done_at"] is not None
    assert api(alice).post(f"/api/v1/action-items/{pk}/done/").status_code == 400
    assert api(chris).get("/api/v1/action-items/?state=overdue").json()["count"] == 0


def test_decisions_positions_and_close_by_api(api, committee, chris, alice, bert, olga, mallory):
    client = api(chris)
    response = client.post("/api/v1/decisions/", {"committee": committee.pk, "title": "Phones", "topic": "byod", "context": "Why"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["has_business_buy_in"] is None
    url = f"/api/v1/decisions/{pk}/position/"
    assert api(alice).post(url, {"stance": "support"}, format="json").status_code == 200
    body = api(bert).post(url, {"stance": "support_with_concerns", "comment": "Keep it simple."}, format="json").json()
    assert body["has_business_buy_in"] is True
    assert {p["user_name"] for p in body["positions"]} >= {"Alice " + alice.last_name}
    refused = api(olga).post(url, {"stance": "support"}, format="json")
    assert refused.status_code == 400
    assert "Observers" in refused.json()["fields"]["member"][0]
    assert api(mallory).post(url, {"stance": "support"}, format="json").status_code == 404
    assert client.post(f"/api/v1/decisions/{pk}/close/", {"outcome": ""}, format="json").status_code == 400
    closed = client.post(f"/api/v1/decisions/{pk}/close/", {"outcome": "Allowed with MDM."}, format="json")
    assert closed.json()["status"] == "closed"
    late = api(alice).post(url, {"stance": "oppose"}, format="json")
    assert late.status_code == 400
    assert "closed" in late.json()["fields"]["decision"][0]
    # Closed: visible to all staff, with every position.
    seen = api(mallory).get(f"/api/v1/decisions/{pk}/").json()
    assert len(seen["positions"]) == 2
    assert api(mallory).get("/api/v1/decisions/?buy_in=yes").json()["count"] == 1
    assert api(mallory).get("/api/v1/decisions/?buy_in=no").json()["count"] == 0


def test_the_decision_filters(api, committee, ivan, alice):
    today = timezone.localdate()
    backed = factories.DecisionFactory(committee=committee, topic="data", status="closed", outcome="x", decided_at=today, review_date=today)
    factories.PositionFactory(decision=backed, member=member(committee, alice))
    factories.DecisionFactory(committee=committee, topic="byod")
    client = api(ivan)
    assert client.get("/api/v1/decisions/?topic=data").json()["count"] == 1
    assert client.get("/api/v1/decisions/?review_due=true").json()["count"] == 1
    assert client.get("/api/v1/decisions/?buy_in=none").json()["count"] == 1
    assert client.get("/api/v1/decisions/?status=open").json()["count"] == 1


def test_events_register_unregister_attend_and_rate(api, ivan, alice, mallory):
    client = api(ivan)
    response = client.post("/api/v1/events/", {"kind": "informal", "title": "Meet your IT procurement guy", "starts_at": days(5).isoformat(), "capacity": 1}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["host"] == ivan.pk
    assert api(alice).post("/api/v1/events/", {"kind": "workshop", "title": "X", "starts_at": days(5).isoformat()}, format="json").status_code == 403
    assert api(alice).post(f"/api/v1/events/{pk}/register/").status_code == 201
    twice = api(alice).post(f"/api/v1/events/{pk}/register/")
    assert twice.status_code == 400 and "already registered" in twice.json()["detail"]
    full = api(mallory).post(f"/api/v1/events/{pk}/register/")
    assert full.status_code == 400 and "full" in full.json()["detail"]
    assert api(alice).get(f"/api/v1/events/{pk}/").json()["is_registered"] is True
    assert api(alice).post(f"/api/v1/events/{pk}/unregister/").status_code == 204
    past = factories.EventFactory(starts_at=days(-1), host=ivan)
    late = api(alice).post(f"/api/v1/events/{past.pk}/register/")
    assert late.status_code == 400 and "already taken place" in late.json()["detail"]
    factories.RegistrationFactory(event=past, user=alice)
    assert api(alice).post(f"/api/v1/events/{past.pk}/attend/", {"user": alice.pk}, format="json").status_code == 403
    assert api(alice).post(f"/api/v1/events/{past.pk}/rate/", {"rating": 5}, format="json").status_code == 400
    assert client.post(f"/api/v1/events/{past.pk}/attend/", {"user": alice.pk}, format="json").json()["attended_at"]
    assert api(alice).post(f"/api/v1/events/{past.pk}/rate/", {"rating": 6}, format="json").status_code == 400
    rated = api(alice).post(f"/api/v1/events/{past.pk}/rate/", {"rating": 4, "comment": "Good"}, format="json")
    assert rated.json()["rating"] == 4
    assert Registration.objects.get(event=past, user=alice).rating == 4
    listed = api(mallory).get("/api/v1/events/?when=past").json()["results"]
    assert listed[0]["average_rating"] == 4.0


def test_events_are_not_visible_to_an_integration_account(api, tess):
    factories.EventFactory()
    assert api(tess).get("/api/v1/events/").json()["count"] == 0
    assert Event.objects.count() == 1


def _grow(committee, n):
    for _ in range(n):
        user = UserFactory()
        m = factories.MembershipFactory(committee=committee, user=user)
        meeting = factories.MeetingFactory(committee=committee)
        factories.ActionItemFactory(meeting=meeting, owner=user)
        decision = factories.DecisionFactory(committee=committee, meeting=meeting)
        factories.PositionFactory(decision=decision, member=m, stance=Stance.OPPOSE)
        event = factories.EventFactory()
        event.audience_units.set([user.business_unit] if user.business_unit else [])
        factories.RegistrationFactory(event=event, user=user)
        factories.CommitteeFactory()


@pytest.mark.parametrize("url", ["/api/v1/committees/", "/api/v1/meetings/", "/api/v1/decisions/",
                                 "/api/v1/action-items/", "/api/v1/events/"])
def test_list_endpoints_run_a_constant_number_of_queries(api, committee, ivan, url, django_assert_num_queries):
    client = api(ivan)
    _grow(committee, 1)
    client.get(url)
    with django_assert_num_queries(20, exact=False) as small:
        assert client.get(url).status_code == 200
    _grow(committee, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    assert ActionItem.objects.count() == 9
