"""Maintenance windows and check-ins: created when a window ends (once), answered by the key
user or IT on their behalf, a "no" becoming a pain point, overdue ones listed for IT."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from listening.choices import Source
from listening.models import PainPoint
from listening.selectors import triage_queue
from partnership.extramile import services
from partnership.extramile.choices import CheckInStatus
from partnership.extramile.models import CheckIn, MaintenanceWindow
from partnership.extramile.tasks import create_check_ins
from partnership.extramile.workflow import CHECK_IN
from partnership.notifications.models import Notification

from .factories import queries_of, record_window

pytestmark = pytest.mark.django_db


def test_a_window_that_ends_before_it_starts_is_refused(ivan, alice):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.maintenance_window_create(actor=ivan, system="CRM", starts_at=now, ends_at=now - datetime.timedelta(hours=1), key_users=[alice])
    assert exc.value.message_dict["ends_at"] == ["The window must end after it starts."]
    assert not MaintenanceWindow.objects.exists()


def test_a_window_needs_key_users_with_a_unit_and_is_recorded_by_it(ivan, alice, carla, sales):
    with pytest.raises(ValidationError) as exc:
        record_window(actor=ivan, key_users=[])
    assert "key_users" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record_window(actor=ivan, key_users=[carla])
    assert "key_users" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        record_window(actor=alice, key_users=[alice])
    window = record_window(actor=ivan, key_users=[alice])
    assert list(window.business_units.all()) == [sales], "the key users' units by default"


def test_check_ins_are_created_once_the_window_has_ended_and_only_once(clock, ivan, alice, sam, settings):
    settings.EXTRAMILE_CHECKIN_DUE_HOURS = 24
    window = record_window(actor=ivan, key_users=[alice, sam], starts_in_hours=1, hours=2)
    assert services.check_ins_create() == 0
    assert not CheckIn.objects.exists()

    clock.travel(hours=2)  # the window runs
    create_check_ins()
    assert not CheckIn.objects.exists()

    clock.travel(hours=1, minutes=5)  # it has ended
    create_check_ins()
    create_check_ins()
    assert services.check_ins_create() == 0
    check_ins = CheckIn.objects.filter(window=window)
    assert {c.key_user for c in check_ins} == {alice, sam}
    assert all(c.due_at == clock.now + datetime.timedelta(hours=24) for c in check_ins)
    assert Notification.objects.filter(kind="extramile.check_in").count() == 2
    window.refresh_from_db()
    assert window.check_ins_created_at is not None


def test_creating_check_ins_is_idempotent_even_when_the_marker_is_lost(ivan, alice):
    window = record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    MaintenanceWindow.objects.filter(pk=window.pk).update(check_ins_created_at=None)  # a worker killed halfway
    services.check_ins_create()
    assert CheckIn.objects.count() == 1
    assert Notification.objects.filter(kind="extramile.check_in").count() == 1


def test_a_check_in_becomes_overdue_after_its_due_hours(clock, ivan, alice, client, settings):
    settings.EXTRAMILE_CHECKIN_DUE_HOURS = 4
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    check_in = CheckIn.objects.get()
    assert not check_in.is_overdue
    clock.travel(hours=5)
    assert check_in.is_overdue
    assert list(CheckIn.objects.overdue()) == [check_in]
    client.force_login(ivan)
    board = client.get("/extra-mile/maintenance/")
    assert list(board.context["overdue"]) == [check_in]
    assert client.get("/extra-mile/check-ins/?state=overdue").context["page_obj"].object_list[0] == check_in


def test_yes_closes_the_check_in_without_a_pain_point(ivan, alice):
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    check_in = services.check_in_answer(check_in=CheckIn.objects.get(), actor=alice, systems_ok=True)
    assert check_in.status == CheckInStatus.OK and check_in.answered_on_time
    assert not PainPoint.objects.exists()


def test_no_creates_a_pain_point_from_the_check_in_for_it_at_once(ivan, alice, sales):
    record_window(actor=ivan, key_users=[alice], system="Web shop")
    services.check_ins_create()
    check_in = services.check_in_answer(
        check_in=CheckIn.objects.get(), actor=alice, systems_ok=False, problem="Orders do not reach the warehouse"
    )
    assert check_in.status == CheckInStatus.PROBLEM
    pain_point = PainPoint.objects.get(pk=check_in.pain_point_id)
    assert pain_point.source == Source.CHECK_IN
    assert pain_point.business_unit == sales
    assert "Orders do not reach the warehouse" in pain_point.title
    assert pain_point in triage_queue(user=ivan)
    assert Notification.objects.filter(recipient=ivan, kind="extramile.check_in_problem").exists(), "he recorded the window"


def test_no_without_saying_what_is_wrong_is_refused(ivan, alice):
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    with pytest.raises(ValidationError) as exc:
        services.check_in_answer(check_in=CheckIn.objects.get(), actor=alice, systems_ok=False, problem="  ")
    assert "problem" in exc.value.message_dict
    assert CheckIn.objects.get().status == CheckInStatus.PENDING
    assert not PainPoint.objects.exists()


def test_answering_someone_elses_check_in_is_refused(ivan, alice, sam):
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    with pytest.raises(PermissionDenied, match="Only the key user of a check-in, or IT on their behalf"):
        services.check_in_answer(check_in=CheckIn.objects.get(), actor=sam, systems_ok=True)
    assert CheckIn.objects.get().status == CheckInStatus.PENDING


def test_it_answers_on_behalf_of_the_key_user_after_a_call(ivan, greta_it, alice):
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    check_in = services.check_in_answer(check_in=CheckIn.objects.get(), actor=greta_it, systems_ok=False, problem="Printing fails")
    assert check_in.answered_by == greta_it
    assert PainPoint.objects.get().submitted_by == alice
    assert "on their behalf" in PainPoint.objects.get().description


def test_a_check_in_is_answered_once(ivan, alice):
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    services.check_in_answer(check_in=CheckIn.objects.get(), actor=alice, systems_ok=True)
    with pytest.raises(ValidationError) as exc:
        services.check_in_answer(check_in=CheckIn.objects.get(), actor=alice, systems_ok=False, problem="x")
    assert "status" in exc.value.message_dict
    assert not PainPoint.objects.exists()


# --- Pages and API ---------------------------------------------------------------------------------------


def test_the_key_user_answers_no_on_the_page_the_notification_links_to(client, ivan, alice):
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    client.force_login(alice)
    url = Notification.objects.get(recipient=alice, kind="extramile.check_in").url
    assert client.get(url).context["can_answer"] is True
    response = client.post(url, {"systems_ok": "no", "problem": ""})
    assert response.status_code == 400
    assert not PainPoint.objects.exists()
    response = client.post(url, {"systems_ok": "no", "problem": "The CRM is slow"})
    assert response.status_code == 302
    assert PainPoint.objects.get().source == Source.CHECK_IN


def test_the_page_offers_the_answer_to_the_key_user_and_it_but_not_to_a_colleague(client, ivan, alice, sam):
    """The form is shown by CHECK_IN.available: alice and IT get it, sam (who sees the check-in) does
    not, and his post is refused (403); once answered, nobody gets it and a second post says why."""
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    check_in = CheckIn.objects.get()
    for user, offered in ((alice, True), (ivan, True), (sam, False)):
        client.force_login(user)
        page = client.get(check_in.get_absolute_url())
        assert page.context["can_answer"] is offered, user.username
        assert ("Send the answer" in page.content.decode()) is offered, user.username
    assert "Waiting for" in page.content.decode()
    assert client.post(check_in.get_absolute_url(), {"systems_ok": "yes"}).status_code == 403
    assert CheckIn.objects.get().is_pending
    client.force_login(alice)
    assert client.post(check_in.get_absolute_url(), {"systems_ok": "yes"}).status_code == 302
    page = client.get(check_in.get_absolute_url())
    assert page.context["can_answer"] is False and "Running correctly" in page.content.decode()
    again = client.post(check_in.get_absolute_url(), {"systems_ok": "no", "problem": "Slow"})
    assert again.status_code == 400 and "This check-in was already answered." in again.content.decode()
    assert not PainPoint.objects.exists()


def test_a_check_in_of_another_unit_is_404_on_the_page_and_in_the_api(client, api, ivan, alice, mallory):
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    check_in = CheckIn.objects.get()
    client.force_login(mallory)
    assert client.get(check_in.get_absolute_url()).status_code == 404
    assert api(mallory).get(f"/api/v1/check-ins/{check_in.pk}/").status_code == 404
    assert api(mallory).post(f"/api/v1/check-ins/{check_in.pk}/answer/", {"systems_ok": True}).status_code == 404
    assert client.get(check_in.window.get_absolute_url()).status_code == 404


def test_the_api_answers_a_check_in_and_refuses_a_colleague(api, ivan, alice, sam):
    record_window(actor=ivan, key_users=[alice])
    services.check_ins_create()
    check_in = CheckIn.objects.get()
    response = api(sam).post(f"/api/v1/check-ins/{check_in.pk}/answer/", {"systems_ok": True})
    assert response.status_code == 403
    assert response.json()["detail"] == CHECK_IN["answer"].denied
    response = api(alice).post(f"/api/v1/check-ins/{check_in.pk}/answer/", {"systems_ok": False, "problem": "Reports are empty"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "problem"
    assert response.json()["pain_point"] == PainPoint.objects.get().pk


def test_the_api_refuses_a_window_that_ends_before_it_starts(api, ivan, alice):
    now = timezone.now()
    response = api(ivan).post(
        "/api/v1/maintenance-windows/",
        {"system": "ERP", "starts_at": now.isoformat(), "ends_at": (now - datetime.timedelta(hours=2)).isoformat(), "key_users": [alice.pk]},
    )
    assert response.status_code == 400
    assert response.json()["fields"]["ends_at"] == ["The window must end after it starts."]
    assert not MaintenanceWindow.objects.exists()
    response = api(alice).post(
        "/api/v1/maintenance-windows/",
        {"system": "ERP", "starts_at": now.isoformat(), "ends_at": (now + datetime.timedelta(hours=2)).isoformat(), "key_users": [alice.pk]},
    )
    assert response.status_code == 403
    response = api(ivan).post(
        "/api/v1/maintenance-windows/",
        {"system": "ERP", "starts_at": now.isoformat(), "ends_at": (now + datetime.timedelta(hours=2)).isoformat(), "key_users": [alice.pk]},
    )
    assert response.status_code == 201
    assert response.json()["key_users"] == [alice.pk]


def test_it_records_a_window_on_the_page(client, ivan, alice):
    client.force_login(ivan)
    now = timezone.localtime()
    response = client.post(
        "/extra-mile/maintenance/new/",
        {"system": "ERP", "starts_at": (now - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
         "ends_at": (now - datetime.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"), "key_users": [alice.pk]},
    )
    assert response.status_code == 400
    assert "The window must end after it starts." in response.content.decode()
    response = client.post(
        "/extra-mile/maintenance/new/",
        {"system": "ERP", "starts_at": (now - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
         "ends_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "key_users": [alice.pk]},
    )
    assert response.status_code == 302
    client.force_login(alice)
    assert client.get("/extra-mile/maintenance/new/").status_code == 403


def test_the_board_and_the_check_in_endpoints_have_constant_queries(client, api, ivan, alice, sam, django_assert_num_queries):
    record_window(actor=ivan, key_users=[alice, sam])
    services.check_ins_create()
    client.force_login(ivan)
    it_api = api(ivan)
    urls = ["/extra-mile/maintenance/", "/extra-mile/check-ins/", "/api/v1/check-ins/", "/api/v1/maintenance-windows/"]
    counts = {}
    for url in urls:
        getter = it_api.get if url.startswith("/api") else client.get
        getter(url)
        counts[url] = queries_of(lambda getter=getter, url=url: getter(url))
    for i in range(8):
        record_window(actor=ivan, key_users=[alice, sam], system=f"System {i}")
    services.check_ins_create()
    for url in urls:
        getter = it_api.get if url.startswith("/api") else client.get
        with django_assert_num_queries(counts[url]):
            assert getter(url).status_code == 200
