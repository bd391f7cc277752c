"""Outbound webhooks: subscriptions, events from listening, signed deliveries to a receiver on
127.0.0.1, retries, failures and disabling, and the subscription API."""

import base64
import datetime
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from listening import services as listening
from partnership.integrations import events, subscriptions, tasks
from partnership.integrations.choices import DeliveryStatus
from partnership.integrations.delivery import AttemptOutcome, integration_records_purge, webhook_delivery_attempt
from partnership.integrations.models import IdempotencyRecord, InboundDelivery, WebhookDelivery, WebhookSubscription
from partnership.notifications.models import Notification

pytestmark = pytest.mark.django_db


def subscribe(owner, url="https://hooks.example.com/portal", events=("pain_point.created", "pain_point.status_changed")):
    return subscriptions.webhook_subscription_create(owner=owner, url=url, events=list(events))


def new_pain_point(alice, **extra):
    return listening.pain_point_create(
        submitted_by=alice, business_unit=alice.business_unit, title="Slow CRM", description="Search takes a minute.", **extra
    )


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """A receiver's check, written from the Standard Webhooks spec (not the portal's code)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(part == f"v1,{expected}" for part in headers["webhook-signature"].split())


# --- Events --------------------------------------------------------------------------------------


def test_creating_a_pain_point_queues_a_delivery_after_commit(ivan, alice, queued, django_capture_on_commit_callbacks):
    subscription = subscribe(ivan)
    with django_capture_on_commit_callbacks(execute=True):
        pain_point = new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    assert queued == [delivery.pk]
    assert (delivery.subscription, delivery.event, delivery.status) == (subscription, "pain_point.created", "pending")
    assert delivery.payload["id"] == pain_point.pk
    assert delivery.payload["url"].endswith(pain_point.get_absolute_url())


def test_nothing_is_queued_when_the_change_rolls_back(ivan, alice, queued, django_capture_on_commit_callbacks):
    from django.db import transaction

    subscribe(ivan)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        new_pain_point(alice)
        raise RuntimeError("the change fails after the event")
    assert not WebhookDelivery.objects.exists()
    assert queued == []


def test_a_status_change_is_sent_with_the_previous_status(ivan, alice, queued):
    subscribe(ivan, events=["pain_point.status_changed"])
    pain_point = new_pain_point(alice)
    listening.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "pain_point.status_changed"
    assert (delivery.payload["status"], delivery.payload["previous_status"]) == ("acknowledged", "new")


def test_only_enabled_subscriptions_of_the_event_receive_it(ivan, carla, tess, alice, queued, django_capture_on_commit_callbacks):
    wanted = subscribe(ivan, events=["pain_point.created"])
    subscribe(carla, events=["decision.closed"])
    disabled = subscribe(tess)
    WebhookSubscription.objects.filter(pk=disabled.pk).update(enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        new_pain_point(alice)
    sent = WebhookDelivery.objects.get(subscription=wanted)
    assert queued == [sent.pk]  # the disabled one's is kept (held), not sent
    assert WebhookDelivery.objects.get(subscription=disabled).status == DeliveryStatus.HELD
    assert not WebhookDelivery.objects.filter(subscription__owner=carla).exists()


def test_a_confidential_pain_point_reaches_only_subscribers_who_may_see_it(ivan, tess, alice, queued):
    it_subscription = subscribe(ivan)
    subscribe(tess)  # an integration client without a unit does not see other units' confidential items
    new_pain_point(alice, confidential=True)
    assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [it_subscription.pk]


def test_an_unknown_event_is_a_programming_error(db):
    with pytest.raises(ValueError, match="Unknown webhook event"):
        events.emit("pain_point.exploded", {})


def test_a_ticket_from_a_webhook_emits_pain_point_created(ivan, sales, queued):
    from partnership.integrations.services import inbound_delivery_receive, integration_source_add

    from .helpers import SECRET, encode, jira_headers, jira_payload

    subscribe(ivan)
    integration_source_add(name="jira", kind="jira", secret=SECRET, business_unit=sales)
    body = encode(jira_payload(status="In Progress"))
    headers = {k.removeprefix("HTTP_").replace("_", "-"): v for k, v in jira_headers(body).items()}
    assert inbound_delivery_receive(source_name="jira", headers=headers, body=body).status_code == 201
    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == [
        "pain_point.created", "pain_point.status_changed", "pain_point.status_changed"
    ]


# --- Sending -----------------------------------------------------------------------------------------


def test_a_delivery_is_signed_in_the_standard_webhooks_style(ivan, alice, receiver, queued):
    subscription = subscribe(ivan, url=receiver.url)
    new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.SUCCEEDED
    headers, body = receiver.requests[0]
    assert headers["webhook-id"] == delivery.message_id
    assert abs(int(headers["webhook-timestamp"]) - timezone.now().timestamp()) < 10
    assert verify(subscription.secret, headers, body)
    assert not verify("whsec_" + base64.b64encode(b"x" * 32).decode(), headers, body)
    envelope = json.loads(body)
    assert envelope["type"] == "pain_point.created" and envelope["data"]["title"] == "Slow CRM"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("succeeded", 200, 1)
    assert delivery.delivered_at is not None


def test_a_failed_attempt_stays_pending_for_a_retry(ivan, alice, receiver, queued):
    subscribe(ivan, url=receiver.url)
    new_pain_point(alice)
    receiver.codes = [500]
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.RETRY
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("pending", 500, 1)
    assert "500" in delivery.last_error
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.SUCCEEDED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    first, second = receiver.requests
    assert first[0]["webhook-id"] == second[0]["webhook-id"]  # receivers de-duplicate on it


def test_a_code_that_is_no_http_status_is_a_failure_kept_in_the_error(ivan, alice, receiver, queued):
    """http.client reads any three digits; the delivery's column holds HTTP's 100-599 only."""
    subscribe(ivan, url=receiver.url)
    new_pain_point(alice)
    receiver.codes = [999]
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.RETRY
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("pending", None, 1)
    assert "HTTP 999" in delivery.last_error and "not an HTTP status code" in delivery.last_error


def test_a_redirect_is_not_followed_and_counts_as_a_failure(ivan, alice, receiver, queued):
    subscribe(ivan, url=receiver.url)
    new_pain_point(alice)
    receiver.codes = [302]
    assert webhook_delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk) == AttemptOutcome.RETRY
    assert len(receiver.requests) == 1


def test_an_unreachable_receiver_is_a_failure_with_its_reason(ivan, alice, settings, queued):
    settings.INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS = True
    subscribe(ivan, url="http://127.0.0.1:1/nothing-listens")
    new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.RETRY
    delivery.refresh_from_db()
    assert delivery.response_code is None and "refused" in delivery.last_error.lower()


def test_private_addresses_are_refused_at_send_time_once_no_longer_allowed(ivan, alice, receiver, settings, queued):
    subscribe(ivan, url=receiver.url)  # saved while the operator allowed private addresses
    settings.INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS = False
    new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    webhook_delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error == "Refused: the address is not public."
    assert receiver.requests == []


def test_a_delivery_failed_after_every_retry_counts_against_its_subscription(ivan, alice, receiver, settings, queued):
    settings.INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS = 2
    settings.INTEGRATIONS_WEBHOOK_FAILURES_TO_DISABLE = 2
    subscription = subscribe(ivan, url=receiver.url)
    receiver.codes = [500] * 10
    new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.RETRY
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.FAILED
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.SKIPPED  # a late duplicate message
    delivery.refresh_from_db()
    subscription.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert (subscription.consecutive_failures, subscription.enabled) == (1, True)
    assert not Notification.objects.filter(kind="webhook_subscription.disabled").exists()


def test_a_subscription_that_keeps_failing_is_disabled_and_its_owner_notified(ivan, alice, receiver, settings, queued):
    settings.INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS = 1
    settings.INTEGRATIONS_WEBHOOK_FAILURES_TO_DISABLE = 2
    subscription = subscribe(ivan, url=receiver.url)
    receiver.codes = [503] * 10
    new_pain_point(alice)
    new_pain_point(alice)
    for delivery in WebhookDelivery.objects.order_by("id"):
        assert webhook_delivery_attempt(delivery_id=delivery.pk) == AttemptOutcome.FAILED
    subscription.refresh_from_db()
    assert subscription.enabled is False
    assert subscription.consecutive_failures == 2
    assert "2 deliveries in a row failed" in subscription.disabled_reason
    notification = Notification.objects.get(kind="webhook_subscription.disabled")
    assert notification.recipient == ivan
    new_pain_point(alice)
    # A disabled subscription sends nothing new, but keeps it for when it is enabled again.
    assert list(WebhookDelivery.objects.order_by("id").values_list("status", flat=True)) == ["failed", "failed", "held"]


def test_a_success_resets_the_failure_count(ivan, alice, receiver, settings, queued):
    settings.INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS = 1
    subscription = subscribe(ivan, url=receiver.url)
    receiver.codes = [500]
    new_pain_point(alice)
    new_pain_point(alice)
    first, second = WebhookDelivery.objects.order_by("id")
    webhook_delivery_attempt(delivery_id=first.pk)
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1
    webhook_delivery_attempt(delivery_id=second.pk)
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_the_task_retries_through_celery_when_the_receiver_fails(ivan, alice, receiver, queued):
    from partnership.integrations.tasks import deliver_webhook

    subscribe(ivan, url=receiver.url)
    receiver.codes = [500]
    new_pain_point(alice)
    delivery = WebhookDelivery.objects.get()
    assert deliver_webhook.retry_jitter is True
    # Run eagerly, a retry runs again at once: the 500 is retried and the second attempt succeeds.
    assert deliver_webhook.apply(args=[delivery.pk]).state == "SUCCESS"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    assert len(receiver.requests) == 2


def test_lost_pending_deliveries_are_queued_again(ivan, alice, queued):
    subscribe(ivan)
    new_pain_point(alice)
    WebhookDelivery.objects.update(created_at=timezone.now() - datetime.timedelta(hours=3))
    queued.clear()
    assert tasks.webhook_deliveries_requeue() == 1
    assert queued == [WebhookDelivery.objects.get().pk]


def test_old_records_are_purged(ivan, alice, queued):
    subscribe(ivan)
    new_pain_point(alice)
    old = timezone.now() - datetime.timedelta(days=200)
    WebhookDelivery.objects.update(status=DeliveryStatus.SUCCEEDED, created_at=old)
    InboundDelivery.objects.create(source_name="x", result="refused", status_code=404, received_at=old)
    IdempotencyRecord.objects.create(user=ivan, key="k", request_hash="h", method="POST", path="/", expires_at=old)
    assert integration_records_purge() == {"idempotency_records": 1, "inbound_deliveries": 1, "webhook_deliveries": 1}


# --- The subscription API ----------------------------------------------------------------------------


def test_it_staff_create_a_subscription_and_see_its_secret_once(api, ivan):
    client = api(ivan)
    response = client.post(
        "/api/v1/webhook-subscriptions/",
        {"url": "https://hooks.example.com/p", "events": ["pain_point.created", "initiative.approved"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["owner"] == "ivan"
    detail = client.get(f"/api/v1/webhook-subscriptions/{body['id']}/").json()
    assert "secret" not in detail


def test_integration_clients_may_subscribe_too(api, tess):
    response = api(tess).post(
        "/api/v1/webhook-subscriptions/", {"url": "https://hooks.example.com/p", "events": ["pain_point.created"]}, format="json"
    )
    assert response.status_code == 201


def test_business_managers_may_not_subscribe(api, alice):
    response = api(alice).post(
        "/api/v1/webhook-subscriptions/", {"url": "https://hooks.example.com/p", "events": ["pain_point.created"]}, format="json"
    )
    assert response.status_code == 403
    assert "IT staff and integration clients" in response.json()["detail"]
    assert not WebhookSubscription.objects.exists()


def test_an_unknown_event_or_a_bad_url_answers_400(api, ivan):
    response = api(ivan).post("/api/v1/webhook-subscriptions/", {"url": "ftp://x", "events": ["nope"]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"url", "events"}


def test_someone_elses_subscription_answers_404(api, ivan, carla):
    subscription = subscribe(carla)
    client = api(ivan)
    assert client.get(f"/api/v1/webhook-subscriptions/{subscription.pk}/").status_code == 404
    assert client.patch(f"/api/v1/webhook-subscriptions/{subscription.pk}/", {"enabled": False}, format="json").status_code == 404
    assert client.delete(f"/api/v1/webhook-subscriptions/{subscription.pk}/").status_code == 404
    assert client.get("/api/v1/webhook-subscriptions/").json()["count"] == 0


def test_enabling_a_disabled_subscription_clears_its_failures(api, ivan):
    subscription = subscribe(ivan)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        enabled=False, consecutive_failures=5, disabled_at=timezone.now(), disabled_reason="failing"
    )
    response = api(ivan).patch(f"/api/v1/webhook-subscriptions/{subscription.pk}/", {"enabled": True}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["enabled"], body["consecutive_failures"], body["disabled_reason"], body["disabled_at"]) == (True, 0, "", None)


def test_rotating_the_secret_returns_a_new_one(api, ivan):
    subscription = subscribe(ivan)
    response = api(ivan).post(f"/api/v1/webhook-subscriptions/{subscription.pk}/rotate-secret/")
    assert response.status_code == 200
    assert response.json()["secret"] != subscription.secret


def test_a_ping_queues_a_delivery_to_that_subscription(api, ivan, queued, django_capture_on_commit_callbacks):
    subscription = subscribe(ivan)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(ivan).post(f"/api/v1/webhook-subscriptions/{subscription.pk}/ping/")
    assert response.status_code == 202
    assert response.json()["event"] == "ping"
    assert queued == [response.json()["id"]]


def test_deleting_a_subscription(api, ivan):
    subscription = subscribe(ivan)
    assert api(ivan).delete(f"/api/v1/webhook-subscriptions/{subscription.pk}/").status_code == 204
    assert not WebhookSubscription.objects.exists()


def test_the_delivery_log_shows_only_your_subscriptions(api, ivan, carla, alice, queued):
    mine = subscribe(ivan)
    subscribe(carla)
    new_pain_point(alice)
    body = api(ivan).get("/api/v1/webhook-deliveries/").json()
    assert body["count"] == 1
    assert body["results"][0]["subscription"] == mine.pk
    assert api(ivan).get(f"/api/v1/webhook-deliveries/?subscription={mine.pk}").json()["count"] == 1


@pytest.mark.parametrize("path", ["/api/v1/webhook-subscriptions/", "/api/v1/webhook-deliveries/"])
def test_list_endpoints_keep_their_query_count(api, ivan, alice, queued, path, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(ivan)
    subscribe(ivan)
    new_pain_point(alice)
    client.get(path)  # token last-use write happens once a minute: settle it
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    for n in range(5):
        subscribe(ivan, url=f"https://hooks.example.com/{n}")
    for _ in range(3):
        new_pain_point(alice)
    with django_assert_num_queries(len(small)):
        assert client.get(path).status_code == 200
