"""The workflow of an initiative, its refusals and the automatic planning of pain points."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from initiatives import planning, services
from initiatives.choices import AcceptedAs, DecisionKind, InitiativeStatus, Origin
from initiatives.models import Benefit, DecisionRecord, Initiative, Milestone, Risk, RiskAcceptance
from listening.choices import PainPointStatus
from partnership.notifications.models import Notification

from ..listening.factories import make_pain_point
from .factories import make_approved, make_delivered, make_in_progress, make_initiative, make_proposed, reload

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def _high_risk(initiative, ivan, probability=4, impact=4):
    return planning.risk_add(
        initiative=initiative, actor=ivan, description="The cluster may not hold the month-end load.",
        probability=probability, impact=impact, mitigation="Load test first.",
    )


def _refused(call, field, text=None):
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    if text:
        assert text in " ".join(info.value.message_dict[field])
    return info.value


# --- Creating -------------------------------------------------------------------------------------


def test_it_staff_create_an_idea_with_a_decision_record_and_default_units(ivan, alice, sales):
    pain_point = make_pain_point(submitted_by=alice)
    initiative = make_initiative(actor=ivan, sponsor=alice, origin=Origin.PAIN_POINTS, pain_points=[pain_point])
    assert initiative.status == InitiativeStatus.IDEA
    assert initiative.it_owner == ivan
    assert list(initiative.business_units.all()) == [sales]
    assert list(initiative.pain_points.all()) == [pain_point]
    assert list(initiative.decisions.values_list("kind", flat=True)) == [DecisionKind.CREATED]


def test_a_business_manager_cannot_create_an_initiative(alice):
    with pytest.raises(PermissionDenied):
        make_initiative(actor=alice)
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"one_off_cost": Decimal("-1")}, "one_off_cost"),
        ({"yearly_running_cost": Decimal("-0.01")}, "yearly_running_cost"),
        ({"fte": Decimal("-1")}, "fte"),
        ({"start_date": datetime.date(2030, 5, 1), "target_date": datetime.date(2030, 4, 30)}, "target_date"),
        ({"title": ""}, "title"),
        ({"origin": Origin.PAIN_POINTS}, "pain_points"),
    ],
)
def test_bad_input_on_create_is_refused_and_nothing_is_written(ivan, alice, changes, field):
    _refused(lambda: make_initiative(actor=ivan, sponsor=alice, **changes), field)
    assert not Initiative.objects.exists()
    assert not DecisionRecord.objects.exists()


def test_the_sponsor_must_be_a_business_manager_and_the_owner_it(ivan, carla, alice):
    _refused(lambda: make_initiative(actor=ivan, sponsor=ivan), "sponsor")
    _refused(lambda: make_initiative(actor=ivan, sponsor=alice, it_owner=alice), "it_owner")
    assert not Initiative.objects.exists()


def test_editing_refuses_a_target_before_the_start_and_keeps_the_old_values(ivan, alice):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    before = initiative.target_date
    _refused(
        lambda: services.initiative_update(initiative=initiative, actor=ivan, target_date=initiative.start_date - datetime.timedelta(days=1)),
        "target_date",
    )
    assert reload(initiative).target_date == before


def test_editing_the_costs_after_confirmation_asks_the_sponsor_to_confirm_again(ivan, alice):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    services.initiative_confirm_business_case(initiative=initiative, actor=alice)
    services.initiative_update(initiative=reload(initiative), actor=ivan, one_off_cost=Decimal("20000"))
    initiative = reload(initiative)
    assert initiative.business_case_confirmed_at is None
    assert initiative.decisions.filter(kind=DecisionKind.BUSINESS_CASE_CHANGED).exists()
    assert Notification.objects.filter(recipient=alice, kind="initiative.business_case_changed").exists()


# --- The workflow ------------------------------------------------------------------------------------


def test_the_whole_workflow_from_idea_to_benefits_reviewed(ivan, alice, carla):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    services.initiative_propose(initiative=initiative, actor=ivan)
    assert initiative.status == InitiativeStatus.PROPOSED and initiative.proposed_at is not None
    services.initiative_evaluate(initiative=initiative, actor=ivan)
    planning.benefit_add(initiative=initiative, actor=alice, description="Reports the same day", expected_amount=Decimal("30000"))
    services.initiative_confirm_business_case(initiative=initiative, actor=alice, note="Worth it.")
    services.initiative_approve(initiative=initiative, actor=carla, note="YES.")
    assert initiative.status == InitiativeStatus.APPROVED and initiative.decided_at is not None
    services.initiative_start(initiative=initiative, actor=ivan)
    assert initiative.status == InitiativeStatus.IN_PROGRESS
    services.initiative_deliver(initiative=initiative, actor=ivan)
    assert initiative.status == InitiativeStatus.DELIVERED and initiative.delivered_on == timezone.localdate()
    benefit = initiative.benefits.get()
    services.initiative_review_benefits(
        initiative=initiative, actor=alice, summary="Delivered what was promised.",
        realised=[{"benefit": benefit.pk, "realised": "Same-day reports for 18 people", "realised_amount": Decimal("26000")}],
    )
    initiative = reload(initiative)
    assert initiative.status == InitiativeStatus.BENEFITS_REVIEWED
    benefit.refresh_from_db()
    assert benefit.realised_amount == Decimal("26000") and benefit.reviewed_at is not None
    assert list(initiative.decisions.values_list("kind", flat=True)) == [
        DecisionKind.CREATED, DecisionKind.PROPOSED, DecisionKind.EVALUATING, DecisionKind.BUSINESS_CASE_CONFIRMED,
        DecisionKind.APPROVED, DecisionKind.STARTED, DecisionKind.DELIVERED, DecisionKind.BENEFITS_REVIEWED,
    ]


def test_proposing_needs_a_sponsor_and_a_target_date(ivan):
    initiative = make_initiative(actor=ivan, target_date=None)
    error = _refused(lambda: services.initiative_propose(initiative=initiative, actor=ivan), "sponsor")
    assert "target_date" in error.message_dict
    assert reload(initiative).status == InitiativeStatus.IDEA


def test_approving_without_a_required_risk_acceptance_is_refused(ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _high_risk(initiative, ivan)  # 16 >= 15
    _refused(lambda: services.initiative_approve(initiative=initiative, actor=carla), "risk_acceptance", "scores 16")
    initiative = reload(initiative)
    assert initiative.status == InitiativeStatus.PROPOSED and initiative.decided_at is None


def test_a_risk_below_the_threshold_needs_no_acceptance(ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _high_risk(initiative, ivan, probability=3, impact=4)  # 12
    services.initiative_approve(initiative=initiative, actor=carla)
    assert reload(initiative).status == InitiativeStatus.APPROVED


def test_a_risk_scoring_exactly_the_threshold_needs_an_acceptance(ivan, alice, carla, settings):
    settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD = 15
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _high_risk(initiative, ivan, probability=3, impact=5)  # 15, the threshold itself
    _refused(lambda: services.initiative_approve(initiative=initiative, actor=carla), "risk_acceptance", "scores 15")
    assert reload(initiative).status == InitiativeStatus.PROPOSED


def test_a_risk_one_below_the_threshold_needs_no_acceptance(ivan, alice, carla, settings):
    settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD = 16
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _high_risk(initiative, ivan, probability=3, impact=5)  # 15, one below
    services.initiative_approve(initiative=initiative, actor=carla)
    assert reload(initiative).status == InitiativeStatus.APPROVED


def test_the_threshold_is_a_setting(ivan, alice, carla, settings):
    settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD = 10
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _high_risk(initiative, ivan, probability=3, impact=4)  # 12 >= 10
    _refused(lambda: services.initiative_approve(initiative=initiative, actor=carla), "risk_acceptance")


@pytest.mark.parametrize("who", ["carla", "alice"])
def test_the_cio_or_the_sponsor_accepts_the_risk_and_then_the_cio_approves(ivan, alice, carla, who):
    acceptor = {"carla": carla, "alice": alice}[who]
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _high_risk(initiative, ivan)
    acceptance = services.initiative_accept_risk(initiative=initiative, actor=acceptor, statement="Worth the risk.")
    assert acceptance.accepted_as == (AcceptedAs.CIO if who == "carla" else AcceptedAs.SPONSOR)
    assert acceptance.highest_score == 16
    services.initiative_approve(initiative=reload(initiative), actor=carla)
    assert reload(initiative).status == InitiativeStatus.APPROVED


def test_an_acceptance_does_not_cover_a_worse_risk_added_later(ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _high_risk(initiative, ivan)  # 16
    services.initiative_accept_risk(initiative=initiative, actor=carla, statement="OK.")
    _high_risk(initiative, ivan, probability=5, impact=5)  # 25
    _refused(lambda: services.initiative_approve(initiative=initiative, actor=carla), "risk_acceptance", "scores 25")


def test_accepting_risk_needs_a_statement_a_risk_and_the_right_person(ivan, alice, mallory, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _refused(lambda: services.initiative_accept_risk(initiative=initiative, actor=carla, statement="OK"), "risks")
    _high_risk(initiative, ivan)
    _refused(lambda: services.initiative_accept_risk(initiative=initiative, actor=carla, statement="  "), "statement")
    for person in (ivan, mallory):
        with pytest.raises(PermissionDenied):
            services.initiative_accept_risk(initiative=initiative, actor=person, statement="OK")
    assert not RiskAcceptance.objects.exists()


def test_only_the_cio_approves_and_rejects(ivan, alice):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    for person in (ivan, alice):
        with pytest.raises(PermissionDenied):
            services.initiative_approve(initiative=initiative, actor=person)
        with pytest.raises(PermissionDenied):
            services.initiative_reject(initiative=initiative, actor=person, reason="No")
    assert reload(initiative).status == InitiativeStatus.PROPOSED


def test_rejecting_needs_a_reason_and_tells_the_sponsor_and_the_owner(ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    _refused(lambda: services.initiative_reject(initiative=initiative, actor=carla, reason=" "), "reason")
    assert reload(initiative).status == InitiativeStatus.PROPOSED
    services.initiative_reject(initiative=initiative, actor=carla, reason="Budget goes to the ERP upgrade.")
    initiative = reload(initiative)
    assert initiative.status == InitiativeStatus.REJECTED
    assert initiative.closing_reason == "Budget goes to the ERP upgrade."
    assert set(Notification.objects.filter(kind="initiative.rejected").values_list("recipient__username", flat=True)) == {"alice", "ivan"}


def test_approval_notifies_the_sponsor_and_the_owner(ivan, alice, carla):
    make_approved(actor=ivan, sponsor=alice, cio=carla)
    assert set(Notification.objects.filter(kind="initiative.approved").values_list("recipient__username", flat=True)) == {"alice", "ivan"}


@pytest.mark.parametrize("stage", ["idea", "proposed", "evaluating"])
def test_delivering_before_approval_is_refused(ivan, alice, stage):
    initiative = make_initiative(actor=ivan, sponsor=alice, propose=stage != "idea")
    if stage == "evaluating":
        services.initiative_evaluate(initiative=initiative, actor=ivan)
    _refused(lambda: services.initiative_deliver(initiative=initiative, actor=ivan), "status", "must be approved")
    initiative = reload(initiative)
    assert initiative.status == stage and initiative.delivered_on is None


def test_delivering_refuses_a_future_date(ivan, alice, carla):
    initiative = make_in_progress(actor=ivan, sponsor=alice, cio=carla)
    _refused(
        lambda: services.initiative_deliver(initiative=initiative, actor=ivan, delivered_on=TODAY() + datetime.timedelta(days=1)),
        "delivered_on",
    )
    assert reload(initiative).status == InitiativeStatus.IN_PROGRESS


def test_starting_before_the_planned_start_records_today_and_delivering_today_is_accepted(ivan, alice, carla, client):
    planned = TODAY() + datetime.timedelta(days=20)
    initiative = make_approved(actor=ivan, sponsor=alice, cio=carla, start_date=planned, target_date=planned + datetime.timedelta(days=60))
    client.force_login(ivan)
    client.post(f"/initiatives/{initiative.pk}/start/", {"start-note": ""})
    assert reload(initiative).status == InitiativeStatus.IN_PROGRESS
    assert reload(initiative).start_date == TODAY(), "the actual start, not the planned one"
    response = client.post(f"/initiatives/{initiative.pk}/deliver/", {"deliver-delivered_on": TODAY().isoformat(), "deliver-note": ""})
    assert response.status_code == 302
    initiative = reload(initiative)
    assert initiative.status == InitiativeStatus.DELIVERED and initiative.delivered_on == TODAY()


def test_an_initiative_in_progress_still_carrying_a_future_planned_start_can_be_delivered(ivan, alice, carla):
    initiative = make_in_progress(actor=ivan, sponsor=alice, cio=carla)
    planned = TODAY() + datetime.timedelta(days=20)
    Initiative.objects.filter(pk=initiative.pk).update(start_date=planned)  # started before the start date was corrected
    services.initiative_deliver(initiative=reload(initiative), actor=ivan)
    initiative = reload(initiative)
    assert initiative.status == InitiativeStatus.DELIVERED and initiative.start_date == initiative.delivered_on == TODAY()
    earlier = make_in_progress(actor=ivan, sponsor=alice, cio=carla, title="Other")
    _refused(
        lambda: services.initiative_deliver(initiative=earlier, actor=ivan, delivered_on=TODAY() - datetime.timedelta(days=1)),
        "delivered_on",
    )


def test_starting_twice_or_approving_an_idea_is_refused(ivan, alice, carla):
    idea = make_initiative(actor=ivan, sponsor=alice)
    _refused(lambda: services.initiative_approve(initiative=idea, actor=carla), "status", "only proposed or evaluating")
    started = make_in_progress(actor=ivan, sponsor=alice, cio=carla, title="Another")
    _refused(lambda: services.initiative_start(initiative=started, actor=ivan), "status")


def test_cancelling_needs_a_reason_and_is_refused_after_delivery(ivan, alice, carla):
    initiative = make_approved(actor=ivan, sponsor=alice, cio=carla)
    _refused(lambda: services.initiative_cancel(initiative=initiative, actor=ivan, reason=""), "reason")
    services.initiative_cancel(initiative=initiative, actor=ivan, reason="The vendor went bankrupt.")
    assert reload(initiative).status == InitiativeStatus.CANCELLED
    delivered = make_delivered(actor=ivan, sponsor=alice, cio=carla, title="Delivered one")
    _refused(lambda: services.initiative_cancel(initiative=delivered, actor=ivan, reason="Too late"), "status")


def test_the_benefits_review_needs_what_each_expected_benefit_became(ivan, alice, carla):
    initiative = make_in_progress(actor=ivan, sponsor=alice, cio=carla)
    benefit = planning.benefit_add(initiative=initiative, actor=ivan, description="Fewer calls")
    services.initiative_deliver(initiative=initiative, actor=ivan)
    _refused(lambda: services.initiative_review_benefits(initiative=initiative, actor=ivan, realised=[]), "realised", "Fewer calls")
    _refused(
        lambda: services.initiative_review_benefits(
            initiative=initiative, actor=ivan, realised=[{"benefit": benefit.pk, "realised": "ok", "realised_amount": Decimal("-5")}]
        ),
        "realised_amount",
    )
    assert reload(initiative).status == InitiativeStatus.DELIVERED
    benefit.refresh_from_db()
    assert benefit.realised == ""


def test_only_the_sponsor_confirms_the_business_case_and_only_before_the_decision(ivan, alice, mallory, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    for person in (ivan, mallory, carla):
        with pytest.raises(PermissionDenied):
            services.initiative_confirm_business_case(initiative=initiative, actor=person)
    services.initiative_confirm_business_case(initiative=initiative, actor=alice)
    _refused(lambda: services.initiative_confirm_business_case(initiative=initiative, actor=alice), "business_case")
    approved = make_approved(actor=ivan, sponsor=alice, cio=carla, title="Decided")
    _refused(lambda: services.initiative_confirm_business_case(initiative=approved, actor=alice), "status")


# --- Risks, milestones, benefits ----------------------------------------------------------------------


@pytest.mark.parametrize(("probability", "impact", "field"), [(0, 3, "probability"), (6, 3, "probability"), (3, 0, "impact"), (3, 9, "impact"), (None, 3, "probability")])
def test_probability_and_impact_outside_1_to_5_are_refused(ivan, alice, probability, impact, field):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    _refused(lambda: _high_risk(initiative, ivan, probability=probability, impact=impact), field, "1 to 5")
    assert not Risk.objects.exists()


def test_a_risk_score_is_probability_times_impact_and_follows_changes(ivan, alice):
    risk = _high_risk(make_initiative(actor=ivan, sponsor=alice), ivan, probability=2, impact=5)
    assert risk.score == 10
    planning.risk_update(risk=risk, actor=ivan, impact=3)
    risk.refresh_from_db()
    assert risk.score == 6
    _refused(lambda: planning.risk_update(risk=risk, actor=ivan, probability=7), "probability")
    risk.refresh_from_db()
    assert risk.probability == 2


def test_only_it_staff_record_risks_and_milestones(alice, ivan):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    with pytest.raises(PermissionDenied):
        _high_risk(initiative, alice)
    with pytest.raises(PermissionDenied):
        planning.milestone_add(initiative=initiative, actor=alice, title="Pilot", due_on=TODAY())


def test_milestones_are_planned_done_and_not_done_twice_or_in_the_future(ivan, alice):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    milestone = planning.milestone_add(initiative=initiative, actor=ivan, title="Pilot in Sales", due_on=TODAY() - datetime.timedelta(days=2))
    assert milestone.is_overdue
    _refused(lambda: planning.milestone_mark_done(milestone=milestone, actor=ivan, done_on=TODAY() + datetime.timedelta(days=1)), "done_on")
    planning.milestone_mark_done(milestone=milestone, actor=ivan)
    assert milestone.done_on == TODAY() and not milestone.is_overdue and milestone.done_on_time is False
    _refused(lambda: planning.milestone_mark_done(milestone=milestone, actor=ivan), "done_on")


def test_a_closed_initiative_takes_no_more_risks_or_milestones(ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    services.initiative_reject(initiative=initiative, actor=carla, reason="No budget.")
    _refused(lambda: _high_risk(initiative, ivan), "status")
    _refused(lambda: planning.milestone_add(initiative=initiative, actor=ivan, title="x", due_on=TODAY()), "status")
    assert not Milestone.objects.exists()


def test_expected_benefits_refuse_negative_amounts_and_come_from_it_or_the_sponsor(ivan, alice, mallory):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    _refused(lambda: planning.benefit_add(initiative=initiative, actor=ivan, description="x", expected_amount=Decimal("-1")), "expected_amount")
    with pytest.raises(PermissionDenied):
        planning.benefit_add(initiative=initiative, actor=mallory, description="x")
    planning.benefit_add(initiative=initiative, actor=alice, description="Faster quotes")
    assert Benefit.objects.count() == 1


def test_anyone_who_sees_it_comments_and_an_empty_comment_is_refused(ivan, alice):
    initiative = make_initiative(actor=ivan, sponsor=alice)
    _refused(lambda: services.comment_add(initiative=initiative, author=alice, body="  "), "body")
    services.comment_add(initiative=initiative, author=alice, body="Sales will test it.")
    assert Notification.objects.filter(recipient=ivan, kind="initiative.comment").exists()


# --- Pain points -----------------------------------------------------------------------------------------


def test_approving_plans_the_linked_pain_points_through_the_listening_service(ivan, alice, mallory, carla):
    first = make_pain_point(submitted_by=alice, title="Reports by hand")
    second = make_pain_point(submitted_by=mallory, title="Budget spreadsheets", confidential=True)
    initiative = make_proposed(actor=ivan, sponsor=alice, origin=Origin.PAIN_POINTS, pain_points=[first, second])
    services.initiative_approve(initiative=initiative, actor=carla)
    for pain_point in (first, second):
        pain_point.refresh_from_db()
        assert pain_point.status == PainPointStatus.PLANNED
        assert initiative.title in pain_point.plan_note
        assert pain_point.status_changes.filter(to_status=PainPointStatus.PLANNED, actor=carla).exists()


def test_a_refused_approval_leaves_the_pain_points_as_they_were(ivan, alice, carla):
    pain_point = make_pain_point(submitted_by=alice)
    initiative = make_proposed(actor=ivan, sponsor=alice, origin=Origin.PAIN_POINTS, pain_points=[pain_point])
    _high_risk(initiative, ivan)
    _refused(lambda: services.initiative_approve(initiative=initiative, actor=carla), "risk_acceptance")
    pain_point.refresh_from_db()
    assert pain_point.status == PainPointStatus.NEW
