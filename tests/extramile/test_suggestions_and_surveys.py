"""Repeated-problem proposals and the survey after a pain point is resolved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from listening import services as listening_services
from listening.choices import Category
from partnership.extramile import selectors, services
from partnership.extramile.choices import ActionKind, ActionStatus, SuggestionStatus, SuggestionTrigger
from partnership.extramile.models import ExtraMileAction, ProblemSuggestion, ResolutionSurvey
from partnership.extramile.tasks import create_surveys, refresh_suggestions
from partnership.notifications.models import Notification
from partnership.roles import Role

from ..factories import UserFactory
from .factories import make_pain_point, make_resolved, queries_of

pytestmark = pytest.mark.django_db


def _resolve_three(alice, ivan, category=Category.REPORTING):
    return [make_resolved(submitted_by=alice, it_user=ivan, title=f"Report {i} is wrong", category=category) for i in range(3)]


def test_three_resolved_pain_points_of_one_category_and_unit_make_a_proposal_listing_them(alice, ivan, settings):
    settings.EXTRAMILE_REPEAT_RESOLVED_COUNT = 3
    resolved = [make_resolved(submitted_by=alice, it_user=ivan, title=f"Report {i}", category=Category.REPORTING) for i in range(2)]
    assert services.suggestions_refresh() == 0
    resolved.append(make_resolved(submitted_by=alice, it_user=ivan, title="Third report", category=Category.REPORTING))
    assert services.suggestions_refresh() == 1
    refresh_suggestions()
    assert services.suggestions_refresh() == 0, "proposed once"
    suggestion = ProblemSuggestion.objects.get(trigger=SuggestionTrigger.RESOLVED_CLUSTER)
    assert sorted(suggestion.evidence) == sorted(p.pk for p in resolved)
    assert suggestion.proposed_kind == ActionKind.MANUAL_FAQ
    assert suggestion.business_unit == alice.business_unit


def test_pain_points_of_other_categories_or_resolved_long_ago_do_not_count(clock, alice, ivan, settings):
    settings.EXTRAMILE_REPEAT_RESOLVED_COUNT = 3
    make_resolved(submitted_by=alice, it_user=ivan, category=Category.ACCESS)
    make_resolved(submitted_by=alice, it_user=ivan, category=Category.DATA)
    make_resolved(submitted_by=alice, it_user=ivan, category=Category.ACCESS)
    assert services.suggestions_refresh() == 0
    clock.travel(days=61)
    make_resolved(submitted_by=alice, it_user=ivan, category=Category.ACCESS)
    assert services.suggestions_refresh() == 0, "the first two were resolved more than 60 days ago"


def test_one_pain_point_with_many_votes_makes_a_training_proposal(alice, ivan, sales, settings):
    settings.EXTRAMILE_REPEAT_VOTES = 3
    pain_point = make_pain_point(submitted_by=alice)
    for i in range(3):
        voter = UserFactory(username=f"voter{i}", business_unit=sales, role=Role.BUSINESS_MANAGER)
        listening_services.pain_point_vote(pain_point=pain_point, user=voter)
    assert services.suggestions_refresh() == 1
    suggestion = ProblemSuggestion.objects.get()
    assert suggestion.trigger == SuggestionTrigger.VOTES
    assert suggestion.evidence == [pain_point.pk]
    assert suggestion.proposed_kind == ActionKind.TRAINING


def test_the_refresh_costs_the_same_number_of_queries_at_any_size(alice, ivan, settings, django_assert_num_queries):
    settings.EXTRAMILE_REPEAT_RESOLVED_COUNT = 2
    make_resolved(submitted_by=alice, it_user=ivan)
    make_resolved(submitted_by=alice, it_user=ivan)
    small = queries_of(lambda: selectors.repeated_problem_candidates())
    for category in (Category.DATA, Category.ACCESS, Category.SYSTEM):
        make_resolved(submitted_by=alice, it_user=ivan, category=category)
        make_resolved(submitted_by=alice, it_user=ivan, category=category)
    with django_assert_num_queries(small):
        assert len(selectors.repeated_problem_candidates()) == 4


def test_accepting_a_proposal_plans_an_extra_mile_action_for_the_people_who_raised_it(alice, ivan, client, settings):
    settings.EXTRAMILE_REPEAT_RESOLVED_COUNT = 3
    _resolve_three(alice, ivan)
    services.suggestions_refresh()
    suggestion = ProblemSuggestion.objects.get()
    client.force_login(ivan)
    page = client.get("/extra-mile/suggestions/")
    assert page.status_code == 200 and b"Report 0 is wrong" in page.content
    planned_on = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        f"/extra-mile/suggestions/{suggestion.pk}/accept/", {"kind": ActionKind.TRAINING, "planned_on": planned_on.isoformat()}
    )
    action = ExtraMileAction.objects.get()
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert action.status == ActionStatus.PLANNED and action.kind == ActionKind.TRAINING
    assert action.performed_on == planned_on
    assert list(action.recipients.all()) == [alice]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.action == action
    with pytest.raises(ValidationError):
        services.suggestion_dismiss(suggestion=suggestion, actor=ivan)


def test_a_training_accepted_from_a_voted_proposal_invites_the_voters_and_can_be_edited(alice, ivan, sales, client, settings):
    settings.EXTRAMILE_REPEAT_VOTES = 2
    pain_point = make_pain_point(submitted_by=alice)
    voters = [UserFactory(username=f"voter{i}", first_name=f"Voter{i}", business_unit=sales, role=Role.BUSINESS_MANAGER) for i in range(2)]
    for voter in voters:
        listening_services.pain_point_vote(pain_point=pain_point, user=voter)
    listening_services.pain_point_vote(pain_point=pain_point, user=ivan)  # IT votes too: never a recipient
    services.suggestions_refresh()
    suggestion = ProblemSuggestion.objects.get(trigger=SuggestionTrigger.VOTES)
    client.force_login(ivan)
    planned_on = timezone.localdate() + datetime.timedelta(days=7)
    client.post(f"/extra-mile/suggestions/{suggestion.pk}/accept/", {"kind": ActionKind.TRAINING, "planned_on": planned_on})
    action = ExtraMileAction.objects.get()
    assert set(action.recipients.all()) == {alice, *voters}
    detail = client.get(action.get_absolute_url()).content.decode()
    assert "Voter0" in detail and f'href="/extra-mile/actions/{action.pk}/edit/"' in detail

    edit = client.get(f"/extra-mile/actions/{action.pk}/edit/")
    assert edit.status_code == 200 and "Voter1" in edit.content.decode()
    form = {
        "title": "Training: the new sales report", "recipients": [voters[0].pk], "performed_on": action.performed_on.isoformat(),
        "effort_hours": "2", "description": "", "external_ref": "", "evidence_url": "",
    }
    response = client.post(f"/extra-mile/actions/{action.pk}/edit/", form)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Training: the new sales report" and list(action.recipients.all()) == [voters[0]]
    response = client.post(f"/extra-mile/actions/{action.pk}/edit/", {**form, "recipients": [ivan.pk]})
    assert response.status_code == 400 and "recipients" in response.context["form"].errors
    client.force_login(alice)
    assert client.get(f"/extra-mile/actions/{action.pk}/edit/").status_code == 403


def test_dismissing_a_proposal_records_who_and_why(alice, ivan, api, settings):
    settings.EXTRAMILE_REPEAT_RESOLVED_COUNT = 3
    _resolve_three(alice, ivan)
    services.suggestions_refresh()
    suggestion = ProblemSuggestion.objects.get()
    assert api(alice).get(f"/api/v1/extra-mile-suggestions/{suggestion.pk}/").status_code == 404
    response = api(ivan).post(f"/api/v1/extra-mile-suggestions/{suggestion.pk}/dismiss/", {"reason": "Already covered"})
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"
    response = api(ivan).post(f"/api/v1/extra-mile-suggestions/{suggestion.pk}/accept/", {})
    assert response.status_code == 400
    assert not ExtraMileAction.objects.exists()


def test_business_people_cannot_see_proposals(client, alice):
    client.force_login(alice)
    assert client.get("/extra-mile/suggestions/").status_code == 403


# --- Surveys after resolution -------------------------------------------------------------------------------


def test_resolving_a_pain_point_surveys_its_submitter_and_voters_once(alice, sam, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    listening_services.pain_point_vote(pain_point=pain_point, user=sam)
    assert services.surveys_create() == 0
    from ..listening.factories import make_planned

    make_planned(pain_point, ivan)
    listening_services.pain_point_resolve(pain_point=pain_point, actor=ivan)
    create_surveys()
    create_surveys()
    surveys = ResolutionSurvey.objects.filter(pain_point_id=pain_point.pk)
    assert {(s.respondent, s.role) for s in surveys} == {(alice, "submitter"), (sam, "voter")}
    assert Notification.objects.filter(kind="extramile.survey").count() == 2


def test_a_survey_is_answered_once_by_its_respondent_with_a_rating_from_1_to_5(alice, sam, ivan):
    pain_point = make_resolved(submitted_by=alice, it_user=ivan)
    services.surveys_create()
    survey = ResolutionSurvey.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.survey_answer(survey=survey, actor=sam, rating=5)
    assert "respondent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.survey_answer(survey=survey, actor=alice, rating=9)
    assert exc.value.message_dict["rating"] == ["Give a rating from 1 to 5."]
    services.survey_answer(survey=survey, actor=alice, rating=4, comment="Works now")
    with pytest.raises(ValidationError):
        services.survey_answer(survey=survey, actor=alice, rating=5)
    results = selectors.survey_results(pain_point)
    assert (results.asked, results.answered, results.average) == (1, 1, 4.0)


def test_answering_a_survey_after_its_deadline_is_refused(clock, alice, ivan, api, settings):
    settings.EXTRAMILE_SURVEY_DAYS = 14
    make_resolved(submitted_by=alice, it_user=ivan)
    services.surveys_create()
    survey = ResolutionSurvey.objects.get()
    clock.travel(days=15)
    response = api(alice).post(f"/api/v1/surveys/{survey.pk}/answer/", {"rating": 5})
    assert response.status_code == 400
    assert "closed" in response.json()["fields"]["due_at"][0]
    survey.refresh_from_db()
    assert survey.rating is None and survey.answered_at is None


def test_the_survey_page_and_the_pain_point_panel(client, alice, mallory, ivan):
    from django.template import Context, Template
    from django.test import RequestFactory

    pain_point = make_resolved(submitted_by=alice, it_user=ivan)
    services.surveys_create()
    survey = ResolutionSurvey.objects.get()
    client.force_login(mallory)
    assert client.get(survey.get_absolute_url()).status_code == 404
    client.force_login(alice)
    assert client.post(survey.get_absolute_url(), {"rating": "3", "comment": "Slow but fine"}).status_code == 302

    request = RequestFactory().get("/")
    request.user = ivan
    html = Template("{% load extramile %}{% extramile_pain_point_panel pain_point %}").render(
        Context({"pain_point": pain_point, "request": request})
    )
    assert "3.0/5" in html and "Slow but fine" in html
    assert f"?pain_point={pain_point.pk}" in html


def test_the_survey_api_shows_only_your_own(api, alice, sam, ivan):
    make_resolved(submitted_by=alice, it_user=ivan)
    services.surveys_create()
    assert api(alice).get("/api/v1/surveys/").json()["count"] == 1
    assert api(sam).get("/api/v1/surveys/").json()["count"] == 0
    assert api(ivan).get("/api/v1/surveys/").json()["count"] == 1
