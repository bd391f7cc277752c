"""The dashboard's attention item of the sharing pillar: overdue action items, as the user may
see them, in one query."""

import datetime

import pytest
from django.utils import timezone

from partnership.roles import is_it_staff
from partnership.score.registry import attention_sources
from partnership.score.selectors import attention_items

from ..factories import UserFactory
from .factories import ActionItemFactory, CommitteeFactory, MeetingFactory, days

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def source():
    return next(s for s in attention_sources() if s.key == "steering.overdue_action_items")


@pytest.fixture
def items(committee, alice, mallory, ivan):
    """Overdue in the BYOD committee: one of Alice's (Sales), one of Ivan's (IT); plus one done,
    one not yet due, and one overdue in a committee Alice is not on, owned by Mallory."""
    meeting = MeetingFactory(committee=committee, starts_at=days(-30))
    ActionItemFactory(meeting=meeting, owner=alice, due_date=TODAY - datetime.timedelta(days=2))
    ActionItemFactory(meeting=meeting, owner=ivan, due_date=TODAY - datetime.timedelta(days=1))
    ActionItemFactory(meeting=meeting, owner=alice, due_date=TODAY - datetime.timedelta(days=5), done_at=days(-6))
    ActionItemFactory(meeting=meeting, owner=alice, due_date=TODAY + datetime.timedelta(days=2))
    other = MeetingFactory(committee=CommitteeFactory(), starts_at=days(-30))
    ActionItemFactory(meeting=other, owner=mallory, due_date=TODAY - datetime.timedelta(days=3))


def test_overdue_action_items_are_registered_as_an_attention_item():
    found = source()
    assert (found.label, found.pillar) == ("Overdue steering action items", "sharing")


def test_it_staff_see_every_overdue_action_item(items, ivan, carla):
    assert source().measure(ivan, None).count == 3
    assert source().measure(carla, None).count == 3


def test_a_business_manager_counts_only_the_committees_they_are_on(items, alice, mallory, bert):
    assert source().measure(alice, None).count == 2
    assert source().measure(mallory, None).count == 0  # owns one, but is on no committee that shows it
    assert source().measure(UserFactory(), None).count == 0


def test_a_business_unit_counts_the_items_its_people_own(items, ivan, sales, finance):
    found = source().measure(ivan, sales)
    assert found.count == 1
    assert found.url == f"/steering/action-items/?state=overdue&unit={sales.slug}"
    assert source().measure(ivan, finance).count == 1
    assert source().measure(ivan, None).url == "/steering/action-items/?state=overdue"


def test_the_link_opens_the_filtered_list_with_the_same_items(items, client, alice):
    client.force_login(alice)
    response = client.get(source().measure(alice, None).url)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 2


def test_the_attention_item_costs_one_query(items, alice, ivan, sales, django_assert_num_queries):
    for user in (alice, ivan):
        is_it_staff(user)  # the roles are read once per request and cached on the user
        with django_assert_num_queries(1):
            source().measure(user, sales)


def test_the_dashboard_lists_it(items, ivan):
    listed = {item["key"]: item for item in attention_items(ivan)}
    assert listed["steering.overdue_action_items"]["count"] == 3
