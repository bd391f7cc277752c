"""A real browser walks "What IT delivered": a Finance manager opens it from her home page, changes
the period, follows the monthly summary from her inbox; IT chooses a unit."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from listening.models import PainPointStatusChange
from partnership.delivered import Period
from partnership.services import delivered_digests_send

from ..browser import log_in
from ..extramile.factories import log_action, make_resolved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_business_manager_reads_what_it_delivered_and_follows_the_monthly_summary(
    live_server, page, mallory, ivan, finance, sales, password, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page.set_default_timeout(10_000)
    last_month = Period.month_before(timezone.localdate())
    in_last_month = timezone.make_aware(datetime.datetime.combine(last_month.start + datetime.timedelta(days=9), datetime.time(10)))
    resolved = make_resolved(submitted_by=mallory, it_user=ivan, title="Month-end close takes a week")
    PainPointStatusChange.objects.filter(pain_point=resolved).update(at=in_last_month)
    for n in range(6):
        log_action(actor=ivan, business_unit=finance, title=f"Training session {n}")

    log_in(page, live_server, "mallory", password)
    page.get_by_role("link", name="What IT delivered for Finance").click()
    expect(page.get_by_role("heading", name="What IT delivered for Finance")).to_be_visible()
    expect(page.get_by_role("link", name="Month-end close takes a week")).to_be_visible()
    expect(page.get_by_text("Plan: Import bank files nightly.")).to_be_visible()
    expect(page.get_by_text("No initiative for the unit is approved or in progress.")).to_be_visible()

    page.get_by_role("link", name="See all extra-mile actions").click()
    expect(page.get_by_role("heading", name="Extra-mile actions")).to_be_visible()
    expect(page.get_by_role("link", name="Training session 5")).to_be_visible()

    page.goto(f"{live_server.url}/delivered/finance/")
    page.get_by_label("Period", exact=True).select_option("30")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server.url}/delivered/finance/?days=30&start=&end=")

    delivered_digests_send()  # the monthly task
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_text("What IT delivered for Finance in")).to_be_visible()
    page.get_by_role("button", name="Open").first.click()
    expect(page).to_have_url(
        f"{live_server.url}/delivered/finance/?start={last_month.start.isoformat()}&end={last_month.end.isoformat()}"
    )
    expect(page.get_by_role("link", name="Month-end close takes a week")).to_be_visible()

    log_in(page, live_server, "ivan", password)
    page.get_by_role("link", name="Delivered", exact=True).click()
    page.get_by_role("link", name="Sales").click()
    expect(page.get_by_role("heading", name="What IT delivered for Sales")).to_be_visible()
    page.get_by_label("Business unit", exact=True).select_option("finance")
    page.get_by_role("button", name="Change unit").click()
    expect(page.get_by_role("heading", name="What IT delivered for Finance")).to_be_visible()
