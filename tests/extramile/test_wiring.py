"""The extra mile in the shared mechanisms: the check_in.failed webhook event, the admin, and the
demo data (a repeated-problem proposal, idempotent)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnership import demo as partnership_demo
from partnership.extramile import demo as extramile_demo
from partnership.extramile import services
from partnership.extramile.models import (
    CheckIn,
    ExtraMileAction,
    ExtraMileRating,
    MaintenanceWindow,
    ProblemSuggestion,
    ResolutionSurvey,
)
from partnership.integrations import subscriptions as integrations
from partnership.integrations.choices import DeliveryStatus, WebhookEvent
from partnership.integrations.models import WebhookDelivery

from .factories import log_action, record_window

pytestmark = pytest.mark.django_db


def subscribe(owner, events):
    return integrations.webhook_subscription_create(owner=owner, url="https://hooks.example.com/portal", events=list(events))


def a_check_in(ivan, key_user):
    record_window(actor=ivan, key_users=[key_user])
    services.check_ins_create()
    return CheckIn.objects.get(key_user=key_user)


# --- The check_in.failed webhook event -------------------------------------------------------------


def test_check_in_failed_is_a_known_webhook_event():
    assert WebhookEvent.CHECK_IN_FAILED == "check_in.failed"


def test_a_no_answer_queues_a_check_in_failed_delivery_for_its_subscribers(ivan, tess, alice):
    it_hook = subscribe(ivan, ["check_in.failed"])
    client_hook = subscribe(tess, ["check_in.failed", "pain_point.created"])
    other_hook = subscribe(ivan, ["decision.closed"])
    check_in = a_check_in(ivan, alice)

    check_in = services.check_in_answer(check_in=check_in, actor=alice, systems_ok=False, problem="Invoices do not print.")

    deliveries = WebhookDelivery.objects.filter(event="check_in.failed")
    assert {d.subscription for d in deliveries} == {it_hook, client_hook}
    assert not WebhookDelivery.objects.filter(subscription=other_hook).exists()
    delivery = deliveries.get(subscription=it_hook)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    data = delivery.payload
    assert data["id"] == check_in.pk
    assert data["problem"] == "Invoices do not print."
    assert data["key_user"] == "alice" and data["answered_by"] == "alice" and data["business_unit"]["slug"] == "sales"
    assert data["window"]["system"] == "SAP ERP"
    assert data["url"].endswith(check_in.get_absolute_url())
    assert data["pain_point"]["id"] == check_in.pain_point_id
    assert data["pain_point"]["source"] == "check_in"


def test_a_yes_answer_or_a_refused_no_queues_nothing(ivan, alice, sam):
    subscribe(ivan, ["check_in.failed"])
    services.check_in_answer(check_in=a_check_in(ivan, alice), actor=alice, systems_ok=True)
    with pytest.raises(ValidationError):  # a "no" without a problem is refused
        services.check_in_answer(check_in=a_check_in(ivan, sam), actor=sam, systems_ok=False, problem="")
    assert not WebhookDelivery.objects.exists()


# --- Admin -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", [ExtraMileAction, ExtraMileRating, MaintenanceWindow, CheckIn, ProblemSuggestion, ResolutionSurvey]
)
def test_the_admin_lists_searches_and_opens_the_extra_mile_models(client, root, ivan, alice, sales, model):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    services.extra_mile_action_rate(action=action, rated_by=alice, rating=5)
    a_check_in(ivan, alice)
    client.force_login(root)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "alice"}).status_code == 200
    row = model.objects.first()
    if row is not None:
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])).status_code == 200


def test_the_admin_is_for_superusers_only(client, ivan):
    client.force_login(ivan)
    response = client.get(reverse("admin:extramile_extramileaction_changelist"))
    assert response.status_code in (302, 403)


# --- Demo data ---------------------------------------------------------------------------------------


def test_the_demo_proposes_a_repeated_problem_once_and_is_idempotent():
    from listening import demo as listening_demo
    from listening.models import Vote

    partnership_demo.seed(scale=1)
    listening_demo.seed(scale=1)
    extramile_demo.seed(scale=1)
    assert ProblemSuggestion.objects.filter(status="open").exists(), "the suggestions list is not empty"
    counts = (
        ProblemSuggestion.objects.count(), Vote.objects.count(), ExtraMileAction.objects.count(),
        MaintenanceWindow.objects.count(), CheckIn.objects.count(), ResolutionSurvey.objects.count(),
    )
    listening_demo.seed(scale=1)
    extramile_demo.seed(scale=1)
    assert (
        ProblemSuggestion.objects.count(), Vote.objects.count(), ExtraMileAction.objects.count(),
        MaintenanceWindow.objects.count(), CheckIn.objects.count(), ResolutionSurvey.objects.count(),
    ) == counts
