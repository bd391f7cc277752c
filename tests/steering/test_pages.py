"""The steering pages: what each role sees and may do, refusals on the page, and query counts."""

import datetime

import pytest
from django.utils import timezone

from steering.choices import DecisionStatus, Stance
from steering.models import ActionItem, Attendance, Committee, Decision, Meeting, Position, Registration

from ..factories import UserFactory
from . import factories
from .conftest import member
from .factories import days

pytestmark = pytest.mark.django_db


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def test_the_landing_page_shows_what_waits_for_each_person(client, committee, alice, ivan):
    decision = factories.DecisionFactory(committee=committee, title="Phones for e-mail")
    factories.MeetingFactory(committee=committee, title="Spring review", starts_at=days(5))
    factories.EventFactory(title="Meet your IT procurement guy", starts_at=days(3))
    html = page(client, alice, "/steering/")
    assert "Phones for e-mail" in html and decision.get_absolute_url() in html
    assert "Spring review" in html
    assert "Meet your IT procurement guy" in html
    assert "no data" in html  # no measure invented from nothing
    assert "New committee" not in html
    assert "New committee" in page(client, ivan, "/steering/")


def test_every_page_renders_for_the_chair(client, committee, chris, alice):
    meeting = factories.MeetingFactory(committee=committee)
    decision = factories.DecisionFactory(committee=committee, meeting=meeting)
    event = factories.EventFactory(host=chris)
    factories.ActionItemFactory(meeting=meeting, owner=alice)
    for url in [
        "/steering/", "/steering/committees/", committee.get_absolute_url(), f"/steering/committees/{committee.pk}/edit/",
        f"/steering/committees/{committee.pk}/meetings/new/", f"/steering/committees/{committee.pk}/decisions/new/",
        "/steering/meetings/", meeting.get_absolute_url(), f"/steering/meetings/{meeting.pk}/edit/",
        "/steering/action-items/?state=all", "/steering/decisions/", decision.get_absolute_url(),
        f"/steering/decisions/{decision.pk}/edit/", "/steering/events/?when=all", event.get_absolute_url(),
        f"/steering/events/{event.pk}/edit/",
    ]:
        page(client, chris, url)


def test_a_committee_page_lists_members_next_meeting_and_decisions(client, committee, alice):
    factories.MeetingFactory(committee=committee, title="Next one", starts_at=days(3))
    factories.DecisionFactory(committee=committee, title="Open question")
    html = page(client, alice, committee.get_absolute_url())
    for text in ("Chris", "Bert", "Observer", "Next one", "Open question"):
        assert text in html
    assert "Schedule a meeting" not in html  # a member, not the chair


def test_another_units_manager_sees_no_committee_content(client, committee, mallory):
    meeting = factories.MeetingFactory(committee=committee)
    decision = factories.DecisionFactory(committee=committee)
    item = factories.ActionItemFactory(meeting=meeting)
    for url in (committee.get_absolute_url(), meeting.get_absolute_url(), decision.get_absolute_url()):
        page(client, mallory, url, status=404)
    client.force_login(mallory)
    assert client.post(f"/steering/action-items/{item.pk}/done/").status_code == 404
    assert "BYOD steering committee" not in page(client, mallory, "/steering/committees/")
    assert decision.title not in page(client, mallory, "/steering/decisions/")


def test_a_closed_decision_is_visible_to_all_staff_but_not_its_committee(client, committee, mallory, tess):
    decision = factories.DecisionFactory(committee=committee, status=DecisionStatus.CLOSED, outcome="Allowed.", decided_at=timezone.localdate())
    html = page(client, mallory, decision.get_absolute_url())
    assert "Allowed." in html
    assert committee.get_absolute_url() not in html
    assert decision.title in page(client, mallory, "/steering/decisions/")
    page(client, mallory, committee.get_absolute_url(), status=404)
    page(client, tess, decision.get_absolute_url(), status=404)  # an integration account is not staff


def test_it_staff_and_the_cio_see_every_committee(client, committee, ivan, carla):
    other = factories.CommitteeFactory(name="Outsourcing board")
    assert "Outsourcing board" in page(client, carla, "/steering/committees/")
    page(client, ivan, other.get_absolute_url())


def test_only_it_creates_committees_and_events(client, alice, ivan):
    page(client, alice, "/steering/committees/new/", status=403)
    page(client, alice, "/steering/events/new/", status=403)
    client.force_login(ivan)
    response = client.post("/steering/committees/new/", {"name": "Data board", "scope": "data", "cadence": "monthly", "is_active": "on"})
    assert response.status_code == 302
    assert Committee.objects.filter(name="Data board").exists()


def test_a_member_who_is_not_chair_cannot_schedule_or_close(client, committee, alice):
    decision = factories.DecisionFactory(committee=committee)
    page(client, alice, f"/steering/committees/{committee.pk}/meetings/new/", status=403)
    assert client.post(f"/steering/decisions/{decision.pk}/close/", {"outcome": "Mine."}).status_code == 403
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.OPEN


def test_the_chair_schedules_a_meeting_and_records_it(client, committee, chris, alice, bert, ivan):
    client.force_login(chris)
    response = client.post(
        f"/steering/committees/{committee.pk}/meetings/new/",
        {"title": "March review", "starts_at": "2030-03-10T10:00", "place": "Board room", "agenda": "Figures\nDecisions"},
    )
    meeting = Meeting.objects.get(title="March review")
    assert response["Location"] == meeting.get_absolute_url()
    data = {f"member_{alice.pk}": "present", f"member_{bert.pk}": "excused", f"member_{ivan.pk}": ""}
    assert client.post(f"/steering/meetings/{meeting.pk}/attendance/", data).status_code == 302
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    client.post(f"/steering/meetings/{meeting.pk}/minutes/", {"minutes": "All good."})
    client.post(f"/steering/meetings/{meeting.pk}/agenda/", {"title": "Any other business"})
    response = client.post(
        f"/steering/meetings/{meeting.pk}/action-items/", {"title": "Send figures", "owner": bert.pk, "due_date": "2030-03-20"}
    )
    assert response.status_code == 302
    html = page(client, alice, meeting.get_absolute_url())
    for text in ("Figures", "Any other business", "All good.", "Send figures", "Present", "Excused"):
        assert text in html


def test_an_action_item_due_before_the_meeting_is_refused_on_the_page(client, committee, chris, bert):
    meeting = factories.MeetingFactory(committee=committee, starts_at=days(-1))
    client.force_login(chris)
    early = (meeting.local_date - datetime.timedelta(days=3)).isoformat()
    response = client.post(f"/steering/meetings/{meeting.pk}/action-items/", {"title": "X", "owner": bert.pk, "due_date": early})
    assert response.status_code == 400
    assert "cannot be due before its meeting" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_the_owner_marks_an_action_item_done_but_nobody_else(client, committee, alice, bert):
    item = factories.ActionItemFactory(meeting=factories.MeetingFactory(committee=committee), owner=alice)
    client.force_login(bert)
    assert client.post(f"/steering/action-items/{item.pk}/done/").status_code == 403
    client.force_login(alice)
    assert client.post(f"/steering/action-items/{item.pk}/done/").status_code == 302
    assert ActionItem.objects.get(pk=item.pk).done_at is not None


def test_members_take_positions_and_the_chair_closes(client, committee, chris, alice, bert, olga):
    decision = factories.DecisionFactory(committee=committee)
    client.force_login(alice)
    client.post(f"/steering/decisions/{decision.pk}/position/", {"stance": "support"})
    client.force_login(bert)
    client.post(f"/steering/decisions/{decision.pk}/position/", {"stance": "oppose", "comment": "Too costly for us."})
    html = page(client, olga, decision.get_absolute_url())
    assert "observers do not take positions" in html
    response = client.post(f"/steering/decisions/{decision.pk}/position/", {"stance": "support"})
    assert response.status_code == 400
    assert "Observers follow the committee" in response.content.decode()
    client.force_login(chris)
    assert client.post(f"/steering/decisions/{decision.pk}/close/", {"outcome": "Allowed."}).status_code == 302
    client.force_login(alice)
    response = client.post(f"/steering/decisions/{decision.pk}/position/", {"stance": "oppose"})
    assert response.status_code == 400
    assert "positions can no longer be recorded" in response.content.decode()
    html = page(client, alice, "/steering/decisions/")
    assert "Too costly for us." in html  # dissent stays visible
    assert "No business buy-in" in html  # one of two business positions supports: below two thirds
    assert Position.objects.get(member=member(committee, alice)).stance == Stance.SUPPORT


def test_the_register_filters_by_topic_buy_in_and_review(client, committee, alice, bert, chris):
    today = timezone.localdate()
    backed = factories.DecisionFactory(committee=committee, title="Backed", status="closed", outcome="x", decided_at=today,
                             review_date=today + datetime.timedelta(days=5))
    factories.PositionFactory(decision=backed, member=member(committee, alice))
    disputed = factories.DecisionFactory(committee=committee, title="Disputed", topic="data")
    factories.PositionFactory(decision=disputed, member=member(committee, bert), stance=Stance.OPPOSE)
    factories.DecisionFactory(committee=committee, title="Silent")

    def titles(query):
        html = page(client, chris, f"/steering/decisions/?{query}")
        return {t for t in ("Backed", "Disputed", "Silent") if f">{t}</a>" in html}

    assert titles("") == {"Backed", "Disputed", "Silent"}
    assert titles("buy_in=yes") == {"Backed"}
    assert titles("buy_in=no") == {"Disputed"}
    assert titles("buy_in=none") == {"Silent"}
    assert titles("topic=data") == {"Disputed"}
    assert titles("review_due=1") == {"Backed"}
    assert titles("q=silent") == {"Silent"}


def test_registering_on_the_events_page(client, alice):
    event = factories.EventFactory(title="IT open day", capacity=1)
    client.force_login(alice)
    client.post(f"/steering/events/{event.pk}/register/")
    assert Registration.objects.filter(event=event, user=alice).exists()
    response = client.post(f"/steering/events/{event.pk}/register/", follow=True)
    assert "already registered" in response.content.decode()
    assert "You are registered" in page(client, alice, "/steering/events/")
    client.post(f"/steering/events/{event.pk}/unregister/")
    assert not Registration.objects.exists()


def test_the_host_records_attendance_and_attendees_rate(client, alice, mallory, ivan):
    event = factories.EventFactory(host=ivan, starts_at=days(-1))
    factories.RegistrationFactory(event=event, user=alice)
    factories.RegistrationFactory(event=event, user=mallory)
    client.force_login(alice)
    assert client.post(f"/steering/events/{event.pk}/attendance/", {"attendees": [alice.pk]}).status_code == 403
    client.force_login(ivan)
    assert client.post(f"/steering/events/{event.pk}/attendance/", {"attendees": [alice.pk]}).status_code == 302
    client.force_login(alice)
    assert client.post(f"/steering/events/{event.pk}/rate/", {"rating": 5, "comment": "Great"}).status_code == 302
    client.force_login(mallory)
    response = client.post(f"/steering/events/{event.pk}/rate/", {"rating": 5})
    assert response.status_code == 400
    assert "Only people who attended" in response.content.decode()
    html = page(client, ivan, event.get_absolute_url())
    assert "Great" in html and "5 / 5" in html


def _grow(committee, n):
    for _ in range(n):
        user = UserFactory()
        m = factories.MembershipFactory(committee=committee, user=user)
        meeting = factories.MeetingFactory(committee=committee)
        factories.AttendanceFactory(meeting=meeting, member=m)
        factories.ActionItemFactory(meeting=meeting, owner=user)
        decision = factories.DecisionFactory(committee=committee)
        factories.PositionFactory(decision=decision, member=m)
        event = factories.EventFactory()
        factories.RegistrationFactory(event=event, user=user)
        factories.CommitteeFactory()


LIST_PAGES = ["/steering/", "/steering/committees/", "/steering/meetings/", "/steering/decisions/",
              "/steering/action-items/?state=all", "/steering/events/?when=all"]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_run_a_constant_number_of_queries(client, committee, ivan, url, django_assert_num_queries):
    _grow(committee, 1)
    client.force_login(ivan)
    client.get(url)
    with django_assert_num_queries(40, exact=False) as small:
        assert client.get(url).status_code == 200
    _grow(committee, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_detail_pages_run_a_constant_number_of_queries(client, committee, chris, django_assert_num_queries):
    meeting = factories.MeetingFactory(committee=committee)
    decision = factories.DecisionFactory(committee=committee, meeting=meeting)
    event = factories.EventFactory(starts_at=days(-1), host=chris)
    urls = [committee.get_absolute_url(), meeting.get_absolute_url(), decision.get_absolute_url(), event.get_absolute_url()]
    client.force_login(chris)
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_num_queries(40, exact=False) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    for _ in range(6):
        user = UserFactory()
        m = factories.MembershipFactory(committee=committee, user=user)
        factories.AttendanceFactory(meeting=meeting, member=m)
        factories.ActionItemFactory(meeting=meeting, owner=user)
        factories.PositionFactory(decision=decision, member=m)
        factories.RegistrationFactory(event=event, user=user, attended_at=days(-1), rating=4)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            client.get(url)
