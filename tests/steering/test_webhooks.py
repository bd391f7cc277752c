"""The outbound `decision.closed` webhook event."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.integrations.models import WebhookDelivery
from partnership.integrations.subscriptions import webhook_subscription_create
from steering import services
from steering.choices import Stance

from .conftest import member
from .factories import DecisionFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids the sender was queued with (instead of a broker)."""
    from partnership.integrations import tasks

    ids = []
    monkeypatch.setattr(tasks.deliver_webhook, "delay", lambda pk: ids.append(pk))
    return ids


def subscribe(owner, events=("decision.closed",)):
    return webhook_subscription_create(owner=owner, url="https://hooks.example.com/portal", events=list(events))


@pytest.fixture
def decision(committee, alice, bert, chris):
    decision = DecisionFactory(committee=committee, title="Allow personal phones")
    PositionFactory(decision=decision, member=member(committee, alice), stance=Stance.SUPPORT)
    PositionFactory(decision=decision, member=member(committee, bert), stance=Stance.OPPOSE)
    PositionFactory(decision=decision, member=member(committee, chris), stance=Stance.SUPPORT_WITH_CONCERNS)
    return decision


def test_closing_a_decision_queues_a_delivery_after_commit(decision, committee, chris, ivan, queued, django_capture_on_commit_callbacks):
    subscription = subscribe(ivan)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_close(decision=decision, outcome="Allowed with MDM.", actor=chris)
    delivery = WebhookDelivery.objects.get()
    assert queued == [delivery.pk]
    assert (delivery.subscription, delivery.event, delivery.status) == (subscription, "decision.closed", "pending")
    data = delivery.payload
    assert (data["id"], data["title"], data["status"], data["outcome"]) == (
        decision.pk, "Allow personal phones", "closed", "Allowed with MDM."
    )
    assert data["committee"] == {"id": committee.pk, "name": "BYOD steering committee"}
    assert (data["business_positions"], data["business_support"], data["business_buy_in"]) == (3, 2, True)
    assert data["decided_at"] and data["url"].endswith(decision.get_absolute_url())


def test_a_refused_close_queues_nothing(decision, chris, ivan, queued, django_capture_on_commit_callbacks):
    subscribe(ivan)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.decision_close(decision=decision, outcome="", actor=chris)
    assert not WebhookDelivery.objects.exists()
    assert queued == []


def test_a_close_rolled_back_later_queues_nothing(decision, chris, ivan, queued, django_capture_on_commit_callbacks):
    subscribe(ivan)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.decision_close(decision=decision, outcome="Allowed.", actor=chris)
        raise RuntimeError("the surrounding change fails")
    assert not WebhookDelivery.objects.exists()
    assert queued == []


def test_only_subscribers_of_the_event_who_may_see_the_decision_receive_it(decision, chris, ivan, carla, tess, queued):
    wanted = subscribe(carla)
    subscribe(ivan, events=["pain_point.created"])
    # A closed decision is visible to the company's staff; an integration account is not staff
    # (DecisionQuerySet.for_user), so its subscription gets no decision.closed deliveries.
    subscribe(tess)
    services.decision_close(decision=decision, outcome="Allowed.", actor=chris)
    assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [wanted.pk]
