"""The pages: landing page with measures, list filters, detail, forms, roles and visibility."""

import datetime
import re

import pytest
from django.utils import timezone

from initiatives import planning, services
from initiatives.choices import InitiativeStatus, Origin
from initiatives.models import Initiative, Milestone, Risk, RiskAcceptance

from ..factories import UserFactory
from ..listening.factories import make_pain_point
from .factories import make_approved, make_delivered, make_initiative, make_proposed, reload

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_landing_page_shows_the_measures_and_the_list(client, ivan, alice, carla):
    make_approved(actor=ivan, sponsor=alice, cio=carla, origin=Origin.BUSINESS_REQUEST)
    client.force_login(ivan)
    response = client.get("/initiatives/")
    assert response.status_code == 200
    text = _text(response)
    for label in ("YES rate", "Median days to a decision", "IT-originated", "Delivered on time", "Overdue milestones"):
        assert label in text
    assert 'data-testid="measure-yes_rate"' in text and "100.0%" in text
    assert "Self-service sales reports" in text
    assert "New initiative" in text


def test_a_business_manager_sees_no_create_button_and_gets_403_on_the_form(client, alice):
    client.force_login(alice)
    assert "New initiative" not in _text(client.get("/initiatives/"))
    assert client.get("/initiatives/new/").status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=approved", {"Approved one"}),
        ("q=scanners wi-fi", {"Warehouse scanners"}),
        ("overdue=true", {"Late one"}),
        ("business_unit={finance}", {"Warehouse scanners"}),
        ("it_owner={carla}", {"Late one"}),
    ],
)
def test_the_list_filters(client, ivan, alice, mallory, carla, finance, query, expected):
    make_approved(actor=ivan, sponsor=alice, cio=carla, title="Approved one")
    make_initiative(actor=ivan, sponsor=mallory, title="Warehouse scanners", problem="The warehouse scanners drop Wi-Fi.")
    make_initiative(
        actor=ivan, sponsor=alice, it_owner=carla, title="Late one",
        start_date=TODAY() - datetime.timedelta(days=40), target_date=TODAY() - datetime.timedelta(days=1),
    )
    client.force_login(ivan)
    response = client.get("/initiatives/?" + query.format(finance=finance.pk, carla=carla.pk))
    titles = {i.title for i in response.context["page_obj"]}
    assert titles == expected


def test_the_list_page_has_a_constant_number_of_queries(client, ivan, alice, carla, django_assert_num_queries):
    make_approved(actor=ivan, sponsor=alice, cio=carla)
    client.force_login(alice)
    client.get("/initiatives/")
    with django_assert_num_queries(17) as small:
        client.get("/initiatives/")
    for i in range(12):
        initiative = make_proposed(actor=ivan, sponsor=alice, title=f"Initiative {i}")
        planning.milestone_add(initiative=initiative, actor=ivan, title="m", due_on=TODAY() - datetime.timedelta(days=1))
        planning.risk_add(initiative=initiative, actor=ivan, description="r", probability=2, impact=2)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/initiatives/")


def test_the_detail_page_shows_the_heat_map_timeline_and_decision_record(client, ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    planning.risk_add(initiative=initiative, actor=ivan, description="Month-end load", probability=4, impact=4)
    planning.milestone_add(initiative=initiative, actor=ivan, title="Pilot in Sales", due_on=TODAY() - datetime.timedelta(days=1))
    client.force_login(carla)
    text = _text(client.get(initiative.get_absolute_url()))
    assert 'data-testid="heat-map"' in text
    assert text.count('data-score="') == 25
    assert 'class="table-danger" title="Probability 4 × impact 4 = 16" data-score="16"><strong>1</strong>' in text
    assert "Pilot in Sales" in text and "Overdue" in text
    assert 'data-testid="decision-record"' in text and "Proposed" in text
    assert 'data-testid="needs-acceptance"' in text
    assert "Accept the risk" in text and "Approve: say “YES”" in text


def test_the_detail_page_has_a_constant_number_of_queries(client, ivan, alice, carla, django_assert_num_queries):
    initiative = make_proposed(actor=ivan, sponsor=alice, origin=Origin.PAIN_POINTS, pain_points=[make_pain_point(submitted_by=alice)])
    client.force_login(carla)
    client.get(initiative.get_absolute_url())
    with django_assert_num_queries(18) as small:  # 18: the change history names the people it mentions
        client.get(initiative.get_absolute_url())
    for i in range(5):
        planning.risk_add(initiative=initiative, actor=ivan, description=f"r{i}", probability=2, impact=3, owner=ivan)
        planning.milestone_add(initiative=initiative, actor=ivan, title=f"m{i}", due_on=TODAY())
        planning.benefit_add(initiative=initiative, actor=ivan, description=f"b{i}")
        services.comment_add(initiative=initiative, author=alice, body=f"c{i}")
    initiative.pain_points.add(make_pain_point(submitted_by=alice, title="Another"))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(initiative.get_absolute_url())


def test_it_creates_an_initiative_from_pain_points_and_proposes_it(client, ivan, alice):
    first = make_pain_point(submitted_by=alice, title="Reports by hand")
    second = make_pain_point(submitted_by=alice, title="Quotes from two systems")
    client.force_login(ivan)
    form = client.get(f"/initiatives/new/?pain_point={first.pk}&pain_point={second.pk}")
    assert form.context["form"].initial["origin"] == Origin.PAIN_POINTS
    response = client.post(
        "/initiatives/new/",
        {
            "title": "Sales cockpit", "origin": Origin.PAIN_POINTS, "pain_points": [first.pk, second.pk],
            "problem": "Reports and quotes by hand.", "proposal": "One cockpit.", "sponsor": alice.pk, "it_owner": ivan.pk,
            "one_off_cost": "15000", "yearly_running_cost": "2000", "fte": "1", "start_date": TODAY().isoformat(),
            "target_date": (TODAY() + datetime.timedelta(days=60)).isoformat(), "submit": "propose",
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    assert initiative.status == InitiativeStatus.PROPOSED
    assert set(initiative.pain_points.all()) == {first, second}


def test_the_create_form_refuses_a_target_before_the_start(client, ivan, alice):
    client.force_login(ivan)
    response = client.post(
        "/initiatives/new/",
        {
            "title": "x", "origin": Origin.IT_PROPOSED, "problem": "p", "proposal": "q", "sponsor": alice.pk,
            "one_off_cost": "0", "yearly_running_cost": "0", "fte": "0",
            "start_date": "2030-05-02", "target_date": "2030-05-01",
        },
    )
    assert response.status_code == 400
    assert "The target date cannot be before the start." in _text(response)
    assert not Initiative.objects.exists()


def test_the_edit_page_saves_changes(client, ivan, alice):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    client.force_login(ivan)
    data = {
        "title": "Renamed", "origin": initiative.origin, "problem": initiative.problem, "proposal": initiative.proposal,
        "sponsor": alice.pk, "it_owner": ivan.pk, "one_off_cost": "1", "yearly_running_cost": "2", "fte": "0.5",
        "start_date": initiative.start_date.isoformat(), "target_date": initiative.target_date.isoformat(),
    }
    assert client.post(f"/initiatives/{initiative.pk}/edit/", data).status_code == 302
    assert reload(initiative).title == "Renamed"


def test_approving_on_the_page_without_acceptance_shows_the_refusal(client, ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    planning.risk_add(initiative=initiative, actor=ivan, description="Load", probability=5, impact=4)
    client.force_login(carla)
    response = client.post(f"/initiatives/{initiative.pk}/approve/", {"approve-note": ""})
    assert response.status_code == 400
    assert "must accept the risk of failure" in _text(response)
    assert reload(initiative).status == InitiativeStatus.PROPOSED


@pytest.mark.parametrize(("threshold", "warned"), [(15, True), (16, False)])
def test_the_detail_page_warns_from_a_risk_scoring_exactly_the_threshold(client, ivan, alice, carla, settings, threshold, warned):
    settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD = threshold
    initiative = make_proposed(actor=ivan, sponsor=alice)
    planning.risk_add(initiative=initiative, actor=ivan, description="Load", probability=3, impact=5)  # 15
    client.force_login(carla)
    page = _text(client.get(f"/initiatives/{initiative.pk}/"))
    assert ('data-testid="needs-acceptance"' in page) is warned
    assert ("Needs a risk acceptance first." in page) is warned


def test_the_cio_accepts_the_risk_then_approves_on_the_pages(client, ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    planning.risk_add(initiative=initiative, actor=ivan, description="Load", probability=5, impact=4)
    client.force_login(carla)
    assert client.get(f"/initiatives/{initiative.pk}/accept-risk/").status_code == 200
    assert client.post(f"/initiatives/{initiative.pk}/accept-risk/", {"statement": ""}).status_code == 400
    assert client.post(f"/initiatives/{initiative.pk}/accept-risk/", {"statement": "Worth it."}).status_code == 302
    assert client.post(f"/initiatives/{initiative.pk}/approve/", {"approve-note": "YES"}).status_code == 302
    assert reload(initiative).status == InitiativeStatus.APPROVED


def test_it_staff_cannot_approve_and_business_cannot_start(client, ivan, alice, carla):
    proposed = make_proposed(actor=ivan, sponsor=alice)
    client.force_login(ivan)
    assert client.post(f"/initiatives/{proposed.pk}/approve/", {}).status_code == 403
    approved = make_approved(actor=ivan, sponsor=alice, cio=carla, title="Approved")
    client.force_login(alice)
    assert client.post(f"/initiatives/{approved.pk}/start/", {}).status_code == 403
    assert client.get(f"/initiatives/{approved.pk}/risks/new/").status_code == 403
    assert reload(approved).status == InitiativeStatus.APPROVED


def test_the_sponsor_comments_and_confirms_the_business_case_on_the_page(client, ivan, alice):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    client.force_login(alice)
    text = _text(client.get(initiative.get_absolute_url()))
    assert "Confirm the business case" in text and "Edit</a>" not in text
    client.post(f"/initiatives/{initiative.pk}/comment/", {"body": "Sales will pilot it."})
    client.post(f"/initiatives/{initiative.pk}/confirm-business-case/")
    initiative = reload(initiative)
    assert initiative.business_case_confirmed_by == alice
    assert initiative.comments.get().body == "Sales will pilot it."


def test_risk_and_milestone_forms(client, ivan, alice):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    client.force_login(ivan)
    bad = client.post(f"/initiatives/{initiative.pk}/risks/new/", {"description": "x", "probability": "6", "impact": "3"})
    assert bad.status_code == 400 and "The probability goes from 1 to 5." in _text(bad)
    assert not Risk.objects.exists()
    assert client.post(f"/initiatives/{initiative.pk}/risks/new/", {"description": "x", "probability": "3", "impact": "3"}).status_code == 302
    risk = Risk.objects.get()
    assert risk.score == 9
    assert client.post(f"/initiatives/{initiative.pk}/risks/{risk.pk}/edit/", {"description": "y", "probability": "5", "impact": "3"}).status_code == 302
    assert Risk.objects.get().score == 15
    assert client.post(f"/initiatives/{initiative.pk}/milestones/new/", {"title": "Pilot", "due_on": TODAY().isoformat()}).status_code == 302
    milestone = Milestone.objects.get()
    client.post(f"/initiatives/{initiative.pk}/milestones/{milestone.pk}/done/", {"done_on": ""})
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    client.post(f"/initiatives/{initiative.pk}/risks/{risk.pk}/delete/")
    assert not Risk.objects.exists()


def test_benefit_forms_and_the_benefits_review_page(client, ivan, alice, carla):
    initiative = make_approved(actor=ivan, sponsor=alice, cio=carla)
    client.force_login(alice)
    assert client.post(f"/initiatives/{initiative.pk}/benefits/new/", {"description": "Faster quotes", "expected_amount": "5000"}).status_code == 302
    services.initiative_start(initiative=reload(initiative), actor=ivan)
    services.initiative_deliver(initiative=reload(initiative), actor=ivan)
    benefit = initiative.benefits.get()
    assert client.post(f"/initiatives/{initiative.pk}/review-benefits/", {"summary": "ok"}).status_code == 400
    response = client.post(
        f"/initiatives/{initiative.pk}/review-benefits/",
        {"summary": "ok", f"realised_{benefit.pk}": "Quotes in one hour", f"amount_{benefit.pk}": "4000"},
    )
    assert response.status_code == 302
    assert reload(initiative).status == InitiativeStatus.BENEFITS_REVIEWED


# --- Visibility ------------------------------------------------------------------------------------


def test_a_business_manager_sees_her_units_her_sponsored_and_every_approved_initiative(ivan, alice, mallory, carla, sales, finance):
    own_unit = make_initiative(actor=ivan, business_units=[sales], title="Sales idea")
    sponsored = make_initiative(actor=ivan, sponsor=alice, business_units=[finance], title="Sponsored")
    other = make_initiative(actor=ivan, sponsor=mallory, title="Finance idea")
    approved_other = make_approved(actor=ivan, sponsor=mallory, cio=carla, title="Finance approved")
    delivered_other = make_delivered(actor=ivan, sponsor=mallory, cio=carla, title="Finance delivered")
    visible = set(Initiative.objects.for_user(alice))
    assert visible == {own_unit, sponsored, approved_other, delivered_other}
    assert other not in visible
    assert set(Initiative.objects.for_user(ivan)) == set(Initiative.objects.for_user(carla)) == set(Initiative.objects.all())
    outsider = UserFactory(username="nobody")
    assert set(Initiative.objects.for_user(outsider)) == {approved_other, delivered_other}


def test_another_units_initiative_is_404_on_every_page(client, ivan, alice, mallory):
    initiative = make_proposed(actor=ivan, sponsor=mallory)
    client.force_login(alice)
    for path in ("", "edit/", "accept-risk/", "risks/new/", "review-benefits/"):
        assert client.get(f"/initiatives/{initiative.pk}/{path}").status_code == 404, path
    assert client.post(f"/initiatives/{initiative.pk}/comment/", {"body": "hi"}).status_code == 404
    assert initiative.title not in _text(client.get("/initiatives/"))


def test_a_confidential_pain_point_of_another_unit_stays_hidden_on_the_detail_page(client, ivan, alice, mallory, carla):
    secret = make_pain_point(submitted_by=mallory, title="Secret finance thing", confidential=True)
    public = make_pain_point(submitted_by=alice, title="Public sales thing")
    initiative = make_approved(actor=ivan, sponsor=alice, cio=carla, origin=Origin.PAIN_POINTS, pain_points=[secret, public])
    client.force_login(alice)
    text = _text(client.get(initiative.get_absolute_url()))
    assert "Public sales thing" in text and "Secret finance thing" not in text
    assert RiskAcceptance.objects.count() == 0
