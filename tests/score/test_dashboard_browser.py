"""The CIO opens the dashboard on demo data, drills down from an indicator and exports CSV."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ..browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_the_cio_reads_the_dashboard_drills_down_and_exports_csv(live_server, page, settings):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(page, live_server, "carla", settings.PORTAL_DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Partnership dashboard")).to_be_visible()
    expect(page.get_by_test_id("overall-score")).not_to_have_text("no data")
    expect(page.get_by_test_id("unit-table")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

    # Drill down: the first indicator with records leads to the records behind it.
    link = page.locator("tr[data-indicator] td a").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(target) or target.split("?")[0] in page.url
    expect(page.locator("main")).not_to_contain_text("This page does not exist")

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export indicators (CSV)").click()
    download = download_info.value
    content = Path(download.path()).read_text()
    assert content.startswith("pillar,indicator,unit,value,target,score")
