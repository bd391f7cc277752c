"""What waits for me (partnership/agenda.py): each role's home page and GET /api/v1/me/agenda/."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives import planning
from initiatives import services as initiative_services
from listening import services as listening_services
from listening.models import PainPoint
from partnership.agenda import agenda_for
from partnership.extramile import services as extramile_services
from partnership.extramile.models import CheckIn, ResolutionSurvey
from partnership.models import User
from partnership.roles import Role
from partnership.score.models import ScoreSnapshot
from partnership.services import home_visit_record
from steering import services as steering_services
from steering.choices import MemberRole, Side, Stance

from ..extramile.factories import log_action, make_resolved, record_window
from ..factories import UserFactory
from ..initiatives.factories import make_initiative, make_proposed
from ..listening.factories import make_pain_point
from ..steering.factories import ActionItemFactory, CommitteeFactory, DecisionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def titles(user, since=None):
    return [item.title for item in agenda_for(user, since=since)]


def home_titles(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return [item.title for item in response.context["agenda"]]


# --- The business manager ---------------------------------------------------------------------


def test_a_pain_point_that_changed_appears_until_the_next_visit(client, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    listening_services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    assert "Invoices are typed twice: now acknowledged" in home_titles(client, alice)

    # An hour later is a new visit: what changed before the last one is no longer news.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    PainPoint.objects.filter(pk=pain_point.pk).update(status_changed_at=an_hour_ago - datetime.timedelta(minutes=5))
    User.objects.filter(pk=alice.pk).update(home_visited_at=an_hour_ago)
    assert "Invoices are typed twice: now acknowledged" not in home_titles(client, alice)

    listening_services.pain_point_start_analysis(pain_point=pain_point, actor=ivan)
    assert "Invoices are typed twice: now analysing" in home_titles(client, alice)


def test_reloading_the_home_page_is_the_same_visit(alice):
    now = timezone.now()
    assert home_visit_record(user=alice, now=now) is None
    first = now + datetime.timedelta(hours=2)
    assert home_visit_record(user=alice, now=first) == now
    assert home_visit_record(user=alice, now=first + datetime.timedelta(minutes=5)) == now, "a reload"
    alice.refresh_from_db()
    assert alice.previous_home_visited_at == now


def test_an_action_to_rate_appears_and_goes_once_rated(alice, ivan, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice], title="Built the sales report")
    assert "Confirm and rate “Built the sales report”" in titles(alice)
    extramile_services.extra_mile_action_rate(action=action, rated_by=alice, rating=5)
    assert "Confirm and rate “Built the sales report”" not in titles(alice)


def test_a_decision_waiting_for_my_position_appears_and_goes_once_stated(alice, sales):
    chris = UserFactory(username="chris", business_unit=sales, role=Role.BUSINESS_MANAGER)
    committee = CommitteeFactory(name="BYOD committee")
    MembershipFactory(committee=committee, user=alice, side=Side.BUSINESS, role=MemberRole.MEMBER)
    MembershipFactory(committee=committee, user=chris, side=Side.BUSINESS, role=MemberRole.OBSERVER)
    decision = DecisionFactory(committee=committee, title="Allow personal phones")
    assert "Give your position on “Allow personal phones” (BYOD committee)" in titles(alice)
    assert not any("Allow personal phones" in t for t in titles(chris)), "an observer states no position"
    steering_services.position_record(decision=decision, stance=Stance.SUPPORT, actor=alice)
    assert not any("Allow personal phones" in t for t in titles(alice))


def test_a_survey_and_a_check_in_appear_with_their_due_day_and_go_once_answered(alice, ivan):
    make_resolved(submitted_by=alice, it_user=ivan)
    extramile_services.surveys_create()
    record_window(actor=ivan, key_users=[alice], starts_in_hours=-5)
    extramile_services.check_ins_create(now=timezone.now() + datetime.timedelta(minutes=1))
    survey, check_in = ResolutionSurvey.objects.get(), CheckIn.objects.get()
    items = {item.kind: item for item in agenda_for(alice)}
    assert items["extramile.survey"].due_on == timezone.localdate(survey.due_at)
    assert items["extramile.check_in"].due_on == timezone.localdate(check_in.due_at)
    assert items["extramile.check_in"].url == check_in.get_absolute_url()

    extramile_services.survey_answer(survey=survey, actor=alice, rating=4)
    extramile_services.check_in_answer(check_in=check_in, actor=alice, systems_ok=True)
    kinds = {item.kind for item in agenda_for(alice)}
    assert not kinds & {"extramile.survey", "extramile.check_in"}


def test_my_units_score_and_its_change_are_listed(alice, sales, finance):
    today = timezone.localdate()
    for unit, day, overall in [(sales, 40, 55.0), (sales, 0, 62.0), (finance, 0, 90.0)]:
        ScoreSnapshot.objects.create(date=today - datetime.timedelta(days=day), business_unit=unit, overall=overall, band="b")
    assert f"Sales's partnership score: 62 (+7 since {today - datetime.timedelta(days=40):%Y-%m-%d})" in titles(alice)
    assert not any("Finance" in t for t in titles(alice))


def test_another_units_items_never_appear(alice, mallory, ivan, finance):
    theirs = make_pain_point(submitted_by=mallory, title="Finance only", confidential=True)
    listening_services.pain_point_acknowledge(pain_point=theirs, actor=ivan)
    log_action(actor=ivan, business_unit=finance, recipients=[mallory], title="For Finance")
    committee = CommitteeFactory()
    MembershipFactory(committee=committee, user=mallory, side=Side.BUSINESS)
    DecisionFactory(committee=committee, title="Finance decision")
    ActionItemFactory(owner=mallory, meeting__committee=committee, title="Finance follow-up")
    assert len(titles(mallory)) >= 4
    assert not any(word in t for t in titles(alice) for word in ("Finance", "For Finance"))


# --- IT -------------------------------------------------------------------------------------------


def test_it_sees_the_triage_count_and_the_overdue_acknowledgements_until_acknowledged(ivan, alice):
    pain_point = make_pain_point(submitted_by=alice, title="Printer jams")
    make_pain_point(submitted_by=alice, title="VPN drops")
    PainPoint.objects.filter(pk=pain_point.pk).update(ack_due_on=timezone.localdate() - datetime.timedelta(days=3))
    items = {item.title: item for item in agenda_for(ivan)}
    assert "2 new pain points to triage" in items
    assert items["Acknowledge “Printer jams” (Sales)"].due_on == timezone.localdate() - datetime.timedelta(days=3)
    listening_services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    assert titles(ivan)[0] == "1 new pain point to triage"
    assert "Acknowledge “Printer jams” (Sales)" not in titles(ivan)


def test_it_sees_the_analyses_and_milestones_it_owns_until_done(ivan, alice, carla):
    pain_point = make_pain_point(submitted_by=alice, title="Printer jams")
    listening_services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    listening_services.pain_point_start_analysis(pain_point=pain_point, actor=ivan)
    initiative = make_initiative(actor=ivan, it_owner=ivan, title="Reporting")
    due = timezone.localdate() + datetime.timedelta(days=10)
    milestone = planning.milestone_add(initiative=initiative, actor=ivan, title="Pilot", due_on=due)
    items = {item.title: item for item in agenda_for(ivan)}
    assert "Finish the analysis of “Printer jams”" in items
    assert items["Pilot (Reporting)"].due_on == due
    assert not any("Pilot" in t for t in titles(carla)), "the CIO does not own it"

    planning.milestone_mark_done(milestone=milestone, actor=ivan)
    assert "Pilot (Reporting)" not in titles(ivan)


def test_action_items_due_appear_for_their_owner_until_done(ivan):
    item = ActionItemFactory(owner=ivan, title="Send the BYOD draft")
    [entry] = [e for e in agenda_for(ivan) if e.kind == "steering.action_item"]
    assert (entry.title, entry.due_on) == ("Send the BYOD draft", item.due_date)
    steering_services.action_item_complete(item=item, actor=ivan)
    assert "Send the BYOD draft" not in titles(ivan)


# --- The CIO --------------------------------------------------------------------------------------


def test_the_cio_sees_approvals_and_risk_acceptances_waiting_until_decided(carla, ivan, alice, settings):
    initiative = make_proposed(actor=ivan, sponsor=alice, title="Data warehouse")
    assert "Decide on “Data warehouse” (proposed)" in titles(carla)
    planning.risk_add(initiative=initiative, actor=ivan, description="Vendor lock-in", probability=5, impact=5)
    assert "Accept the risk of “Data warehouse” (risk score 25)" in titles(carla)

    initiative_services.initiative_accept_risk(initiative=initiative, actor=carla, statement="Worth it.")
    assert not any(t.startswith("Accept the risk") for t in titles(carla))
    initiative_services.initiative_approve(initiative=initiative, actor=carla)
    assert not any("Data warehouse" in t for t in titles(carla))


def test_the_cios_home_is_the_dashboard_with_the_attention_list_on_the_agenda(client, carla, alice):
    pain_point = make_pain_point(submitted_by=alice)
    PainPoint.objects.filter(pk=pain_point.pk).update(ack_due_on=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(carla)
    response = client.get("/", follow=True)
    agenda = response.context["agenda"]
    assert any(item.kind == "attention.listening.past_sla" and item.title.endswith(": 1") for item in agenda), [
        i.kind for i in agenda
    ]
    assert "What waits for you" in response.content.decode()


def test_an_empty_agenda_says_so(client, ivan):
    client.force_login(ivan)
    assert "Nothing waits for you right now." in client.get("/").content.decode()


# --- Query count and the API ---------------------------------------------------------------------


def _populate_business(alice, ivan, sales, n):
    """n items of each kind for alice (to rate, changed, action items) and for ivan (overdue
    acknowledgements, analyses, milestones, action items)."""
    initiative = make_initiative(actor=ivan, it_owner=ivan, title=f"Initiative {n}")
    for i in range(n):
        log_action(actor=ivan, business_unit=sales, recipients=[alice], title=f"Action {n}.{i}")
        pain_point = make_pain_point(submitted_by=alice, title=f"Pain {n}.{i}")
        listening_services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
        listening_services.pain_point_start_analysis(pain_point=pain_point, actor=ivan)
        late = make_pain_point(submitted_by=alice, title=f"Late {n}.{i}")
        PainPoint.objects.filter(pk=late.pk).update(ack_due_on=timezone.localdate() - datetime.timedelta(days=3))
        planning.milestone_add(initiative=initiative, actor=ivan, title=f"Step {i}", due_on=timezone.localdate())
        ActionItemFactory(owner=alice, title=f"Item {n}.{i}")
        ActionItemFactory(owner=ivan, title=f"IT item {n}.{i}")


def _home_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        assert client.get("/").status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role_user", ["alice", "ivan"])
def test_the_home_pages_query_count_does_not_grow_with_the_items(request, client, alice, ivan, sales, role_user):
    user = request.getfixturevalue(role_user)
    _populate_business(alice, ivan, sales, 1)
    small = _home_queries(client, user)
    _populate_business(alice, ivan, sales, 4)
    assert len(agenda_for(user)) > 3
    assert _home_queries(client, user) == small


def test_the_api_mirrors_the_home_page(client, api, alice, ivan, sales):
    _populate_business(alice, ivan, sales, 2)
    page = home_titles(client, alice)
    body = api(alice).get("/api/v1/me/agenda/").json()
    assert [item["title"] for item in body["items"]] == page
    first = body["items"][0]
    assert set(first) == {"kind", "title", "detail", "url", "at", "due_on"}


def test_the_api_shows_changes_since_the_last_home_visit_and_does_not_start_a_visit(api, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    listening_services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    User.objects.filter(pk=alice.pk).update(previous_home_visited_at=timezone.now())
    client = api(alice)
    body = client.get("/api/v1/me/agenda/").json()
    assert body["since"] is not None
    assert not any(item["kind"] == "pain_point.changed" for item in body["items"])
    alice.refresh_from_db()
    assert alice.home_visited_at is None


def test_the_api_asks_for_a_sign_in_and_an_integration_client_has_nothing_waiting(client, api, tess):
    assert api().get("/api/v1/me/agenda/").status_code in (401, 403)
    assert api(tess).get("/api/v1/me/agenda/").json()["items"] == []


def test_the_schema_documents_the_agenda(api, alice):
    schema = api(alice).get("/api/schema/?format=json")
    assert schema.status_code == 200, schema.status_code
    paths = schema.json()["paths"]
    assert "/api/v1/me/agenda/" in paths
    response = paths["/api/v1/me/agenda/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert response["$ref"].endswith("/Agenda")
