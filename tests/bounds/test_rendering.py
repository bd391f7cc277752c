"""Nothing that can be stored makes a page or an endpoint fail when it is shown: the largest
pain point, meetings and events at the first and last minute of the portal's years."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from listening.models import PainPoint, yearly_cost
from partnership import bounds
from partnership.roles import Role
from revenue.templatetags.revenue_tags import money, percent, signed_money
from steering.choices import MemberRole, Side

from ..factories import UserFactory
from ..listening.factories import make_pain_point
from ..steering.factories import CommitteeFactory, EventFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PRAGUE = ZoneInfo("Europe/Prague")


def test_a_pain_point_at_every_maximum_renders_in_the_list_the_detail_and_the_api(client, api, alice, mallory, settings):
    settings.LISTENING_HOURLY_RATE = "100000"  # an absurd rate must not overflow either
    biggest = make_pain_point(
        submitted_by=alice, severity=5, people_affected=bounds.PEOPLE_MAX, hours_lost_per_week=Decimal("168.0")
    )
    expected = Decimal(168) * bounds.PEOPLE_MAX * 100000 * settings.LISTENING_WORKING_WEEKS
    client.force_login(mallory)  # another unit's reader: the list is everybody's
    listing = client.get("/listening/")
    assert listing.status_code == 200
    assert biggest.title in listing.content.decode()
    assert client.get(biggest.get_absolute_url()).status_code == 200
    response = api(mallory).get("/api/v1/pain-points/")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert Decimal(row["estimated_yearly_cost"]) == expected
    assert api(mallory).get(f"/api/v1/pain-points/{biggest.pk}/").status_code == 200


def test_the_database_refuses_a_value_past_its_bound_even_without_validation(alice):
    pain_point = make_pain_point(submitted_by=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        PainPoint.objects.filter(pk=pain_point.pk).update(people_affected=bounds.PEOPLE_MAX + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PainPoint.objects.filter(pk=pain_point.pk).update(hours_lost_per_week=Decimal("169"))


@pytest.mark.parametrize(
    ("hours", "people", "expected"),
    [
        ("abc", "4", None),  # the form's live estimate gets what was typed
        ("2.5", "NaN", None),
        ("2.5", "4", Decimal("20700.00")),  # 2.5 x 4 x 45 x 46
        ("1e999", "9223372036854775807", Decimal(168) * bounds.PEOPLE_MAX * 45 * 46),  # counted at the bounds
    ],
)
def test_the_yearly_cost_never_raises(hours, people, expected, settings):
    settings.LISTENING_HOURLY_RATE, settings.LISTENING_WORKING_WEEKS = "45.00", 46
    assert yearly_cost(hours, people) == expected


@pytest.mark.parametrize(
    "starts_at",
    [datetime.datetime(1900, 1, 1, 0, 0, tzinfo=PRAGUE), datetime.datetime(2100, 12, 31, 23, 59, tzinfo=PRAGUE)],
    ids=["1900-01-01T00:00", "2100-12-31T23:59"],
)
def test_a_meeting_and_an_event_at_the_edges_of_the_years_render_in_the_pages_and_the_api(client, api, sales, ivan, starts_at):
    chair = UserFactory(username="chris", business_unit=sales, role=Role.BUSINESS_MANAGER)
    committee = CommitteeFactory(name="Data board")
    MembershipFactory(committee=committee, user=chair, side=Side.BUSINESS, role=MemberRole.CHAIR)
    meeting = MeetingFactory(committee=committee, title="Edge of time", starts_at=starts_at)
    event = EventFactory(title="Edge workshop", starts_at=starts_at, host=ivan)
    client.force_login(chair)
    for url in ("/steering/", committee.get_absolute_url(), meeting.get_absolute_url(), "/steering/events/", event.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    for url in ("/api/v1/meetings/", f"/api/v1/meetings/{meeting.pk}/", "/api/v1/events/", f"/api/v1/events/{event.pk}/"):
        response = api(chair).get(url)
        assert response.status_code == 200, (url, response.content)
    assert response.json()["starts_at"].startswith(starts_at.strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.parametrize("value", ["not a number", "NaN", object()])
def test_the_money_filters_show_an_odd_value_instead_of_failing(value):
    assert money(value).endswith(" EUR")
    assert signed_money(value).endswith(" EUR")
    assert percent(value).endswith(" %")
