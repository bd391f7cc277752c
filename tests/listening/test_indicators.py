"""The listening pillar's score indicators: values, "no data", per unit, fixed query counts."""

import datetime

import pytest
from django.utils import timezone

from listening import selectors, services
from listening.models import PainPoint
from partnership.score import Window, registered_indicators

from .factories import ListeningSessionFactory, make_pain_point, make_planned

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WINDOW = Window.last_days(90, today=TODAY)


def _age(pain_point, days):
    created = timezone.now() - datetime.timedelta(days=days)
    PainPoint.objects.filter(pk=pain_point.pk).update(created_at=created)


def test_the_listening_indicators_are_registered():
    keys = {i.key for i in registered_indicators()}
    assert {"listening.units_listened", "listening.acknowledged_within_sla", "listening.old_pain_points_planned"} <= keys


def test_units_listened_is_the_share_of_units_with_a_session_in_the_window(sales, finance):
    ListeningSessionFactory(business_unit=sales, held_on=TODAY - datetime.timedelta(days=10))
    ListeningSessionFactory(business_unit=finance, held_on=TODAY - datetime.timedelta(days=200))
    measure = selectors.measure_units_listened(WINDOW)
    assert (measure.value, measure.records) == (50.0, 1)
    assert measure.url.startswith("/listening/sessions/?held_after=")
    assert selectors.measure_units_listened(WINDOW, business_unit=finance).value == 0.0
    by_unit = selectors.measure_units_listened_by_unit(WINDOW)
    assert by_unit[sales.pk].value == 100.0 and by_unit[None].value == 50.0


def test_no_units_means_no_data(db):
    assert selectors.measure_units_listened(WINDOW).value is None


def test_acknowledged_within_sla_counts_due_and_answered_pain_points_only(alice, ivan, sales):
    in_time = make_pain_point(submitted_by=alice, title="In time")
    services.pain_point_acknowledge(pain_point=in_time, actor=ivan)
    late = make_pain_point(submitted_by=alice, title="Late")
    PainPoint.objects.filter(pk=late.pk).update(ack_due_on=TODAY - datetime.timedelta(days=1))
    services.pain_point_acknowledge(pain_point=late, actor=ivan)
    missed = make_pain_point(submitted_by=alice, title="Never answered")
    PainPoint.objects.filter(pk=missed.pk).update(ack_due_on=TODAY - datetime.timedelta(days=1))
    make_pain_point(submitted_by=alice, title="Not yet due")  # pending: left out
    measure = selectors.measure_acknowledged_within_sla(WINDOW)
    assert (measure.value, measure.records) == (33.3, 3)
    assert "sla=due" in measure.url
    assert selectors.measure_acknowledged_within_sla_by_unit(WINDOW)[sales.pk].value == 33.3


def test_acknowledged_within_sla_without_due_pain_points_has_no_data(alice):
    make_pain_point(submitted_by=alice)
    assert selectors.measure_acknowledged_within_sla(WINDOW).value is None


def test_old_pain_points_with_a_plan(alice, ivan, sales):
    planned = make_planned(make_pain_point(submitted_by=alice, title="Planned"), ivan)
    silent = make_pain_point(submitted_by=alice, title="Silent")
    young = make_pain_point(submitted_by=alice, title="Young")
    for pain_point in (planned, silent):
        _age(pain_point, 40)
    measure = selectors.measure_old_pain_points_planned(WINDOW)
    assert (measure.value, measure.records) == (50.0, 2)
    assert young.pk
    assert selectors.measure_old_pain_points_planned_by_unit(WINDOW)[None].value == 50.0


def test_indicators_cost_a_fixed_number_of_queries(alice, ivan, sales, finance, django_assert_num_queries):
    for i in range(5):
        make_pain_point(submitted_by=alice, title=f"P{i}")
        ListeningSessionFactory(business_unit=sales if i % 2 else finance)
    for measure in (
        selectors.measure_units_listened_by_unit,
        selectors.measure_acknowledged_within_sla_by_unit,
        selectors.measure_old_pain_points_planned_by_unit,
    ):
        with django_assert_num_queries(1):
            measure(WINDOW)
