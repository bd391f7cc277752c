"""The pages: the board, project pages, forms, stage actions, entries, CSV export, visibility."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from revenue.choices import Stage
from revenue.figures import add_months
from revenue.models import RevenueEntry, RevenueProject

from .factories import RevenueEntryFactory, RevenueProjectFactory, identify, walk_to

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_the_board_shows_a_column_per_stage_and_the_commitment_panel(client, ivan, sales):
    RevenueProjectFactory(name="Wallet payments", stage=Stage.SUPPORT, executed_on=TODAY(), business_units=[sales])
    RevenueProjectFactory(name="Loyalty app", stage=Stage.ACCEPTANCE, business_units=[sales])
    RevenueProjectFactory(name="Old idea", stage=Stage.ABANDONED, business_units=[sales])
    client.force_login(ivan)
    page = client.get("/revenue/").content.decode()
    for heading in ("Identify", "Develop", "Acceptance", "Execute", "Support"):
        assert f'id="column-{heading.lower()}"' in page
    assert page.index('id="column-acceptance"') < page.index("Loyalty app") < page.index('id="column-execute"')
    assert page.index('id="column-support"') < page.index("Wallet payments")
    assert "Old idea" not in page and "1 abandoned project" in page
    assert 'data-testid="commitment-status">Met<' in page
    assert "Identify a revenue project" in page


def test_a_business_manager_sees_only_the_projects_of_her_unit(client, alice, sales, finance):
    RevenueProjectFactory(name="Sales loyalty", business_units=[sales])
    secret = RevenueProjectFactory(name="Finance instalments", business_units=[finance])
    RevenueEntryFactory(project=secret)
    client.force_login(alice)
    page = client.get("/revenue/").content.decode()
    assert "Sales loyalty" in page and "Finance instalments" not in page
    assert "Identify a revenue project" not in page
    assert client.get(f"/revenue/projects/{secret.pk}/").status_code == 404
    assert "Finance instalments" not in client.get("/revenue/projects/").content.decode()
    assert "Finance instalments" not in client.get("/revenue/entries/").content.decode()
    assert "Finance instalments" not in client.get("/revenue/entries/export.csv").content.decode()


def test_it_identifies_a_project_with_the_form(client, ivan, alice, sales):
    client.force_login(ivan)
    assert client.get("/revenue/projects/new/").status_code == 200
    response = client.post(
        "/revenue/projects/new/",
        {
            "name": "Club points", "category": "customer_loyalty", "description": "Points per purchase.",
            "it_sponsor": ivan.pk, "business_units": [sales.pk], "business_partners": [alice.pk],
            "investment": "12000", "yearly_running_cost": "2400", "expected_yearly_revenue": "36000",
            "revenue_expected_from": "",
        },
    )
    project = RevenueProject.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert (project.stage, list(project.business_partners.all())) == (Stage.IDENTIFY, [alice])


def test_the_project_form_refuses_a_negative_investment_and_creates_nothing(client, ivan, sales):
    client.force_login(ivan)
    response = client.post(
        "/revenue/projects/new/",
        {"name": "X", "category": "other", "it_sponsor": ivan.pk, "business_units": [sales.pk],
         "investment": "-1", "yearly_running_cost": "0", "expected_yearly_revenue": "0"},
    )
    assert response.status_code == 400
    assert "The investment cannot be negative." in response.content.decode()
    assert not RevenueProject.objects.exists()


def test_business_managers_get_403_on_it_pages_and_actions(client, alice, sales):
    project = RevenueProjectFactory(business_units=[sales])
    client.force_login(alice)
    assert client.get("/revenue/projects/new/").status_code == 403
    assert client.get(f"/revenue/projects/{project.pk}/edit/").status_code == 403
    assert client.post(f"/revenue/projects/{project.pk}/advance/").status_code == 403
    assert client.post(f"/revenue/projects/{project.pk}/abandon/", {"reason": "x"}).status_code == 403
    assert client.post(f"/revenue/projects/{project.pk}/entries/", {"month": "2026-01", "amount": "1"}).status_code == 403
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Move to" not in page and "Add revenue" not in page and "Abandon" not in page


def test_editing_a_project(client, ivan, sales):
    project = identify(actor=ivan, units=[sales])
    client.force_login(ivan)
    assert client.get(f"/revenue/projects/{project.pk}/edit/").status_code == 200
    response = client.post(
        f"/revenue/projects/{project.pk}/edit/",
        {"name": "Club points 2", "category": "customer_loyalty", "it_sponsor": ivan.pk, "business_units": [sales.pk],
         "investment": "1", "yearly_running_cost": "2", "expected_yearly_revenue": "3", "revenue_expected_from": "2026-03"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.revenue_expected_from) == ("Club points 2", datetime.date(2026, 3, 1))


def test_the_stage_actions_on_the_project_page(client, ivan, alice, sales):
    project = identify(actor=ivan, units=[sales])
    client.force_login(ivan)
    url = project.get_absolute_url()
    client.post(f"{url}advance/", {"on": TODAY().isoformat()})
    client.post(f"{url}advance/")
    project.refresh_from_db()
    assert project.stage == Stage.ACCEPTANCE

    refused = client.post(f"{url}advance/")
    assert refused.status_code == 400
    assert "Record the business acceptance" in refused.content.decode()
    assert RevenueProject.objects.get().stage == Stage.ACCEPTANCE

    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "Record the business acceptance" in page and "Move to" not in page
    response = client.post(f"{url}accept/", {"accepted_by": alice.pk, "statement": "Sales accepts.", "on": TODAY().isoformat()})
    assert response.status_code == 302
    client.force_login(ivan)
    client.post(f"{url}advance/")
    project.refresh_from_db()
    assert project.stage == Stage.EXECUTE
    assert "Sales accepts." in client.get(url).content.decode()


def test_the_stage_forms_of_the_project_page_each_have_their_own_ids(client, ivan, carla, alice, sales):
    import collections
    import re

    project = walk_to(identify(actor=ivan, units=[sales]), Stage.ACCEPTANCE, actor=ivan)
    for user in (ivan, carla, alice):
        client.force_login(user)
        page = client.get(project.get_absolute_url()).content.decode()
        ids = collections.Counter(re.findall(r'\sid="([^"]+)"', page))
        assert [i for i, n in ids.items() if n > 1] == [], user
        for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', page):
            assert ids[target] == 1, f"label for {target} points at no field"
    assert 'id="id_advance_on"' in page or 'id="id_accept_on"' in page


def test_a_revenue_idea_not_started_shows_no_roi_yet(client, ivan, sales):
    import re

    project = identify(actor=ivan, units=[sales])
    client.force_login(ivan)
    page = re.sub(r"\s+", " ", client.get(project.get_absolute_url()).content.decode())
    roi = re.search(r"ROI</dt> ?<dd[^>]*>([^<]*)<", page).group(1)
    assert roi == "n/a (not live yet)"


def test_abandoning_on_the_page_needs_a_reason(client, ivan, sales):
    project = identify(actor=ivan, units=[sales])
    client.force_login(ivan)
    response = client.post(f"{project.get_absolute_url()}abandon/", {"reason": ""})
    assert response.status_code == 400
    assert "Say why the project is abandoned." in response.content.decode()
    client.post(f"{project.get_absolute_url()}abandon/", {"reason": "No market."})
    assert RevenueProject.objects.get().stage == Stage.ABANDONED


def test_the_project_page_has_the_chart_data_and_no_inline_script(client, ivan, alice, sales):
    project = walk_to(identify(actor=ivan, units=[sales]), Stage.EXECUTE, actor=ivan, acceptor=alice)
    RevenueEntryFactory(project=project, month=TODAY().replace(day=1), amount=Decimal("1234.5"))
    client.force_login(ivan)
    page = client.get(project.get_absolute_url()).content.decode()
    assert '<script id="revenue-chart-data" type="application/json">' in page
    assert "/static/js/revenue." in page and "/static/vendor/chartjs/chart.umd.min." in page
    assert page.count("<script") == page.count("<script src=") + 1  # only the json_script block is not a file
    assert "1,234.50 EUR" in page


def test_inline_add_of_revenue_and_its_refusals(client, ivan, sales):
    project = identify(actor=ivan, units=[sales])
    client.force_login(ivan)
    url = f"{project.get_absolute_url()}entries/"
    month = TODAY().strftime("%Y-%m")
    assert client.post(url, {"month": month, "amount": "900.10", "note": "First month"}).status_code == 302
    duplicate = client.post(url, {"month": month, "amount": "5"})
    assert duplicate.status_code == 400
    assert "already recorded" in duplicate.content.decode()
    late = client.post(url, {"month": add_months(TODAY(), 2).strftime("%Y-%m"), "amount": "5"})
    assert "up to next month" in late.content.decode()
    cents = client.post(url, {"month": add_months(TODAY(), -1).strftime("%Y-%m"), "amount": "5.555"})
    assert cents.status_code == 400
    assert RevenueEntry.objects.count() == 1


def test_correcting_and_removing_an_entry(client, ivan, sales):
    entry = RevenueEntryFactory(project=RevenueProjectFactory(business_units=[sales]), amount=Decimal("10"))
    client.force_login(ivan)
    assert client.get(f"/revenue/entries/{entry.pk}/edit/").status_code == 200
    client.post(f"/revenue/entries/{entry.pk}/edit/", {"amount": "12.50", "note": "Late invoice"})
    entry.refresh_from_db()
    assert (entry.amount, entry.note) == (Decimal("12.50"), "Late invoice")
    client.post(f"/revenue/entries/{entry.pk}/delete/")
    assert not RevenueEntry.objects.exists()


def test_the_csv_export_follows_the_filters(client, ivan, sales):
    loyalty = RevenueProjectFactory(name="=Loyalty", business_units=[sales])
    other = RevenueProjectFactory(name="Wallets", business_units=[sales])
    RevenueEntryFactory(project=loyalty, month=datetime.date(2026, 1, 1), amount=Decimal("-20.5"), note="Refunds")
    RevenueEntryFactory(project=other, month=datetime.date(2026, 2, 1))
    client.force_login(ivan)
    response = client.get(f"/revenue/entries/export.csv?project={loyalty.pk}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["project_id", "project", "stage", "month", "amount", "currency"]
    assert rows[1][1:6] == ["'=Loyalty", "identify", "2026-01", "-20.50", "EUR"]
    assert len(rows) == 2


def test_the_entry_list_filters_by_year(client, ivan, sales):
    project = RevenueProjectFactory(name="Wallets", business_units=[sales])
    RevenueEntryFactory(project=project, month=datetime.date(2025, 5, 1), note="old-one")
    RevenueEntryFactory(project=project, month=datetime.date(2026, 5, 1), note="new-one")
    client.force_login(ivan)
    page = client.get("/revenue/entries/?year=2026").content.decode()
    assert "new-one" in page and "old-one" not in page


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _add(count, units):
    for i in range(count):
        stage = [Stage.IDENTIFY, Stage.DEVELOP, Stage.ACCEPTANCE, Stage.EXECUTE, Stage.SUPPORT][i % 5]
        project = RevenueProjectFactory(stage=stage, business_units=units, business_partners=[])
        RevenueEntryFactory(project=project, month=datetime.date(2026, 1, 1))


@pytest.mark.parametrize("user", ["alice", "ivan"])
@pytest.mark.parametrize("url", ["/revenue/", "/revenue/projects/", "/revenue/entries/"])
def test_list_pages_have_a_constant_number_of_queries(client, request, sales, finance, user, url):
    client.force_login(request.getfixturevalue(user))
    _add(5, [sales])
    client.get(url)
    small = _count(client, url)
    _add(40, [sales, finance])
    assert _count(client, url) == small
