"""Helpers of the browser tests (Playwright)."""

from playwright.sync_api import expect


def log_in(page, live_server, username, password):
    """Log in through the login page as `username`, leaving any earlier session first."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()
