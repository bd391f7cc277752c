"""The dashboard's attention item "Pain points past their acknowledgement SLA", the list filter
it links to (`?sla=overdue`), and the detail page's link to log an extra-mile action."""

import datetime

import pytest
from django.utils import timezone

from listening import selectors, services
from listening.models import PainPoint
from partnership.roles import is_it_staff
from partnership.score.registry import Pillar, attention_sources
from partnership.score.selectors import attention_items

from .factories import make_pain_point

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _overdue(pain_point):
    PainPoint.objects.filter(pk=pain_point.pk).update(ack_due_on=YESTERDAY)
    return pain_point


@pytest.fixture
def pain_points(alice, mallory, ivan):
    """Sales: one overdue, one not yet due, one acknowledged late; Finance: one confidential overdue."""
    overdue = _overdue(make_pain_point(submitted_by=alice, title="Quotes typed twice"))
    make_pain_point(submitted_by=alice, title="Not yet due")
    late = _overdue(make_pain_point(submitted_by=alice, title="Answered late"))
    services.pain_point_acknowledge(pain_point=late, actor=ivan)
    secret = _overdue(make_pain_point(submitted_by=mallory, title="Payroll export", confidential=True))
    return {"overdue": overdue, "secret": secret}


def test_the_past_sla_attention_source_is_registered_under_the_listening_pillar():
    source = {s.key: s for s in attention_sources()}["listening.past_sla"]
    assert source.label == "Pain points past their acknowledgement SLA"
    assert source.pillar == Pillar.LISTENING


def test_it_counts_the_new_pain_points_past_their_due_day_that_the_user_may_see(pain_points, carla, alice, sales):
    assert selectors.attention_past_sla(carla).count == 2
    assert selectors.attention_past_sla(alice).count == 1, "Finance's confidential one is not Alice's to see"
    assert selectors.attention_past_sla(carla, sales).count == 1


def test_it_links_to_the_pain_point_list_filtered_to_the_overdue_ones(pain_points, carla, sales):
    assert selectors.attention_past_sla(carla).url == "/listening/?sla=overdue"
    assert selectors.attention_past_sla(carla, sales).url == f"/listening/?sla=overdue&business_unit={sales.pk}"
    item = next(i for i in attention_items(carla) if i["key"] == "listening.past_sla")
    assert (item["count"], item["url"]) == (2, "/listening/?sla=overdue")


def test_it_needs_one_query(pain_points, carla, alice, sales, django_assert_num_queries):
    for user in (carla, alice):
        is_it_staff(user)  # the roles are read once per request, before the dashboard's items
        with django_assert_num_queries(1):
            selectors.attention_past_sla(user, sales)


def test_the_list_page_filters_the_pain_points_waiting_past_their_sla(pain_points, client, carla, alice):
    client.force_login(carla)
    page = client.get("/listening/?sla=overdue").content.decode()
    assert "Quotes typed twice" in page and "Payroll export" in page
    assert "Not yet due" not in page and "Answered late" not in page
    assert "acknowledgement SLA: Waiting, past the SLA" in page

    client.force_login(alice)
    page = client.get("/listening/?sla=overdue").content.decode()
    assert "Quotes typed twice" in page and "Payroll export" not in page


def test_the_api_filters_the_pain_points_waiting_past_their_sla(pain_points, api, carla, alice):
    titles = {p["title"] for p in api(carla).get("/api/v1/pain-points/?sla=overdue").json()["results"]}
    assert titles == {"Quotes typed twice", "Payroll export"}
    titles = {p["title"] for p in api(alice).get("/api/v1/pain-points/?sla=overdue").json()["results"]}
    assert titles == {"Quotes typed twice"}


def test_the_detail_page_offers_it_a_link_to_log_an_extra_mile_action_for_this_pain_point(
    pain_points, client, ivan, alice
):
    pain_point = pain_points["overdue"]
    link = f'href="/extra-mile/actions/new/?pain_point={pain_point.pk}"'

    client.force_login(ivan)
    page = client.get(pain_point.get_absolute_url()).content.decode()
    assert link in page and "Log an extra-mile action" in page
    form = client.get(f"/extra-mile/actions/new/?pain_point={pain_point.pk}")
    assert form.status_code == 200
    assert form.context["form"].initial["subject_id"] == pain_point.pk

    client.force_login(alice)
    assert link not in client.get(pain_point.get_absolute_url()).content.decode()
