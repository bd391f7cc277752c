"""One way a change becomes an event (issue 16, part 3).

Services publish a domain event (partnership/events.py); the inbox, the reminders and the
outbound webhooks are its handlers. These tests hold the rule in both directions: no service
reaches past the event to notify() or emit(), and one published event does each thing once.
"""

import ast
import datetime
from pathlib import Path

import pytest
from django.db import transaction

from listening import reminders as listening_kinds
from listening import services as listening_services
from partnership import events
from partnership.integrations.models import WebhookDelivery
from partnership.integrations.subscriptions import webhook_subscription_create
from partnership.notifications.choices import ReminderStatus
from partnership.notifications.models import Notification, Reminder
from partnership.notifications.services import reminders_sweep
from tests.listening.factories import make_pain_point

from .test_import_cycles import ROOT, project_modules

# Only the handlers (and the modules that define the functions) may call them.
DISPATCHERS = {
    "notify": {"partnership.notifications.services", "partnership.notifications.handlers"},
    "emit": {"partnership.integrations.events", "partnership.integrations.handlers"},
}


def _names_imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            found.update(alias.name for alias in node.names)
    return found


def test_no_module_but_the_handlers_calls_notify_or_emit():
    offenders = []
    for module, path in project_modules().items():
        imported = _names_imported(path)
        offenders += [f"{module} imports {name}()" for name, allowed in DISPATCHERS.items() if name in imported and module not in allowed]
    assert offenders == [], "publish a domain event (partnership/events.py) instead: " + "; ".join(offenders)


def test_the_handlers_are_found_in_the_portal_apps_in_order():
    names = [f"{h.__module__}.{h.__name__}" for h in events.handlers()]
    assert names == [
        "partnership.notifications.handlers.inbox",
        "partnership.notifications.handlers.prompts_done",
        "partnership.notifications.handlers.reminders",
        "partnership.integrations.handlers.webhooks",
    ]
    assert ROOT.joinpath("partnership", "events.py").exists()


@pytest.fixture
def subscription(ivan):
    return webhook_subscription_create(
        owner=ivan, url="https://hooks.example.com/portal", events=["pain_point.status_changed"]
    )


@pytest.mark.django_db
def test_one_acknowledgement_tells_the_followers_cancels_the_reminders_and_queues_the_webhook_after_commit(
    alice, ivan, subscription, monkeypatch, django_capture_on_commit_callbacks
):
    from partnership.integrations import tasks

    sent = []
    monkeypatch.setattr(tasks.deliver_webhook, "delay", lambda pk: sent.append(pk))
    pain_point = make_pain_point(submitted_by=alice, title="Invoices typed twice")
    reminders_sweep(now=datetime.datetime.combine(pain_point.ack_due_on, datetime.time(12)).astimezone() + datetime.timedelta(days=1))
    pending = Reminder.objects.filter(kind=listening_kinds.ACK_OVERDUE, target_id=str(pain_point.pk))
    assert pending.filter(status=ReminderStatus.PENDING).exists()  # to the IT triage group

    with django_capture_on_commit_callbacks() as callbacks:
        listening_services.pain_point_acknowledge(pain_point=pain_point, actor=ivan, note="On it.")
        # Inside the transaction: the inbox entry, the cancellation and the delivery row are
        # written; nothing has left the portal yet.
        assert list(Notification.objects.filter(kind="pain_point.acknowledged").values_list("recipient__username", flat=True)) == ["alice"]
        assert set(pending.values_list("status", flat=True)) == {ReminderStatus.CANCELLED}
        (delivery,) = WebhookDelivery.objects.filter(event="pain_point.status_changed")
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [delivery.pk]
    assert delivery.payload["status"] == "acknowledged" and delivery.payload["previous_status"] == "new"


@pytest.mark.django_db(transaction=True)
def test_a_change_that_fails_after_its_event_leaves_neither_the_change_nor_what_the_event_did(alice, ivan, subscription):
    pain_point = make_pain_point(submitted_by=alice)

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        listening_services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
        raise Refused

    pain_point.refresh_from_db()
    assert pain_point.status == "new"
    assert not Notification.objects.filter(kind="pain_point.acknowledged").exists()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_an_event_needs_a_saved_target_and_a_webhook_event_its_payload(alice):
    pain_point = make_pain_point(submitted_by=alice)
    with pytest.raises(ValueError, match="saved target"):
        events.publish("pain_point.commented", type(pain_point)())
    with pytest.raises(ValueError, match="payload"):
        events.publish("pain_point.status_changed", pain_point)
