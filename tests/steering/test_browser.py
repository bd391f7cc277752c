"""A real browser: the chair records a BYOD meeting with two business members, proposes a decision,
both business members support it, and the decision register shows it with business buy-in."""

import re

import pytest
from playwright.sync_api import expect

from partnership.roles import Role
from steering.choices import MemberRole, Side, Topic
from steering.models import Attendance, Decision

from ..browser import log_in
from ..factories import BusinessUnitFactory, UserFactory
from .factories import CommitteeFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_byod_decision_gets_business_buy_in(live_server, page, password):
    sales = BusinessUnitFactory(name="Sales", slug="sales")
    operations = BusinessUnitFactory(name="Operations", slug="operations")
    carla = UserFactory(username="carla", first_name="Carla", last_name="Rossi", role=Role.CIO)
    alice = UserFactory(username="alice", first_name="Alice", last_name="Novak", business_unit=sales, role=Role.BUSINESS_MANAGER)
    bob = UserFactory(username="bob", first_name="Bob", last_name="Marsh", business_unit=operations, role=Role.BUSINESS_MANAGER)
    committee = CommitteeFactory(name="BYOD steering committee", scope=Topic.BYOD)
    MembershipFactory(committee=committee, user=carla, side=Side.IT, role=MemberRole.CHAIR)
    MembershipFactory(committee=committee, user=alice, side=Side.BUSINESS)
    MembershipFactory(committee=committee, user=bob, side=Side.BUSINESS)

    # The chair schedules the meeting, records who came and proposes a decision.
    log_in(page, live_server, "carla", password)
    page.goto(f"{live_server.url}{committee.get_absolute_url()}")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Phones and e-mail")
    page.get_by_label("Date and time").fill("2030-01-15T10:00")
    page.get_by_label("Agenda").fill("MDM options\nDecision: phones for e-mail")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", name="Phones and e-mail")).to_be_visible()
    page.get_by_label(re.compile(r"^Alice Novak")).select_option("present")
    page.get_by_label(re.compile(r"^Bob Marsh")).select_option("present")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance recorded.")).to_be_visible()
    assert Attendance.objects.filter(status="present").count() == 2
    page.get_by_role("link", name="Propose a decision").click()
    page.get_by_label("Title").fill("Allow personal phones for company e-mail with MDM")
    page.get_by_label("Context").fill("People read company e-mail on personal phones anyway.")
    page.get_by_role("button", name="Propose decision").click()
    expect(page.get_by_text("Decision proposed")).to_be_visible()
    decision = Decision.objects.get()
    assert decision.meeting is not None

    # Both business members support it.
    for username, stance in (("alice", "Support"), ("bob", "Support with concerns")):
        log_in(page, live_server, username, password)
        page.goto(f"{live_server.url}{decision.get_absolute_url()}")
        page.get_by_label(stance, exact=True).check()
        page.get_by_label("Comment").fill(f"{username} agrees.")
        page.get_by_role("button", name="Record position").click()
        expect(page.get_by_text("Your position is recorded.")).to_be_visible()

    # The register shows the decision with business buy-in, and every position.
    page.goto(f"{live_server.url}/steering/decisions/?buy_in=yes")
    card = page.get_by_role("article").filter(has_text="Allow personal phones for company e-mail with MDM")
    expect(card.get_by_test_id("buy-in")).to_have_text("Business buy-in")
    expect(card.get_by_text("bob agrees.")).to_be_visible()
