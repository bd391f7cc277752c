"""A real browser: the demo business manager logs in and sees that role's home page."""

import pytest
from playwright.sync_api import expect

from partnership.demo import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_business_manager_logs_in_and_sees_her_home_page(live_server, page, settings):
    seed(scale=1)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(settings.PORTAL_DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Alice")).to_be_visible()
    expect(page.get_by_role("link", name="Raise a pain point, or say “me too” on one already raised")).to_be_visible()
    expect(page.get_by_text("Business manager").first).to_be_visible()
    assert violations == []
