"""A real browser: IT identifies a loyalty app, gets it accepted, executes it and records revenue."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnership.roles import Role
from revenue.figures import add_months

from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plain_static_urls(settings):
    """The live server serves static files through the finders, which know the unhashed names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_it_takes_a_loyalty_app_to_execute_and_the_commitment_is_met(
    live_server, page, password, sales, plain_static_urls
):
    ivan = UserFactory(username="ivan", first_name="Ivan", role=Role.IT_STAFF)
    alice = UserFactory(username="alice", first_name="Alice", business_unit=sales, role=Role.BUSINESS_MANAGER)

    page.goto(f"{live_server.url}/revenue/")
    page.get_by_label("Username").fill("ivan")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("commitment-status")).to_have_text("At risk" if timezone.localdate().month > 6 else "On track")

    page.get_by_role("link", name="Identify a revenue project").click()
    page.get_by_label("Name").fill("Club points loyalty app")
    page.get_by_label("Category").select_option("customer_loyalty")
    page.get_by_label("IT sponsor").select_option(str(ivan.pk))
    page.get_by_label("Business units").select_option(str(sales.pk))
    page.get_by_label("Business partners").select_option(str(alice.pk))
    page.get_by_label("Investment").fill("12000")
    page.get_by_label("Expected yearly revenue").fill("36000")
    page.get_by_role("button", name="Identify the project").click()
    expect(page.get_by_test_id("project-stage")).to_have_text("Identify")

    page.get_by_role("button", name="Move to Develop").click()
    expect(page.get_by_test_id("project-stage")).to_have_text("Develop")
    page.get_by_role("button", name="Move to Acceptance").click()
    expect(page.get_by_test_id("project-stage")).to_have_text("Acceptance")

    page.get_by_label("Accepted by").select_option(str(alice.pk))
    page.get_by_label("Acceptance statement").fill("Sales accepts the premium tier, launched in four stores.")
    page.get_by_role("button", name="Record the acceptance").click()
    expect(page.get_by_test_id("acceptance")).to_contain_text("Sales accepts the premium tier")
    page.get_by_role("button", name="Move to Execute").click()
    expect(page.get_by_test_id("project-stage")).to_have_text("Execute")

    today = timezone.localdate()
    for offset, amount in ((-2, "2800"), (-1, "5100"), (0, "6900.50")):
        page.locator("#id_entry_month").fill(add_months(today, offset).strftime("%Y-%m"))
        page.locator("#id_entry_amount").fill(amount)
        page.get_by_role("button", name="Add revenue").click()
        expect(page.get_by_text("recorded.")).to_be_visible()
    expect(page.get_by_test_id("entries").locator("tr")).to_have_count(3)
    expect(page.get_by_test_id("realised-to-date")).to_have_text("14,800.50 EUR")
    page.wait_for_function("() => window.Chart && Chart.getChart('revenue-chart') !== undefined")

    page.get_by_role("link", name="IT-driven revenue").first.click()
    expect(page.get_by_test_id("commitment-status")).to_have_text("Met")
    expect(page.get_by_test_id("commitment-panel")).to_contain_text("Club points loyalty app")
