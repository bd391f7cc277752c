"""From the initiative page, IT opens the extra-mile quick log prefilled with the initiative."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.extramile.models import ExtraMileAction

from .factories import make_approved, make_proposed

pytestmark = pytest.mark.django_db


def _log_url(initiative) -> str:
    return f"{reverse('extramile:action-create')}?initiative={initiative.pk}"


def test_it_staff_see_the_link_to_log_an_extra_mile_action(client, ivan, alice):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    client.force_login(ivan)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    link = f'href="{_log_url(initiative)}" data-testid="log-extra-mile">Log an extra-mile action</a>'
    assert link in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "mallory"])
def test_the_business_does_not_see_the_link(client, ivan, alice, carla, request, who):
    initiative = make_approved(actor=ivan, sponsor=alice, cio=carla)  # approved: everyone sees it
    client.force_login(request.getfixturevalue(who))
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    assert b"Log an extra-mile action" not in response.content


def test_the_link_opens_the_quick_log_prefilled_with_the_initiative(client, ivan, alice):
    initiative = make_proposed(actor=ivan, sponsor=alice, title="Self-service reports")
    client.force_login(ivan)
    response = client.get(_log_url(initiative))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["subject_type"].value(), form["subject_id"].value()) == ("initiatives.initiative", initiative.pk)
    assert response.context["subject"] == initiative
    page = response.content.decode()
    assert f'<a href="{initiative.get_absolute_url()}">Self-service reports</a>' in page


def test_the_action_logged_from_the_link_follows_the_initiative(client, ivan, alice, sales):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    client.force_login(ivan)
    initial = client.get(_log_url(initiative)).context["form"].initial
    response = client.post(
        reverse("extramile:action-create"),
        {
            "kind": initial["kind"],
            "title": "Two extra years of history in the pilot report",
            "business_unit": sales.pk,
            "performed_on": timezone.localdate().isoformat(),
            "effort_hours": "2",
            "subject_type": initial["subject_type"],
            "subject_id": initial["subject_id"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = ExtraMileAction.objects.get()
    assert action.subject == initiative

