"""A real browser walks each role's home page: an item waiting for them, and its link."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from listening.models import PainPoint
from steering.choices import MemberRole, Side

from ..browser import log_in
from ..extramile.factories import log_action
from ..initiatives.factories import make_proposed
from ..listening.factories import make_pain_point
from ..steering.factories import CommitteeFactory, DecisionFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _follow(page, name):
    agenda = page.get_by_role("region", name="What waits for you")
    link = agenda.get_by_role("link", name=name)
    expect(link).to_be_visible()
    link.click()


def test_each_role_sees_what_waits_on_its_home_page_and_follows_the_link(
    live_server, page, alice, ivan, carla, sales, password
):
    log_action(actor=ivan, business_unit=sales, recipients=[alice], title="Built the sales report")
    committee = CommitteeFactory(name="BYOD committee")
    MembershipFactory(committee=committee, user=alice, side=Side.BUSINESS, role=MemberRole.MEMBER)
    decision = DecisionFactory(committee=committee, title="Allow personal phones")
    late = make_pain_point(submitted_by=alice, title="Printer jams")
    overdue_since = timezone.localdate() - datetime.timedelta(days=3)
    PainPoint.objects.filter(pk=late.pk).update(ack_due_on=overdue_since)
    initiative = make_proposed(actor=ivan, sponsor=alice, title="Data warehouse")

    log_in(page, live_server, "alice", password)
    expect(page.get_by_text("Give your position on “Allow personal phones” (BYOD committee)")).to_be_visible()
    _follow(page, "Confirm and rate “Built the sales report”")
    expect(page.get_by_role("heading", name="Built the sales report")).to_be_visible()
    page.goto(f"{live_server.url}/")
    _follow(page, "Give your position on “Allow personal phones” (BYOD committee)")
    assert page.url.endswith(decision.get_absolute_url())

    log_in(page, live_server, "ivan", password)
    agenda = page.get_by_role("region", name="What waits for you")
    expect(agenda.get_by_text(f"Due {overdue_since:%Y-%m-%d}")).to_be_visible()
    _follow(page, "Acknowledge “Printer jams” (Sales)")
    assert page.url.endswith(late.get_absolute_url())

    log_in(page, live_server, "carla", password)
    _follow(page, "Decide on “Data warehouse” (proposed)")
    assert page.url.endswith(initiative.get_absolute_url())
