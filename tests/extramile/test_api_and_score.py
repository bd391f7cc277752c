"""The extra-mile API and the extra_mile pillar's indicators."""

import datetime

import pytest
from django.utils import timezone

from partnership.extramile import measures, services
from partnership.extramile.models import CheckIn, ExtraMileAction, ExtraMileRating, ResolutionSurvey
from partnership.score import Window
from partnership.score.registry import Pillar, attention_sources, registered_indicators

from .factories import log_action, make_pain_point, make_resolved, queries_of, record_window

pytestmark = pytest.mark.django_db


def test_it_logs_an_action_through_the_api_and_a_recipient_rates_it(api, ivan, alice, sales):
    pain_point = make_pain_point(submitted_by=alice)
    response = api(ivan).post(
        "/api/v1/extra-mile-actions/",
        {"kind": "extra_analysis", "title": "Added churn charts", "business_unit": sales.pk, "recipients": [alice.pk],
         "effort_hours": "2.5", "subject_type": "listening.painpoint", "subject_id": pain_point.pk},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["performed_by"] == ivan.pk and body["is_confirmed"] is False and body["subject_id"] == pain_point.pk
    action_id = body["id"]
    response = api(alice).post(f"/api/v1/extra-mile-actions/{action_id}/rate/", {"rating": 6})
    assert response.status_code == 400
    assert response.json()["fields"]["rating"] == ["Give a rating from 1 to 5."]
    assert not ExtraMileRating.objects.exists()
    response = api(alice).post(f"/api/v1/extra-mile-actions/{action_id}/rate/", {"rating": 5, "comment": "Great"})
    assert response.status_code == 201
    assert api(alice).get(f"/api/v1/extra-mile-actions/{action_id}/").json()["average_rating"] == 5.0


def test_the_api_refuses_a_performer_rating_their_own_and_business_people_logging(api, ivan, alice, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    response = api(ivan).post(f"/api/v1/extra-mile-actions/{action.pk}/rate/", {"rating": 5})
    assert response.status_code == 400 and "You performed this action" in response.json()["detail"]
    response = api(alice).post("/api/v1/extra-mile-actions/", {"kind": "other", "title": "x", "business_unit": sales.pk})
    assert response.status_code == 403
    assert ExtraMileAction.objects.count() == 1


def test_the_api_refuses_a_subject_the_user_cannot_name(api, ivan, sales):
    response = api(ivan).post(
        "/api/v1/extra-mile-actions/",
        {"kind": "other", "title": "x", "business_unit": sales.pk, "subject_type": "listening.painpoint", "subject_id": 999999},
    )
    assert response.status_code == 400 and "subject" in response.json()["fields"]
    assert not ExtraMileAction.objects.exists()


def test_the_action_endpoint_has_a_constant_number_of_queries(api, ivan, alice, sam, sales, django_assert_num_queries):
    client = api(alice)
    log_action(actor=ivan, business_unit=sales, recipients=[alice])
    client.get("/api/v1/extra-mile-actions/")
    small = queries_of(lambda: client.get("/api/v1/extra-mile-actions/"))
    for i in range(15):
        action = log_action(actor=ivan, business_unit=sales, recipients=[alice, sam], title=f"A{i}")
        services.extra_mile_action_rate(action=action, rated_by=sam, rating=4)
    with django_assert_num_queries(small):
        assert client.get("/api/v1/extra-mile-actions/").json()["count"] == 16


def test_the_survey_endpoint_has_a_constant_number_of_queries(api, ivan, alice, django_assert_num_queries):
    client = api(ivan)
    make_resolved(submitted_by=alice, it_user=ivan)
    services.surveys_create()
    client.get("/api/v1/surveys/")
    small = queries_of(lambda: client.get("/api/v1/surveys/"))
    for i in range(5):
        make_resolved(submitted_by=alice, it_user=ivan, title=f"P{i}")
    services.surveys_create()
    with django_assert_num_queries(small):
        assert client.get("/api/v1/surveys/").json()["count"] == 6


# --- Indicators ---------------------------------------------------------------------------------------------


def _window():
    return Window.last_days(90, today=timezone.localdate())


def test_the_extra_mile_pillar_registers_four_indicators_and_an_attention_item():
    keys = {i.key for i in registered_indicators() if i.pillar == Pillar.EXTRA_MILE}
    assert keys == {
        "extra_mile.actions_per_resolved", "extra_mile.average_rating", "extra_mile.check_ins_on_time", "extra_mile.survey_average",
    }
    assert "extra_mile.overdue_check_ins" in {s.key for s in attention_sources()}


def test_indicators_have_no_data_without_records(db):
    window = _window()
    for measure in (
        measures.measure_actions_per_resolved, measures.measure_average_rating,
        measures.measure_check_ins_on_time, measures.measure_survey_average,
    ):
        assert measure(window).value is None


def test_unconfirmed_actions_count_half_and_at_most_k_per_performer_a_week(settings):
    settings.EXTRAMILE_UNCONFIRMED_WEIGHT = 0.5
    week = datetime.date(2026, 3, 2)
    groups = [(1, week, True, 2), (1, week, False, 2)]
    assert measures.weighted_action_count(groups, weight=0.5, cap=5) == 3.0
    assert measures.weighted_action_count([(1, week, False, 9)], weight=0.5, cap=5) == 2.5
    assert measures.weighted_action_count([(1, week, True, 4), (1, week, False, 4)], weight=0.5, cap=5) == 4.5
    assert measures.weighted_action_count([(1, week, True, 5), (2, week, True, 5)], weight=0.5, cap=5) == 10


def test_actions_per_resolved_pain_point_and_average_rating(ivan, alice, sales, finance, settings):
    settings.EXTRAMILE_UNCONFIRMED_WEIGHT = 0.5
    settings.EXTRAMILE_MAX_ACTIONS_PER_WEEK = 5
    make_resolved(submitted_by=alice, it_user=ivan)
    make_resolved(submitted_by=alice, it_user=ivan)
    confirmed = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    log_action(actor=ivan, business_unit=sales, recipients=[alice])
    services.extra_mile_action_rate(action=confirmed, rated_by=alice, rating=4)
    window = _window()
    measure = measures.measure_actions_per_resolved(window)
    assert measure.value == 0.75  # (1 + 0.5) / 2
    assert measure.records == 2
    assert measures.measure_actions_per_resolved(window, business_unit=finance).value is None
    by_unit = measures.measure_actions_per_resolved_by_unit(window)
    assert by_unit[sales.pk].value == 0.75 and by_unit[None].value == 0.75
    assert measures.measure_average_rating(window).value == 4
    assert measures.measure_average_rating_by_unit(window)[sales.pk].records == 1


def test_check_ins_on_time_and_survey_average(clock, ivan, alice, sam, sales, settings):
    settings.EXTRAMILE_CHECKIN_DUE_HOURS = 2
    record_window(actor=ivan, key_users=[alice, sam])
    services.check_ins_create()
    services.check_in_answer(check_in=CheckIn.objects.get(key_user=alice), actor=alice, systems_ok=True)
    assert measures.measure_check_ins_on_time(_window()).value is None, "not yet due, one answered: the late one is pending"
    clock.travel(hours=3)
    measure = measures.measure_check_ins_on_time(_window())
    assert (measure.value, measure.records) == (50.0, 2)
    assert "due_from" in measure.url

    make_resolved(submitted_by=alice, it_user=ivan)
    services.surveys_create()
    services.survey_answer(survey=ResolutionSurvey.objects.get(), actor=alice, rating=3)
    assert measures.measure_survey_average(_window()).value == 3
    assert measures.measure_survey_average_by_unit(_window())[sales.pk].value == 3


def test_the_indicators_cost_the_same_queries_at_any_size(ivan, alice, sales, django_assert_num_queries):
    make_resolved(submitted_by=alice, it_user=ivan)
    log_action(actor=ivan, business_unit=sales, recipients=[alice])
    window = _window()
    functions = [
        measures.measure_actions_per_resolved_by_unit, measures.measure_average_rating_by_unit,
        measures.measure_check_ins_on_time_by_unit, measures.measure_survey_average_by_unit,
    ]
    counts = [queries_of(lambda f=f: f(window)) for f in functions]
    for i in range(6):
        action = log_action(actor=ivan, business_unit=sales, recipients=[alice], title=f"A{i}")
        services.extra_mile_action_rate(action=action, rated_by=alice, rating=5)
    for function, count in zip(functions, counts, strict=True):
        with django_assert_num_queries(count):
            function(window)


def test_the_schema_documents_the_extra_mile_endpoints(api, ivan):
    schema = api(ivan).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/extra-mile-actions/{id}/rate/", "/api/v1/maintenance-windows/", "/api/v1/check-ins/{id}/answer/",
        "/api/v1/surveys/{id}/answer/",
    ):
        assert path in schema["paths"], path
