"""A real browser: IT records a maintenance window, the key user answers "no", and the problem
appears as a pain point in IT's triage queue."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnership.extramile.tasks import create_check_ins

from ..browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_no_from_the_key_user_after_a_maintenance_window_reaches_it_triage(live_server, page, ivan, alice, password):
    page.set_default_timeout(10_000)
    log_in(page, live_server, "ivan", password)
    page.goto(f"{live_server.url}/extra-mile/maintenance/")
    page.get_by_role("link", name="Record a maintenance window").click()
    now = timezone.localtime()
    page.locator("#id_system").fill("Web shop")
    page.locator("#id_starts_at").fill((now - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((now - datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Key users").select_option(str(alice.pk))
    page.get_by_role("button", name="Record the window").click()
    expect(page.get_by_role("heading", name="Maintenance of Web shop")).to_be_visible()

    create_check_ins()  # the periodic task, once the window has ended

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("button", name="Open").first.click()
    expect(page.get_by_role("heading", name="After the maintenance of Web shop")).to_be_visible()
    page.get_by_label("No, something is wrong").check()
    page.get_by_label("What is wrong?").fill("Orders stay in the basket after payment")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Problem reported")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "ivan", password)
    page.goto(f"{live_server.url}/listening/triage/")
    expect(page.get_by_text("Orders stay in the basket after payment").first).to_be_visible()
