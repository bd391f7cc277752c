"""A real browser: IT proposes an initiative from two pain points and adds a high risk, the CIO
accepts the risk and approves, and the business manager sees both pain points planned."""

import datetime

import pytest
from playwright.sync_api import expect

from ..browser import log_in
from ..listening.factories import make_pain_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_it_proposes_from_two_pain_points_the_cio_accepts_the_risk_and_approves(live_server, page, password, alice, ivan, carla):
    first = make_pain_point(submitted_by=alice, title="Monthly sales report built by hand")
    second = make_pain_point(submitted_by=alice, title="Commission statements questioned")
    today = datetime.date.today()
    page.set_default_timeout(10000)

    # IT proposes the initiative from both pain points and records a high risk.
    log_in(page, live_server, "ivan", password)
    page.goto(f"{live_server.url}/initiatives/")
    page.get_by_role("link", name="New initiative").click()
    page.get_by_label("Title").fill("Self-service sales reporting")
    page.get_by_label("Origin").select_option("pain_points")
    page.get_by_label("Pain points").select_option([str(first.pk), str(second.pk)])
    page.get_by_label("Problem").fill("Reports and commission statements are built by hand.")
    page.get_by_label("Proposal", exact=False).first.fill("A hosted BI service on the data warehouse.")
    page.get_by_label("Alternative considered").fill("Hosted BI instead of a new server cluster.")
    page.get_by_label("Sponsor").select_option(str(alice.pk))
    page.get_by_label("One-off cost").fill("18000")
    page.get_by_label("Start date").fill(today.isoformat())
    page.get_by_label("Target date").fill((today + datetime.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Save and propose").click()
    expect(page.get_by_role("heading", name="Self-service sales reporting")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Proposed")
    expect(page.get_by_test_id("linked-pain-point")).to_have_count(2)

    page.get_by_role("link", name="Add a risk").click()
    page.get_by_label("Description").fill("Commission figures differ from payroll during the pilot.")
    page.get_by_label("Probability").fill("4")
    page.get_by_label("Impact").fill("5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("risk")).to_contain_text("Score 20")
    expect(page.get_by_test_id("needs-acceptance")).to_be_visible()
    expect(page.get_by_title("Probability 4 × impact 5 = 20")).to_contain_text("1")
    _log_out(page)

    # The CIO accepts the risk of failure, then says "YES".
    log_in(page, live_server, "carla", password)
    page.goto(f"{live_server.url}/initiatives/")
    page.get_by_role("link", name="Self-service sales reporting").click()
    page.get_by_role("link", name="Accept the risk").click()
    page.get_by_label("Statement").fill("Worth it: two days a month back for Sales.")
    page.get_by_role("button", name="Accept the risk").click()
    expect(page.get_by_test_id("risk-acceptance")).to_contain_text("Worth it")
    page.get_by_role("button", name="Approve: say “YES”").click()
    expect(page.get_by_test_id("status")).to_have_text("Approved")
    expect(page.get_by_test_id("decision-record")).to_contain_text("Risk accepted")
    _log_out(page)

    # The business manager sees both pain points planned.
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/listening/?status=planned")
    expect(page.get_by_role("link", name="Monthly sales report built by hand")).to_be_visible()
    expect(page.get_by_role("link", name="Commission statements questioned")).to_be_visible()
    page.get_by_role("link", name="Monthly sales report built by hand").click()
    expect(page.get_by_test_id("plan")).to_contain_text("Self-service sales reporting")
