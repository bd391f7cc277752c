"""A real browser: a business manager submits a pain point, IT acknowledges, evaluates and plans
it, and the manager reads the plan."""

import pytest
from playwright.sync_api import expect

from listening.models import PainPoint

from ..browser import log_in
from .factories import make_pain_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_submits_it_plans_and_the_manager_sees_the_plan(live_server, page, alice, mallory, ivan, password, settings):
    settings.LISTENING_HOURLY_RATE = "50"
    settings.LISTENING_WORKING_WEEKS = 40
    # The live server finds static files through the finders, so serve them by their plain
    # names (not the hashed names of the production manifest): the page's script must load.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    make_pain_point(submitted_by=mallory, title="Supplier invoices typed twice")

    # Alice raises a pain point; while she types, the similar one shows up.
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/listening/")
    page.get_by_role("link", name="Raise a pain point").click()
    page.get_by_label("Title").fill("Customer invoices typed by hand")
    expect(page.get_by_test_id("similar-results")).to_contain_text("Supplier invoices typed twice")
    expect(page.get_by_role("button", name="Me too: Supplier invoices typed twice")).to_be_visible()
    page.get_by_label("Description").fill("Every invoice goes into the ERP and the bank portal.")
    page.get_by_label("People affected").fill("4")
    page.get_by_label("Hours lost a week (per person)").fill("2.5")
    expect(page.locator("#yearly-cost")).to_contain_text("20")  # 2.5 x 4 x 50 x 40 = 20,000
    page.get_by_role("button", name="Submit pain point").click()
    expect(page.get_by_role("heading", name="Customer invoices typed by hand")).to_be_visible()
    pain_point = PainPoint.objects.get(title="Customer invoices typed by hand")
    page.get_by_role("button", name="Log out").click()

    # Ivan acknowledges it from the triage queue, evaluates it and plans it.
    log_in(page, live_server, "ivan", password)
    page.goto(f"{live_server.url}/listening/triage/")
    page.get_by_role("link", name="Customer invoices typed by hand").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Done: acknowledge.")).to_be_visible()
    page.get_by_role("button", name="Start analysis").click()
    page.get_by_role("link", name="Write evaluation").click()
    page.locator("#id_options-0-title").fill("Import the bank files")
    page.locator("#id_options-0-pros").fill("Nobody types invoices any more")
    page.locator("#id_options-0-recommended").check()
    page.locator("#id_options-1-title").fill("Hire a temp")
    page.locator("#id_plan").fill("Nightly import of bank files from March.")
    page.get_by_role("button", name="Save evaluation").click()
    page.get_by_role("button", name="Mark planned").click()
    expect(page.get_by_text("Done: mark planned.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # Alice reads the plan.
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}{pain_point.get_absolute_url()}")
    expect(page.get_by_test_id("plan")).to_have_text("Nightly import of bank files from March.")
    expect(page.get_by_text("Planned").first).to_be_visible()
    expect(page.get_by_role("rowheader", name="Import the bank files Recommended")).to_be_visible()
