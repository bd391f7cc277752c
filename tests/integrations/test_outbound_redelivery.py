"""Outbound webhooks lose nothing and tell who changed what: a disabled subscription keeps its
events and sends them when enabled again, deliveries can be sent again (one, or every failed
one since a time), a rotated secret signs beside the new one for an overlap, and every payload
names the actor, the channel of the change and the business unit by id and slug."""

import datetime
import json

import pytest
from django.utils import timezone

from listening import services as listening
from partnership.integrations.choices import DeliveryStatus
from partnership.integrations.delivery import AttemptOutcome, webhook_delivery_attempt
from partnership.integrations.models import WebhookDelivery, WebhookSubscription

from .helpers import SECRET, encode, jira_headers, jira_payload
from .test_outbound import subscribe, verify

pytestmark = pytest.mark.django_db


def new_pain_point(alice, title="Slow CRM"):
    return listening.pain_point_create(
        submitted_by=alice, business_unit=alice.business_unit, title=title, description="Search takes a minute."
    )


def _statuses():
    return list(WebhookDelivery.objects.order_by("id").values_list("status", flat=True))


def _disabled_after_two_failures(ivan, alice, receiver, settings):
    settings.INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS = 1
    settings.INTEGRATIONS_WEBHOOK_FAILURES_TO_DISABLE = 2
    subscription = subscribe(ivan, url=receiver.url)
    receiver.codes = [503, 503]
    new_pain_point(alice, title="First")
    new_pain_point(alice, title="Second")
    for delivery in WebhookDelivery.objects.order_by("id"):
        assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.FAILED
    subscription.refresh_from_db()
    assert subscription.enabled is False
    return subscription


# --- A disabled subscription keeps its events -----------------------------------------------------


def test_enabling_a_subscription_again_sends_what_failed_and_what_waited(
    api, ivan, alice, receiver, settings, queued, django_capture_on_commit_callbacks
):
    subscription = _disabled_after_two_failures(ivan, alice, receiver, settings)
    new_pain_point(alice, title="Third")  # while the subscription is disabled
    assert _statuses() == ["failed", "failed", "held"]
    body = api(ivan).get(f"/api/v1/webhook-subscriptions/{subscription.pk}/").json()
    assert body["held_deliveries"] == 1 and body["failing_since"] is not None

    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(ivan).patch(f"/api/v1/webhook-subscriptions/{subscription.pk}/", {"enabled": True}, format="json")
    assert response.status_code == 200
    assert response.json()["held_deliveries"] == 0
    ids = list(WebhookDelivery.objects.order_by("id").values_list("pk", flat=True))
    assert queued == ids  # every one, oldest first
    for pk in ids:
        assert webhook_delivery_attempt(delivery_id=pk) == AttemptOutcome.SUCCEEDED
    titles = [json.loads(body)["data"]["title"] for _, body in receiver.requests[2:]]
    assert titles == ["First", "Second", "Third"]
    assert _statuses() == ["succeeded"] * 3


def test_a_delivery_met_by_a_disabled_subscription_is_held_not_failed(ivan, alice, receiver, queued):
    subscription = subscribe(ivan, url=receiver.url)
    new_pain_point(alice)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(enabled=False)
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.HELD
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.HELD and "enabled again" in delivery.last_error
    assert receiver.requests == []


def test_enabling_with_send_held_false_drops_what_waited(api, ivan, alice, queued, django_capture_on_commit_callbacks):
    subscription = subscribe(ivan)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(enabled=False)
    new_pain_point(alice)
    assert _statuses() == ["held"]
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(ivan).patch(
            f"/api/v1/webhook-subscriptions/{subscription.pk}/", {"enabled": True, "send_held": False}, format="json"
        )
    assert response.status_code == 200 and "send_held" not in response.json()
    assert _statuses() == [] and queued == []


def test_the_owner_is_told_the_events_are_kept(ivan, alice, receiver, settings, queued):
    from partnership.notifications.models import Notification

    _disabled_after_two_failures(ivan, alice, receiver, settings)
    notice = Notification.objects.get(kind="webhook_subscription.disabled")
    assert "events are kept" in notice.body


# --- Sending again -------------------------------------------------------------------------------


def test_a_failed_delivery_is_sent_again_under_its_own_id(api, ivan, alice, receiver, settings, queued, django_capture_on_commit_callbacks):
    settings.INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS = 1
    subscribe(ivan, url=receiver.url)
    receiver.codes = [500]
    new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.FAILED
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(ivan).post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)
    assert queued == [delivery.pk]
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.SUCCEEDED
    first, second = receiver.requests
    assert first[0]["webhook-id"] == second[0]["webhook-id"] == delivery.message_id


def test_redelivery_refusals(api, ivan, carla, alice, queued):
    subscription = subscribe(ivan)
    new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    pending = api(ivan).post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
    assert pending.status_code == 400 and "pending already" in json.dumps(pending.json())
    assert api(carla).post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/").status_code == 404
    assert api(alice).post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/").status_code in (403, 404)
    WebhookDelivery.objects.update(status=DeliveryStatus.FAILED)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(enabled=False)
    disabled = api(ivan).post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
    assert disabled.status_code == 400 and "enabled" in disabled.json()["fields"]


def test_every_failed_delivery_since_a_time_is_sent_again(api, ivan, alice, queued, django_capture_on_commit_callbacks):
    subscription = subscribe(ivan)
    for title in ("Old", "New 1", "New 2", "Fine"):
        new_pain_point(alice, title=title)
    old, new1, new2, fine = WebhookDelivery.objects.order_by("id")
    WebhookDelivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    WebhookDelivery.objects.exclude(pk=fine.pk).update(status=DeliveryStatus.FAILED, attempts=8)
    WebhookDelivery.objects.filter(pk=fine.pk).update(status=DeliveryStatus.SUCCEEDED)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(ivan).post(f"/api/v1/webhook-subscriptions/{subscription.pk}/redeliver/", {"since": since}, format="json")
    assert response.status_code == 202 and response.json() == {"queued": 2, "more": False}
    assert queued == [new1.pk, new2.pk]
    assert _statuses() == ["failed", "pending", "pending", "succeeded"]
    bad = api(ivan).post(f"/api/v1/webhook-subscriptions/{subscription.pk}/redeliver/", {"since": "yesterday"}, format="json")
    assert bad.status_code == 400 and "since" in bad.json()["fields"]


# --- Secret rotation ------------------------------------------------------------------------------


def test_a_rotated_secret_signs_beside_the_new_one_until_the_overlap_ends(api, ivan, alice, receiver, settings, queued):
    settings.INTEGRATIONS_SECRET_OVERLAP_HOURS = 72
    subscription = subscribe(ivan, url=receiver.url)
    old_secret = subscription.secret
    response = api(ivan).post(f"/api/v1/webhook-subscriptions/{subscription.pk}/rotate-secret/")
    new_secret = response.json()["secret"]
    assert new_secret != old_secret and response.json()["previous_secret_valid_until"] is not None

    new_pain_point(alice)
    webhook_delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk)
    headers, body = receiver.requests[-1]
    assert len(headers["webhook-signature"].split()) == 2
    assert verify(new_secret, headers, body) and verify(old_secret, headers, body)

    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        previous_secret_valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    new_pain_point(alice)
    webhook_delivery_attempt(delivery_id=WebhookDelivery.objects.order_by("-id").first().pk)
    headers, body = receiver.requests[-1]
    assert verify(new_secret, headers, body) and not verify(old_secret, headers, body)


# --- Who, where from, which unit ----------------------------------------------------------------


def _data(event="pain_point.created"):
    return WebhookDelivery.objects.filter(event=event).order_by("-id").first().payload


def test_a_page_change_names_its_author_and_the_portal(client, ivan, alice, sales, queued):
    subscribe(ivan)
    client.force_login(alice)
    form = {"title": "Invoices typed twice", "description": "Twice.", "category": "process", "severity": "3",
            "people_affected": "4", "hours_lost_per_week": "2", "business_unit": sales.pk}
    assert client.post("/listening/new/", form).status_code == 302
    data = _data()
    assert data["changed_by"] == {"id": alice.pk, "username": "alice", "role": "Business manager"}
    assert data["changed_via"] == {"channel": "portal", "source": None}
    assert data["business_unit"] == {"id": sales.pk, "slug": "sales", "name": sales.name}


def test_an_api_change_names_the_api(api, ivan, alice, sales, queued):
    subscribe(ivan)
    created = api(alice).post(
        "/api/v1/pain-points/", {"title": "VPN drops", "description": "Hourly.", "business_unit": sales.pk, "severity": 3},
        format="json",
    )
    assert created.status_code == 201
    assert _data()["changed_by"]["username"] == "alice"
    assert _data()["changed_via"] == {"channel": "api", "source": None}


def test_a_ticket_names_its_integration_source_so_a_sync_can_drop_its_echo(ivan, jira, post_webhook, queued):
    subscribe(ivan)
    body = encode(jira_payload(key="OPS-7"))
    assert post_webhook("jira", body, **jira_headers(body, secret=SECRET)).status_code == 201
    data = _data()
    assert data["changed_via"] == {"channel": "integration", "source": "jira"}
    assert data["external_ref"] == "OPS-7"
    assert data["changed_by"] is None or data["changed_by"]["role"] in ("Integration client", "")


def test_a_scheduled_change_names_the_system(ivan, alice, queued):
    subscribe(ivan)
    new_pain_point(alice)  # a service called outside any request: a task or a command
    assert _data()["changed_via"] == {"channel": "system", "source": None}
