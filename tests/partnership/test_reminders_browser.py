"""A real browser: a reminder lights the bell's unread badge; reading it clears the badge."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnership.notifications.services import reminders_send, reminders_sweep

from ..browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reminder_shows_in_the_unread_badge_until_it_is_read(
    live_server, page, alice, sales, password, settings, unit_review_kind
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders_sweep(now=timezone.now() + datetime.timedelta(days=8))
    assert reminders_send().sent == 1

    log_in(page, live_server, "alice", password)
    badge = page.get_by_test_id("unread-count")
    expect(badge).to_have_text("1")

    page.locator("#notification-bell").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.get_by_text("Review the partnership with Sales")).to_be_visible()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("1 notification marked as read.")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    page.get_by_role("link", name="Notification preferences").click()
    expect(page.get_by_role("heading", name="Notification preferences")).to_be_visible()
    page.get_by_label("Weekly unit review (test)").select_option("digest")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Weekly unit review (test)")).to_have_value("digest")
