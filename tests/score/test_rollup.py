"""The score rollup: a fresh one spares the dashboard and the API every indicator query; a
stale or mismatching one is ignored and the score is measured live."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.notifications.models import Notification
from partnership.score import rollup, scoring, selectors
from partnership.score.registry import Window
from partnership.score.services import score_config_create
from partnership.score.tasks import refresh_score_rollup
from tests.factories import BusinessUnitFactory
from tests.score.test_dashboard import only_test_indicators  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        response = callable_()
    assert response.status_code == 200, response.content[:500]
    return len(captured), response


def _window(days=90):
    return Window.last_days(days, timezone.localdate())


def test_the_beat_task_stores_every_window_and_the_schedule_runs_it_every_minute(settings, carla):
    assert settings.CELERY_BEAT_SCHEDULE["score-rollup"]["task"] == "partnership.score.tasks.refresh_score_rollup"
    assert str(settings.CELERY_BEAT_SCHEDULE["score-rollup"]["schedule"]._orig_minute) == "*"
    refresh_score_rollup()
    for days in rollup.WINDOW_DAYS:
        assert rollup.score_rollup_read(_window(days)) is not None


def test_a_fresh_rollup_spares_the_dashboard_and_the_api_every_indicator_query(client, api, carla, monkeypatch):
    rollup.score_rollup_refresh()

    def measured_live(*args, **kwargs):
        raise AssertionError("measured live although the rollup is fresh")

    monkeypatch.setattr(selectors, "gather_measures", measured_live)
    client.force_login(carla)
    assert client.get("/dashboard/?window=90").status_code == 200
    assert client.get("/dashboard/?window=30").status_code == 200
    assert api(carla).get("/api/v1/score/?window=365").status_code == 200


def test_with_a_fresh_rollup_the_dashboard_and_the_api_cost_fewer_queries_and_the_same_at_2_or_12_units(
    client, api, carla
):
    client.force_login(carla)
    token_client = api(carla)
    dashboard = lambda: client.get("/dashboard/?window=90")  # noqa: E731
    score_api = lambda: token_client.get("/api/v1/score/?window=90")  # noqa: E731
    dashboard(), score_api()  # warm caches (content types, sessions)
    live_dashboard, _ = _queries(dashboard)
    live_api, _ = _queries(score_api)

    rollup.score_rollup_refresh()
    fresh_dashboard, _ = _queries(dashboard)
    fresh_api, _ = _queries(score_api)
    assert fresh_dashboard < live_dashboard
    assert fresh_api < live_api

    BusinessUnitFactory.create_batch(10)
    rollup.score_rollup_refresh()
    assert _queries(dashboard)[0] == fresh_dashboard
    assert _queries(score_api)[0] == fresh_api


def test_a_rollup_older_than_the_maximum_age_is_ignored(settings, carla):
    settings.SCORE_ROLLUP_MAX_AGE_SECONDS = 60
    rollup.score_rollup_refresh()
    window = _window()
    assert rollup.score_rollup_read(window, now=time.time() + 30) is not None
    assert rollup.score_rollup_read(window, now=time.time() + 61) is None


def test_a_rollup_of_another_window_or_set_of_indicators_is_ignored(only_test_indicators, carla):  # noqa: F811
    from partnership.score import Indicator, Measure, register
    from partnership.score.registry import Pillar

    rollup.score_rollup_refresh(today=timezone.localdate() - timezone.timedelta(days=1))
    assert rollup.score_rollup_read(_window()) is None  # yesterday's window

    rollup.score_rollup_refresh()
    assert rollup.score_rollup_read(_window()) is not None
    register(Indicator(key="test_new", pillar=Pillar.REVENUE, label="New", unit="count", target=1,
                       measure=lambda window, unit: Measure(1, 1)))
    assert rollup.score_rollup_read(_window()) is None


def test_a_stale_rollup_falls_back_to_live_numbers_and_a_fresh_one_may_lag_behind(
    only_test_indicators, settings, api, carla  # noqa: F811
):
    client = api(carla)

    def notifications_value():
        score = client.get("/api/v1/score/?window=90").json()["score"]
        return next(i["value"] for i in score["indicators"] if i["key"] == "test_notifications")

    Notification.objects.create(recipient=carla, kind="test", title="one")
    rollup.score_rollup_refresh()
    Notification.objects.create(recipient=carla, kind="test", title="two")
    assert notifications_value() == 1  # fresh: the rollup's number, at most a minute behind

    settings.SCORE_ROLLUP_MAX_AGE_SECONDS = -1  # every rollup is stale
    assert notifications_value() == 2  # measured live


def test_new_weights_and_targets_apply_at_once_over_a_fresh_rollup(only_test_indicators, api, carla):  # noqa: F811
    rollup.score_rollup_refresh()
    score_config_create(actor=carla, weights={}, targets={"test_units": 8}, note="harder")
    score = api(carla).get("/api/v1/score/?window=90").json()["score"]
    row = next(i for i in score["indicators"] if i["key"] == "test_units")
    assert row["target"] == 8
    assert row["score"] == pytest.approx(50)


def test_a_fresh_rollup_is_read_already_scored_and_the_api_body_matches_its_serializer(
    only_test_indicators, api, carla, monkeypatch  # noqa: F811
):
    from rest_framework.renderers import JSONRenderer

    from partnership.score import api as score_api
    from partnership.score import engine

    Notification.objects.create(recipient=carla, kind="test", title="one")
    BusinessUnitFactory.create_batch(3)
    live = api(carla).get("/api/v1/score/?window=90").json()
    rollup.score_rollup_refresh()

    def scored_again(*args, **kwargs):
        raise AssertionError("scored on read although the rollup holds this configuration's scores")

    monkeypatch.setattr(engine, "compute", scored_again)
    monkeypatch.setattr(scoring, "compute", scored_again)
    body = api(carla).get("/api/v1/score/?window=90").json()
    assert body == live  # the same numbers, unit by unit
    assert len(body["business_units"]) == 3 and body["score"]["overall"] is not None

    # The hand-built body is exactly what the documented serializer gives.
    window = _window()
    result = selectors.partnership_score(window, None)
    documented = score_api.ScoreSerializer(
        {"window_start": window.start, "window_end": window.end, "config_version": None,
         "score": result["main"], "business_units": result["units"]}
    ).data
    render = JSONRenderer().render  # byte for byte: 4 and 4.0 differ in JSON
    assert render(score_api.score_data(window, result)) == render(documented)


def test_new_weights_over_a_fresh_rollup_score_its_stored_measures_without_measuring(
    only_test_indicators, api, carla, monkeypatch  # noqa: F811
):
    rollup.score_rollup_refresh()
    monkeypatch.setattr(selectors, "gather_measures", lambda *a, **k: pytest.fail("measured live"))
    score_config_create(actor=carla, weights={"sharing": 3}, targets={"test_units": 16}, note="harder")
    body = api(carla).get("/api/v1/score/?window=90").json()
    assert body["config_version"] == 1
    row = next(i for i in body["score"]["indicators"] if i["key"] == "test_units")
    assert row["score"] == pytest.approx(25)
