"""The revenue API: visibility, the stage actions, refusals as 400, roles as 403, filters, query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.roles import Role
from revenue.choices import Stage
from revenue.figures import add_months
from revenue.models import RevenueEntry, RevenueProject

from ..factories import UserFactory
from .factories import RevenueEntryFactory, RevenueProjectFactory, identify, walk_to

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/revenue-projects/"
ENTRIES = "/api/v1/revenue-entries/"


@pytest.fixture
def sales_project(ivan, sales):
    return identify(actor=ivan, units=[sales])


@pytest.fixture
def finance_project(ivan, finance):
    return identify(actor=ivan, units=[finance], name="Buy now, pay later")


def test_business_managers_see_their_units_projects_and_it_sees_all(api, alice, ivan, carla, tess, sales_project, finance_project):
    assert [p["name"] for p in api(alice).get(PROJECTS).json()["results"]] == [sales_project.name]
    assert api(ivan).get(PROJECTS).json()["count"] == 2
    assert api(carla).get(PROJECTS).json()["count"] == 2
    assert api(tess).get(PROJECTS).json()["count"] == 0


def test_another_units_project_and_its_entries_answer_404(api, alice, ivan, finance_project):
    entry = RevenueEntryFactory(project=finance_project)
    assert api(alice).get(f"{PROJECTS}{finance_project.pk}/").status_code == 404
    assert api(alice).post(f"{PROJECTS}{finance_project.pk}/accept/", {"statement": "x"}).status_code == 404
    assert api(alice).get(f"{ENTRIES}{entry.pk}/").status_code == 404
    assert api(alice).get(ENTRIES).json()["count"] == 0


def test_it_creates_a_project_and_gets_its_figures_back(api, ivan, alice, sales):
    response = api(ivan).post(
        PROJECTS,
        {
            "name": "Loyalty app", "category": "customer_loyalty", "it_sponsor": ivan.pk, "business_units": [sales.pk],
            "business_partners": [alice.pk], "investment": "12000.00", "expected_yearly_revenue": "30000",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "identify"
    assert body["realised_to_date"] == "0.00"
    assert body["stage_changes"][0]["to_stage"] == "identify"
    assert body["url"] == f"/revenue/projects/{body['id']}/"


def test_creating_with_a_negative_investment_is_a_400_naming_the_field(api, ivan, sales):
    response = api(ivan).post(
        PROJECTS, {"name": "X", "it_sponsor": ivan.pk, "business_units": [sales.pk], "investment": "-5"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["investment"] == ["The investment cannot be negative."]
    assert not RevenueProject.objects.exists()


def test_business_managers_cannot_create_edit_advance_or_abandon(api, alice, sales, sales_project):
    client = api(alice)
    assert client.post(PROJECTS, {"name": "X", "it_sponsor": alice.pk, "business_units": [sales.pk]}).status_code == 403
    url = f"{PROJECTS}{sales_project.pk}/"
    for response in (
        client.patch(url, {"name": "Renamed"}),
        client.post(f"{url}advance/", {}),
        client.post(f"{url}abandon/", {"reason": "No"}),
    ):
        assert response.status_code == 403
        assert "IT staff" in response.json()["detail"]
    assert RevenueProject.objects.get().stage == Stage.IDENTIFY


def test_the_stage_actions_walk_a_project_to_execute(api, ivan, alice, sales_project):
    it, business = api(ivan), api(alice)
    url = f"{PROJECTS}{sales_project.pk}/"
    assert it.post(f"{url}advance/", {}).json()["stage"] == "develop"
    assert it.post(f"{url}advance/", {"to_stage": "acceptance"}).json()["stage"] == "acceptance"

    refused = it.post(f"{url}advance/", {})
    assert refused.status_code == 400
    assert "business acceptance" in refused.json()["fields"]["stage"][0]

    accepted = business.post(f"{url}accept/", {"statement": "Sales accepts the premium tier."})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["accepted_by"] == alice.pk
    executed = it.post(f"{url}advance/", {"note": "Live in four stores"})
    assert executed.json()["stage"] == "execute"
    assert executed.json()["executed_on"] == timezone.localdate().isoformat()


def test_skipping_a_stage_by_api_is_a_400(api, ivan, sales_project):
    response = api(ivan).post(f"{PROJECTS}{sales_project.pk}/advance/", {"to_stage": "execute"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("stage: A project moves one stage at a time")
    assert RevenueProject.objects.get().stage == Stage.IDENTIFY


def test_a_business_manager_accepts_only_for_themselves_and_only_their_projects(api, ivan, alice, sales, mallory):
    other = UserFactory(username="sam", business_unit=sales, role=Role.BUSINESS_MANAGER)
    project = walk_to(identify(actor=ivan, units=[sales], partners=[]), Stage.ACCEPTANCE, actor=ivan)
    url = f"{PROJECTS}{project.pk}/accept/"
    response = api(alice).post(url, {"statement": "OK", "accepted_by": other.pk})
    assert response.status_code == 403
    assert api(mallory).post(url, {"statement": "OK"}).status_code == 404
    # IT records an acceptance given by the business, naming who gave it.
    response = api(ivan).post(url, {"statement": "Agreed in the sales review.", "accepted_by": other.pk})
    assert response.json()["accepted_by"] == other.pk


def test_accepting_without_a_statement_is_a_400(api, ivan, alice, sales):
    project = walk_to(identify(actor=ivan, units=[sales]), Stage.ACCEPTANCE, actor=ivan)
    response = api(alice).post(f"{PROJECTS}{project.pk}/accept/", {"statement": ""})
    assert response.status_code == 400
    assert "statement" in response.json()["fields"]
    assert RevenueProject.objects.get().accepted_by is None


def test_abandoning_by_api_needs_a_reason(api, ivan, sales_project):
    url = f"{PROJECTS}{sales_project.pk}/abandon/"
    response = api(ivan).post(url, {"reason": ""})
    assert response.status_code == 400
    assert response.json()["fields"]["reason"] == ["Say why the project is abandoned."]
    body = api(ivan).post(url, {"reason": "The app store fees eat the margin."}).json()
    assert (body["stage"], body["abandoned_reason"]) == ("abandoned", "The app store fees eat the margin.")


def test_recording_entries_and_their_refusals(api, ivan, alice, sales_project):
    client = api(ivan)
    month = timezone.localdate().replace(day=1)
    created = client.post(ENTRIES, {"project": sales_project.pk, "month": month.isoformat(), "amount": "1250.50"})
    assert created.status_code == 201, created.json()
    assert created.json()["amount"] == "1250.50"

    duplicate = client.post(ENTRIES, {"project": sales_project.pk, "month": month.isoformat(), "amount": "1"})
    assert duplicate.status_code == 400
    assert "already recorded" in duplicate.json()["fields"]["month"][0]

    too_late = client.post(ENTRIES, {"project": sales_project.pk, "month": add_months(month, 2).isoformat(), "amount": "1"})
    assert too_late.status_code == 400
    assert "next month" in too_late.json()["fields"]["month"][0]

    cents = client.post(ENTRIES, {"project": sales_project.pk, "month": add_months(month, -1).isoformat(), "amount": "1.005"})
    assert cents.status_code == 400
    assert cents.json()["fields"]["amount"] == ["Enter the amount with at most two decimals."]
    assert RevenueEntry.objects.count() == 1

    entry_url = f"{ENTRIES}{created.json()['id']}/"
    assert client.patch(entry_url, {"amount": "1300"}).json()["amount"] == "1300.00"
    assert api(alice).patch(entry_url, {"amount": "1"}).status_code == 403
    assert api(alice).post(ENTRIES, {"project": sales_project.pk, "month": month.isoformat(), "amount": "1"}).status_code == 403
    assert client.delete(entry_url).status_code == 204


def test_entry_filters_project_year_and_stage(api, ivan, sales, settings):
    live = RevenueProjectFactory(stage=Stage.EXECUTE, business_units=[sales])
    idea = RevenueProjectFactory(stage=Stage.DEVELOP, business_units=[sales])
    RevenueEntryFactory(project=live, month=datetime.date(2025, 12, 1))
    RevenueEntryFactory(project=live, month=datetime.date(2026, 1, 1))
    RevenueEntryFactory(project=idea, month=datetime.date(2026, 4, 1))
    client = api(ivan)

    def months(query):
        return sorted(e["month"] for e in client.get(f"{ENTRIES}?{query}").json()["results"])

    assert months(f"project={live.pk}") == ["2025-12-01", "2026-01-01"]
    assert months("year=2026") == ["2026-01-01", "2026-04-01"]
    assert months("stage=develop") == ["2026-04-01"]
    assert months("year=2026&stage=execute") == ["2026-01-01"]
    settings.REVENUE_FISCAL_YEAR_FIRST_MONTH = 4
    assert months("year=2025") == ["2025-12-01", "2026-01-01"]


def test_project_filters_stage_unit_and_executed_year(api, ivan, sales, finance):
    RevenueProjectFactory(name="A", stage=Stage.EXECUTE, executed_on=datetime.date(2026, 3, 1), business_units=[sales])
    RevenueProjectFactory(name="B", stage=Stage.DEVELOP, business_units=[finance])
    client = api(ivan)

    def names(query):
        return [p["name"] for p in client.get(f"{PROJECTS}?{query}").json()["results"]]

    assert names("stage=develop") == ["B"]
    assert names("business_unit=sales") == ["A"]
    assert names(f"business_unit={finance.pk}") == ["B"]
    assert names("executed_year=2026") == ["A"]
    assert names("search=B") == ["B"]


def _add_projects(count, units):
    for _ in range(count):
        project = RevenueProjectFactory(business_units=units, stage=Stage.EXECUTE, executed_on=datetime.date(2026, 1, 1))
        RevenueEntryFactory(project=project, month=datetime.date(2026, 1, 1), amount=Decimal("10"))


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("user", ["alice", "ivan"])
@pytest.mark.parametrize("url", [PROJECTS, ENTRIES])
def test_list_endpoints_have_a_constant_number_of_queries(api, request, sales, finance, user, url):
    client = api(request.getfixturevalue(user))
    _add_projects(2, [sales])
    client.get(url)
    small = _count(client, url)
    _add_projects(20, [sales, finance])
    assert _count(client, url) == small
