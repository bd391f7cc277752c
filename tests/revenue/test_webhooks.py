"""The outbound webhook event revenue_project.stage_changed."""

import pytest

from partnership.integrations import subscriptions as integrations
from partnership.integrations.models import WebhookDelivery
from revenue import services
from revenue.choices import Stage

from .factories import identify, walk_to

pytestmark = pytest.mark.django_db

EVENT = "revenue_project.stage_changed"


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids the sender was queued with (instead of a broker)."""
    from partnership.integrations import tasks

    ids = []
    monkeypatch.setattr(tasks.deliver_webhook, "delay", lambda pk: ids.append(pk))
    return ids


def subscribe(owner, events=(EVENT,)):
    return integrations.webhook_subscription_create(
        owner=owner, url="https://hooks.example.com/portal", events=list(events)
    )


def deliveries():
    return list(WebhookDelivery.objects.filter(event=EVENT).order_by("id"))


def test_advancing_queues_a_delivery_after_commit(ivan, sales, queued, django_capture_on_commit_callbacks):
    subscription = subscribe(ivan)
    project = identify(actor=ivan, units=[sales])
    assert deliveries() == []  # identifying is not a stage change
    with django_capture_on_commit_callbacks(execute=True):
        services.revenue_project_advance(project=project, actor=ivan)
    (delivery,) = deliveries()
    assert queued == [delivery.pk]
    assert (delivery.subscription, delivery.status) == (subscription, "pending")
    data = delivery.payload
    assert (data["id"], data["stage"], data["previous_stage"]) == (project.pk, "develop", "identify")
    assert [u["slug"] for u in data["business_units"]] == ["sales"]
    assert data["url"].endswith(project.get_absolute_url())
    assert data["executed_on"] is None


def test_every_stage_change_is_sent_and_the_acceptance_alone_is_not(ivan, alice, sales, queued):
    subscribe(ivan)
    project = identify(actor=ivan, units=[sales])
    project = walk_to(project, Stage.ACCEPTANCE, actor=ivan)
    assert len(deliveries()) == 2
    project = services.revenue_project_accept(project=project, accepted_by=alice, statement="Go.", actor=alice)
    assert len(deliveries()) == 2  # the acceptance does not change the stage
    project = services.revenue_project_advance(project=project, actor=ivan)
    services.revenue_project_abandon(project=project, reason="The market closed.", actor=ivan)
    sent = [(d.payload["previous_stage"], d.payload["stage"]) for d in deliveries()]
    assert sent == [
        ("identify", "develop"),
        ("develop", "acceptance"),
        ("acceptance", "execute"),
        ("execute", "abandoned"),
    ]
    executed, abandoned = deliveries()[2:]
    assert executed.payload["executed_on"] == project.executed_on.isoformat()
    assert abandoned.payload["abandoned_reason"] == "The market closed."


def test_a_refused_change_sends_nothing(ivan, sales, queued):
    subscribe(ivan)
    project = identify(actor=ivan, units=[sales])
    with pytest.raises(Exception, match="one stage at a time"):
        services.revenue_project_advance(project=project, actor=ivan, to_stage=Stage.EXECUTE)
    assert deliveries() == []


def test_only_subscribers_of_the_event_who_may_see_the_project_receive_it(ivan, carla, tess, sales, queued):
    wanted = subscribe(ivan)
    subscribe(carla, events=["decision.closed"])
    subscribe(tess)  # an integration client without a unit sees no revenue project
    project = identify(actor=ivan, units=[sales])
    services.revenue_project_advance(project=project, actor=ivan)
    assert [d.subscription_id for d in deliveries()] == [wanted.pk]
