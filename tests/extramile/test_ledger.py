"""The extra-mile ledger: logging, notifying, confirming and rating, refusals and visibility."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partnership.extramile import services
from partnership.extramile.choices import ActionKind, ActionStatus
from partnership.extramile.models import ExtraMileAction, ExtraMileRating
from partnership.notifications.models import Notification

from .factories import log_action, make_pain_point, queries_of

pytestmark = pytest.mark.django_db


def test_logging_an_action_asks_each_recipient_to_confirm_and_rate_it(ivan, alice, sam, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice, sam])
    assert action.status == ActionStatus.DONE
    assert action.performed_by == ivan
    notes = Notification.objects.filter(kind="extramile.action_done")
    assert {n.recipient for n in notes} == {alice, sam}
    assert all(n.url == action.get_absolute_url() for n in notes)


def test_only_it_staff_log_actions(alice, sales):
    with pytest.raises(PermissionDenied):
        log_action(actor=alice, business_unit=sales)
    assert not ExtraMileAction.objects.exists()


def test_recipients_are_business_people(ivan, carla, sales):
    with pytest.raises(ValidationError) as exc:
        log_action(actor=ivan, business_unit=sales, recipients=[carla])
    assert "recipients" in exc.value.message_dict
    assert not ExtraMileAction.objects.exists()


def test_an_action_names_a_portal_subject_or_an_external_ticket_not_both(ivan, alice, sales):
    pain_point = make_pain_point(submitted_by=alice)
    with pytest.raises(ValidationError) as exc:
        log_action(actor=ivan, business_unit=sales, subject=pain_point, external_ref="JIRA-1")
    assert "external_ref" in exc.value.message_dict
    action = log_action(actor=ivan, business_unit=sales, subject=pain_point)
    assert action.subject == pain_point
    assert log_action(actor=ivan, business_unit=sales, external_ref="JIRA-7").external_ref == "JIRA-7"


def test_a_done_action_cannot_be_dated_in_the_future(ivan, sales):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        log_action(actor=ivan, business_unit=sales, performed_on=tomorrow)
    assert "performed_on" in exc.value.message_dict


def test_a_recipient_confirms_and_rates_once_and_the_performer_hears_it(ivan, alice, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    rating = services.extra_mile_action_rate(action=action, rated_by=alice, rating=5, comment="Exactly what we needed")
    assert rating.rating == 5
    assert Notification.objects.filter(recipient=ivan, kind="extramile.action_rated").exists()
    with pytest.raises(ValidationError) as exc:
        services.extra_mile_action_rate(action=action, rated_by=alice, rating=4)
    assert exc.value.message_dict["rating"] == ["You already rated this action."]
    assert ExtraMileRating.objects.get().rating == 5


@pytest.mark.parametrize("bad", [0, 6, -1, "five", 4.5, None])
def test_a_rating_out_of_range_is_refused(ivan, alice, sales, bad):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    with pytest.raises(ValidationError) as exc:
        services.extra_mile_action_rate(action=action, rated_by=alice, rating=bad)
    assert exc.value.message_dict["rating"] == ["Give a rating from 1 to 5."]
    assert not ExtraMileRating.objects.exists()


def test_someone_who_is_not_a_recipient_cannot_rate(ivan, alice, sam, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    with pytest.raises(ValidationError) as exc:
        services.extra_mile_action_rate(action=action, rated_by=sam, rating=5)
    assert "Only the recipients" in exc.value.message_dict["rating"][0]
    assert not ExtraMileRating.objects.exists()


def test_the_performer_cannot_rate_their_own_action(ivan, sales):
    action = log_action(actor=ivan, business_unit=sales)
    with pytest.raises(ValidationError) as exc:
        services.extra_mile_action_rate(action=action, rated_by=ivan, rating=5)
    assert "You performed this action" in exc.value.message_dict["rating"][0]


def test_a_planned_action_is_rated_only_once_done(ivan, alice, sales):
    later = timezone.localdate() + datetime.timedelta(days=7)
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice], performed_on=later, status=ActionStatus.PLANNED)
    assert not Notification.objects.filter(kind="extramile.action_done").exists()
    with pytest.raises(ValidationError):
        services.extra_mile_action_rate(action=action, rated_by=alice, rating=5)
    services.extra_mile_action_complete(action=action, actor=ivan, effort_hours=6)
    assert Notification.objects.filter(recipient=alice, kind="extramile.action_done").exists()
    services.extra_mile_action_rate(action=action, rated_by=alice, rating=4)
    with pytest.raises(ValidationError) as exc:
        services.extra_mile_action_complete(action=action, actor=ivan)
    assert "status" in exc.value.message_dict


# --- Pages ------------------------------------------------------------------------------------------------


def test_it_logs_an_action_from_the_short_form(client, ivan, alice, sales):
    client.force_login(ivan)
    assert client.get("/extra-mile/actions/new/").status_code == 200
    response = client.post(
        "/extra-mile/actions/new/",
        {"kind": ActionKind.LONGER_DATA_PERIOD, "title": "Five years instead of one", "business_unit": sales.pk,
         "recipients": [alice.pk], "performed_on": timezone.localdate().isoformat(), "effort_hours": "1.5"},
    )
    action = ExtraMileAction.objects.get()
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert list(action.recipients.all()) == [alice]


def test_the_short_form_shows_refusals_and_creates_nothing(client, ivan, carla, sales):
    client.force_login(ivan)
    response = client.post(
        "/extra-mile/actions/new/",
        {"kind": ActionKind.OTHER, "title": "x", "business_unit": sales.pk, "recipients": [carla.pk],
         "performed_on": timezone.localdate().isoformat(), "effort_hours": "1"},
    )
    assert response.status_code == 400
    assert not ExtraMileAction.objects.exists()


def test_the_log_form_is_prefilled_from_a_pain_point(client, ivan, alice, sales):
    pain_point = make_pain_point(submitted_by=alice)
    client.force_login(ivan)
    response = client.get(f"/extra-mile/actions/new/?pain_point={pain_point.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["subject_type"] == "listening.painpoint"
    assert form.initial["subject_id"] == pain_point.pk
    assert form.initial["business_unit"] == sales.pk
    assert form.initial["recipients"] == [alice.pk]
    response = client.post(
        "/extra-mile/actions/new/",
        {"kind": ActionKind.MANUAL_FAQ, "title": "FAQ", "business_unit": sales.pk, "recipients": [alice.pk],
         "performed_on": timezone.localdate().isoformat(), "effort_hours": "3",
         "subject_type": "listening.painpoint", "subject_id": pain_point.pk},
    )
    assert response.status_code == 302
    assert ExtraMileAction.objects.get().subject == pain_point


def test_business_people_cannot_open_the_log_form(client, alice):
    client.force_login(alice)
    assert client.get("/extra-mile/actions/new/").status_code == 403


def test_a_recipient_confirms_and_rates_from_the_page_the_notification_links_to(client, ivan, alice, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    client.force_login(alice)
    page = client.get(Notification.objects.get(recipient=alice).url)
    assert page.context["can_rate"] is True
    assert b"Unconfirmed" in page.content
    response = client.post(f"/extra-mile/actions/{action.pk}/rate/", {"rating": "4", "comment": "Saved us a day"})
    assert response.status_code == 302
    assert ExtraMileRating.objects.get().rating == 4
    page = client.get(action.get_absolute_url())
    assert page.context["can_rate"] is False
    assert b"Confirmed" in page.content


def test_what_it_did_for_us_shows_unconfirmed_actions_with_a_rate_form(client, ivan, alice, sales, finance):
    log_action(actor=ivan, business_unit=sales, recipients=[alice], title="Charts for the Sales review")
    log_action(actor=ivan, business_unit=finance, title="Finance only")
    client.force_login(alice)
    response = client.get("/extra-mile/")
    assert response.status_code == 302 and response.url == "/extra-mile/for-us/"
    response = client.get("/extra-mile/for-us/")
    assert b"Charts for the Sales review" in response.content
    assert b"Finance only" not in response.content
    assert b"Unconfirmed" in response.content
    assert b"Confirm and rate" in response.content


def test_another_units_action_is_404_on_the_page_and_in_the_api(client, api, ivan, mallory, sales):
    action = log_action(actor=ivan, business_unit=sales)
    client.force_login(mallory)
    assert client.get(action.get_absolute_url()).status_code == 404
    assert client.post(f"/extra-mile/actions/{action.pk}/rate/", {"rating": "5"}).status_code == 404
    assert api(mallory).get(f"/api/v1/extra-mile-actions/{action.pk}/").status_code == 404
    assert api(mallory).post(f"/api/v1/extra-mile-actions/{action.pk}/rate/", {"rating": 5}).status_code == 404


def test_a_recipient_from_another_unit_sees_the_action(client, ivan, mallory, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[mallory])
    client.force_login(mallory)
    assert client.get(action.get_absolute_url()).status_code == 200


def test_the_ledger_page_has_a_constant_number_of_queries(client, ivan, alice, sales, django_assert_num_queries):
    pain_point = make_pain_point(submitted_by=alice)
    log_action(actor=ivan, business_unit=sales, recipients=[alice], subject=pain_point)
    log_action(actor=ivan, business_unit=sales, external_ref="JIRA-1")
    client.force_login(ivan)
    client.get("/extra-mile/actions/")
    small = queries_of(lambda: client.get("/extra-mile/actions/"))
    for i in range(20):
        action = log_action(actor=ivan, business_unit=sales, recipients=[alice], subject=pain_point, title=f"A{i}")
        services.extra_mile_action_rate(action=action, rated_by=alice, rating=1 + i % 5)
    with django_assert_num_queries(small):
        client.get("/extra-mile/actions/")
    client.force_login(alice)
    client.get("/extra-mile/for-us/")
    small = queries_of(lambda: client.get("/extra-mile/for-us/"))
    for i in range(10):
        log_action(actor=ivan, business_unit=sales, recipients=[alice], subject=pain_point, title=f"B{i}")
    with django_assert_num_queries(small):
        client.get("/extra-mile/for-us/")
