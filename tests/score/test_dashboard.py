"""The score end to end: registry, gathering, snapshots, dashboard, exports and the API."""

import csv
import datetime
import io

import pytest
from django.db.models import Count

from partnership.notifications.models import Notification
from partnership.notifications.services import notify
from partnership.score import Indicator, Measure, register
from partnership.score.models import PulseResponse, ScoreConfig, ScoreSnapshot
from partnership.score.registry import Pillar, registered_indicators, unregister
from partnership.score.selectors import gather_measures
from partnership.score.services import pulse_respond, score_snapshot_take
from tests.factories import BusinessUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def notifications_by_unit(window):
    """A test-only indicator: notifications sent in the window, per recipient's unit, one query."""
    rows = (
        Notification.objects.filter(created_at__date__gte=window.start, created_at__date__lte=window.end)
        .values("recipient__business_unit")
        .annotate(n=Count("id"))
    )
    by_unit = {row["recipient__business_unit"]: Measure(row["n"], row["n"], "/inbox/") for row in rows}
    by_unit[None] = Measure(sum(m.value for m in by_unit.values()) or None, sum(m.records for m in by_unit.values()), "/inbox/")
    return by_unit


@pytest.fixture
def only_test_indicators():
    """Only the test's own indicators count, whatever the pillar apps registered."""
    from partnership.score import registry

    saved = dict(registry._REGISTRY)
    registry._REGISTRY.clear()
    register(
        Indicator(
            key="test_notifications", pillar=Pillar.LISTENING, label="Notifications sent", unit="count", target=10,
            measure=lambda window, unit: notifications_by_unit(window).get(unit.pk if unit else None, Measure(None)),
            measure_by_unit=notifications_by_unit,
        )
    )
    register(
        Indicator(
            key="test_units", pillar=Pillar.SHARING, label="Active units", unit="count", target=4,
            measure=lambda window, unit: Measure(1, 1),
            measure_by_unit=lambda window: {None: Measure(4, 4, "/admin/")},
        )
    )
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


def test_a_test_only_app_can_register_an_indicator(only_test_indicators):
    assert [i.key for i in registered_indicators()] == ["test_notifications", "test_units"]
    unregister("test_units")
    assert [i.key for i in registered_indicators()] == ["test_notifications"]


def test_gathering_costs_the_same_queries_for_2_or_12_units(only_test_indicators, django_assert_num_queries, alice):
    from partnership.score import Window

    window = Window.last_days(90)
    units = [alice.business_unit, BusinessUnitFactory()]
    notify(recipients=[alice], kind="x", title="x")
    with django_assert_num_queries(1):
        gather_measures(window, units)
    units += BusinessUnitFactory.create_batch(10)
    for unit in units:
        notify(recipients=[UserFactory(business_unit=unit)], kind="x", title="x")
    with django_assert_num_queries(1):
        gather_measures(window, units)


def test_the_cio_dashboard_shows_score_pillars_and_no_data(client, carla, alice, only_test_indicators):
    notify(recipients=[alice], kind="x", title="x")
    client.force_login(carla)
    page = client.get("/dashboard/").content.decode()
    # listening: 1 of 10 -> 10; sharing: 4 of 4 -> 100; mean of the two pillars with data -> 55
    assert 'data-testid="overall-score">55<' in page
    assert "service provider" in page
    assert "no data" in page  # the pillars without indicators
    assert 'data-indicator="test_notifications"' in page


def test_the_api_gives_the_same_numbers_as_the_page(client, api, carla, alice, only_test_indicators):
    notify(recipients=[alice], kind="x", title="x")
    body = api(carla).get("/api/v1/score/?window=30").json()
    assert body["score"]["overall"] == 55
    assert body["score"]["band"] == "service provider"
    sales = next(u for u in body["business_units"] if u["business_unit"] == "sales")
    assert sales["pillars"]["listening"] == 10
    client.force_login(carla)
    page = client.get("/dashboard/?window=30&business_unit=sales").content.decode()
    assert 'data-testid="overall-score">10<' in page


def test_a_business_manager_sees_only_their_units_score(api, client, alice, mallory, only_test_indicators):
    assert api(alice).get("/api/v1/score/?business_unit=finance").status_code == 403
    body = api(alice).get("/api/v1/score/").json()
    assert body["score"]["business_unit"] == "sales"
    assert body["business_units"] == []
    client.force_login(alice)
    page = client.get("/dashboard/?business_unit=finance").content.decode()
    assert "Partnership dashboard: Sales" in page
    assert 'data-testid="unit-table"' not in page


def test_bad_parameters_are_a_400_with_the_field(api, carla):
    response = api(carla).get("/api/v1/score/?window=7")
    assert response.status_code == 400
    assert "window" in response.json()["fields"]
    assert api(carla).get("/api/v1/score/?business_unit=nowhere").status_code == 400


def test_snapshots_are_stored_once_a_day_however_often_the_task_runs(only_test_indicators, carla, alice):
    day = datetime.date(2026, 11, 20)
    first = score_snapshot_take(day=day)
    assert first == 2  # overall + Sales, the only unit
    assert score_snapshot_take(day=day) == 0
    assert ScoreSnapshot.objects.filter(date=day).count() == 2
    overall = ScoreSnapshot.objects.get(date=day, business_unit__isnull=True)
    assert overall.indicators["test_units"]["score"] == 100


def test_weights_and_targets_are_versioned_and_each_snapshot_records_its_version(api, carla, ivan, only_test_indicators):
    assert api(ivan).post("/api/v1/score/config/", {"weights": {"listening": 2}}, format="json").status_code == 403
    response = api(carla).post(
        "/api/v1/score/config/", {"weights": {"listening": 3}, "targets": {"test_units": 8}, "note": "focus"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert api(ivan).get("/api/v1/score/config/").json()["weights"] == {"listening": 3.0}
    score_snapshot_take(day=datetime.date(2026, 11, 21))
    snapshot = ScoreSnapshot.objects.get(date=datetime.date(2026, 11, 21), business_unit__isnull=True)
    assert snapshot.config.version == 1
    assert snapshot.indicators["test_units"]["score"] == 50  # 4 of the new target 8


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"weights": {"nonsense": 1}}, "weights"), ({"targets": {"test_units": -1}}, "targets"),
     ({"targets": {"unknown": 3}}, "targets"), ({"weights": {"listening": "heavy"}}, "weights")],
)
def test_bad_weights_or_targets_are_refused_and_nothing_is_saved(api, carla, only_test_indicators, payload, field):
    response = api(carla).post("/api/v1/score/config/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not ScoreConfig.objects.exists()


def test_the_cio_edits_weights_in_the_page(client, carla, only_test_indicators):
    client.force_login(carla)
    form = {f"weight_{p}": 1 for p in Pillar.ALL} | {"target_test_notifications": 5, "target_test_units": 4, "note": "x"}
    form["weight_revenue"] = 2
    response = client.post("/dashboard/settings/", form, follow=True)
    assert "saved as version 1" in response.content.decode()
    assert ScoreConfig.objects.get().weights["revenue"] == 2
    form["weight_revenue"] = -1
    assert "greater than or equal to 0" in client.post("/dashboard/settings/", form).content.decode()
    assert ScoreConfig.objects.count() == 1


def test_csv_exports_of_indicators_and_units(client, carla, alice, only_test_indicators):
    notify(recipients=[alice], kind="x", title="x")
    client.force_login(carla)
    indicators = client.get("/dashboard/indicators.csv").content.decode().splitlines()
    assert indicators[0].startswith("pillar,indicator,unit,value,target,score")
    assert any(line.startswith("listening,Notifications sent,count,1.00,10.00,10.00") for line in indicators)
    units = client.get("/dashboard/units.csv").content.decode().splitlines()
    assert units[0].startswith("business_unit,score,band")
    assert any(line.startswith("Sales,") for line in units)


def test_the_pulse_is_answered_once_a_quarter_and_shown_beside_the_score(client, alice, carla, only_test_indicators):
    client.force_login(alice)
    response = client.post("/pulse/", {"understands": 5, "delivers": 3, "partner": 4}, follow=True)
    assert "Thank you" in response.content.decode()
    with pytest.raises(Exception, match="already answered"):
        pulse_respond(respondent=alice, understands=1, delivers=1, partner=1)
    assert PulseResponse.objects.count() == 1
    client.force_login(carla)
    page = client.get("/dashboard/").content.decode()
    assert "4.0 / 5" in page
    assert "Gap to the evidence score" in page


def test_a_pulse_rating_out_of_range_is_refused(client, alice):
    client.force_login(alice)
    response = client.post("/pulse/", {"understands": 9, "delivers": 3, "partner": 4})
    assert "Select a valid choice" in response.content.decode()
    assert not PulseResponse.objects.exists()


def test_what_changed_lists_the_indicators_that_moved(client, carla, only_test_indicators):
    ScoreSnapshot.objects.create(date=datetime.date.today() - datetime.timedelta(days=31), overall=40, band="order taker",
                                 indicators={"test_notifications": {"score": 20, "url": "/inbox/"}})
    ScoreSnapshot.objects.create(date=datetime.date.today(), overall=60, band="trusted advisor",
                                 indicators={"test_notifications": {"score": 70, "url": "/inbox/"}})
    client.force_login(carla)
    page = client.get("/dashboard/").content.decode()
    assert "Notifications sent</a>:\n      20 → 70" in page


def test_integration_clients_have_no_dashboard(client, tess):
    client.force_login(tess)
    assert client.get("/dashboard/").status_code == 403




def test_business_managers_are_reminded_of_the_pulse_once_a_quarter_until_they_answer(alice, mallory, ivan):
    from django.utils import timezone

    from partnership.notifications.models import Reminder
    from partnership.notifications.services import reminders_send, reminders_sweep

    now = timezone.now()
    pulse_respond(respondent=mallory, understands=4, delivers=4, partner=4)
    reminders_sweep(now=now)
    reminders_sweep(now=now)
    due = Reminder.objects.filter(kind="partnership.pulse_due")
    assert sorted(due.values_list("recipient__username", flat=True)) == ["alice"]
    reminders_send(now=now)
    assert Notification.objects.filter(recipient=alice, url="/pulse/").count() == 1


@pytest.mark.parametrize("places", [0, 1, 2])
def test_the_dashboards_number_filter_prints_what_floatformat_prints(places):
    from decimal import Decimal

    from django.template.defaultfilters import floatformat

    from partnership.templatetags.portal_numbers import score_format

    values = [0, 0.0, -0.0, -0.4, 0.5, 1.5, 2.5, 2.675, 99.95, 99.5, 100, 100.0, 1e-7, 12345.678, -12.345,
              Decimal("3.14159"), Decimal("2.5"), 7, 66.66666666666667]
    for value in values:
        assert score_format(value, places) == floatformat(value, places), value
    assert score_format(None, places) == ""


def test_unit_names_are_escaped_in_the_comparison_and_the_picker(client, carla):
    from tests.factories import BusinessUnitFactory

    BusinessUnitFactory(name='<script>alert("x")</script> & Co', slug="evil")
    client.force_login(carla)
    page = client.get("/dashboard/?window=90&business_unit=evil").content.decode()
    assert '<script>alert("x")</script>' not in page
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co") >= 2  # picker and table
    assert '<option value="evil" selected>' in page
    assert 'href="?window=90&amp;business_unit=evil"' in page


def test_the_unit_export_neutralises_a_unit_name_a_spreadsheet_would_run(client, carla, alice, only_test_indicators):
    from partnership.models import BusinessUnit

    BusinessUnit.objects.create(name='=HYPERLINK("http://evil.example","Sales")', slug="evil")
    client.force_login(carla)
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/units.csv").content.decode())))
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\",\"Sales\")" in names
    assert not any(name.startswith("=") for name in names)
