"""The outbound webhook events initiative.approved and initiative.delivered."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from initiatives import planning, services
from partnership.integrations.choices import WebhookEvent
from partnership.integrations.models import WebhookDelivery
from partnership.integrations.subscriptions import webhook_subscription_create

from .factories import make_approved, make_in_progress, make_proposed

pytestmark = pytest.mark.django_db

APPROVED = WebhookEvent.INITIATIVE_APPROVED.value
DELIVERED = WebhookEvent.INITIATIVE_DELIVERED.value


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids the sender was queued with (instead of a broker)."""
    from partnership.integrations import tasks

    ids = []
    monkeypatch.setattr(tasks.deliver_webhook, "delay", lambda pk: ids.append(pk))
    return ids


def subscribe(owner, events=(APPROVED, DELIVERED)):
    return webhook_subscription_create(owner=owner, url="https://hooks.example.com/portal", events=list(events))


def deliveries(event):
    return list(WebhookDelivery.objects.filter(event=event).order_by("id"))


def test_the_event_names_exist():
    assert (APPROVED, DELIVERED) == ("initiative.approved", "initiative.delivered")


def test_approving_queues_a_delivery_after_commit(ivan, alice, carla, sales, queued, django_capture_on_commit_callbacks):
    subscription = subscribe(ivan)
    initiative = make_proposed(actor=ivan, sponsor=alice, title="Self-service reports")
    assert deliveries(APPROVED) == []  # creating and proposing send nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_approve(initiative=initiative, actor=carla, note="YES.")
    (delivery,) = deliveries(APPROVED)
    assert queued == [delivery.pk]
    assert (delivery.subscription, delivery.status) == (subscription, "pending")
    data = delivery.payload
    assert (data["id"], data["title"], data["status"], data["previous_status"]) == (
        initiative.pk, "Self-service reports", "approved", "proposed"
    )
    assert [u["slug"] for u in data["business_units"]] == ["sales"]  # the sponsor's unit by default
    assert (data["sponsor"], data["it_owner"]) == ("alice", "ivan")
    assert data["one_off_cost"] == "12000.00" and data["currency"]
    assert data["decided_at"] and data["delivered_on"] is None
    assert data["url"].endswith(initiative.get_absolute_url())
    assert deliveries(DELIVERED) == []


def test_delivering_queues_a_delivery_after_commit(ivan, alice, carla, queued, django_capture_on_commit_callbacks):
    initiative = make_in_progress(actor=ivan, sponsor=alice, cio=carla)
    subscription = subscribe(carla, events=[DELIVERED])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    initiative.start_date = yesterday - datetime.timedelta(days=5)
    initiative.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_deliver(initiative=initiative, actor=ivan, delivered_on=yesterday)
    (delivery,) = deliveries(DELIVERED)
    assert queued == [delivery.pk]
    assert delivery.subscription == subscription
    data = delivery.payload
    assert (data["status"], data["previous_status"]) == ("delivered", "in_progress")
    assert (data["delivered_on"], data["delivered_on_time"]) == (yesterday.isoformat(), True)
    assert deliveries(APPROVED) == []  # carla subscribed to delivered only


def test_a_refused_approval_queues_nothing(ivan, alice, carla, queued, django_capture_on_commit_callbacks):
    subscribe(ivan)
    initiative = make_proposed(actor=ivan, sponsor=alice)
    planning.risk_add(initiative=initiative, actor=ivan, description="The vendor may fold.", probability=4, impact=4)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        services.initiative_approve(initiative=initiative, actor=carla)
    assert "risk_acceptance" in refused.value.message_dict
    assert not WebhookDelivery.objects.exists()
    assert queued == []


def test_a_refused_delivery_queues_nothing(ivan, alice, carla, queued, django_capture_on_commit_callbacks):
    subscribe(ivan)
    initiative = make_approved(actor=ivan, sponsor=alice, cio=carla)  # approved, not started
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.initiative_deliver(initiative=initiative, actor=ivan)
    assert not WebhookDelivery.objects.exists()


def test_an_approval_rolled_back_later_queues_nothing(ivan, alice, carla, queued, django_capture_on_commit_callbacks):
    subscribe(ivan)
    initiative = make_proposed(actor=ivan, sponsor=alice)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.initiative_approve(initiative=initiative, actor=carla)
        raise RuntimeError("the surrounding change fails")
    assert not WebhookDelivery.objects.exists()
    assert queued == []


def test_only_subscribers_of_the_event_receive_it(ivan, alice, carla, tess, queued):
    wanted = subscribe(tess, events=[APPROVED])  # an integration client sees approved initiatives
    subscribe(ivan, events=["pain_point.created"])
    initiative = make_proposed(actor=ivan, sponsor=alice)
    services.initiative_approve(initiative=initiative, actor=carla)
    assert [d.subscription_id for d in deliveries(APPROVED)] == [wanted.pk]


def test_approving_through_the_api_queues_the_event(api, ivan, alice, carla, queued):
    subscription = subscribe(ivan)
    initiative = make_proposed(actor=ivan, sponsor=alice)
    response = api(carla).post(f"/api/v1/initiatives/{initiative.pk}/approve/", {"note": "YES."}, format="json")
    assert response.status_code == 200, response.content
    (delivery,) = deliveries(APPROVED)
    assert delivery.subscription == subscription and delivery.payload["id"] == initiative.pk
