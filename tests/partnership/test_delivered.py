"""What IT delivered for a unit (partnership/delivered.py): the page per role, its empty states and
query count, and GET /api/v1/business-units/{id}/delivered/ mirroring it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives import planning
from initiatives import services as initiative_services
from revenue import services as revenue_services
from revenue.choices import Stage

from ..extramile.factories import log_action, make_resolved
from ..factories import UserFactory
from ..initiatives.factories import make_delivered, make_in_progress
from ..listening.factories import make_pain_point, make_planned
from ..revenue.factories import identify, walk_to

pytestmark = pytest.mark.django_db


def page(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def shown(response, section):
    """{source key: [entry titles]} of one section of the page."""
    for name, _title, parts in response.context["sections"]:
        if name == section:
            return {part.key: [entry.title for entry in part.entries] for part in parts}
    raise AssertionError(section)


@pytest.fixture
def finance_deliveries(mallory, alice, ivan, carla, finance, sales):
    """Finance got a resolved pain point, a delivered initiative with a reviewed benefit, an
    extra-mile action about a confidential Sales pain point, a project gone live with revenue, and
    has a planned pain point and an initiative in progress coming. Sales has a confidential one."""
    resolved = make_resolved(submitted_by=mallory, it_user=ivan, title="Month-end close takes a week")
    planned = make_planned(make_pain_point(submitted_by=mallory, title="Budget sheets are emailed around"), ivan)
    secret = make_resolved(submitted_by=alice, it_user=ivan, title="Sales commission errors", confidential=True)
    initiative = initiative_services.initiative_create(
        actor=ivan, sponsor=mallory, title="Automated bank reconciliation", problem="Manual matching.",
        proposal="A matching engine.", start_date=timezone.localdate() - datetime.timedelta(days=40),
        target_date=timezone.localdate(), propose=True,
    )
    planning.benefit_add(initiative=initiative, actor=ivan, description="Close two days shorter", expected_amount=Decimal("5000"))
    initiative = initiative_services.initiative_approve(initiative=initiative, actor=carla)
    initiative = initiative_services.initiative_start(initiative=initiative, actor=ivan)
    initiative = initiative_services.initiative_deliver(initiative=initiative, actor=ivan)
    benefit = initiative.benefits.get()
    initiative_services.initiative_review_benefits(
        initiative=initiative, actor=ivan, realised=[{"benefit": benefit.pk, "realised": "Close is three days shorter", "realised_amount": "7000"}],
    )
    coming = make_in_progress(actor=ivan, sponsor=mallory, cio=carla, title="Expense app")
    action = log_action(
        actor=ivan, business_unit=finance, recipients=[mallory], title="A FAQ on the new close",
        subject=secret,
    )
    project = identify(actor=ivan, units=[finance], name="Invoice factoring service")
    project = walk_to(project, Stage.EXECUTE, actor=ivan, acceptor=mallory)
    revenue_services.revenue_entry_create(
        project=project, month=timezone.localdate().replace(day=1), amount=Decimal("2500"), actor=ivan
    )
    # Sales' own deliveries never show on Finance's page.
    make_delivered(actor=ivan, sponsor=alice, cio=carla, title="Sales-only CRM cleanup", business_units=[sales])
    return {"resolved": resolved, "planned": planned, "secret": secret, "initiative": initiative, "coming": coming,
            "action": action, "project": project}


def test_a_finance_manager_sees_what_it_delivered_for_finance_and_nothing_confidential_of_sales(
    client, mallory, finance_deliveries
):
    response = page(client, mallory, "/delivered/finance/")
    assert response.status_code == 200
    delivered = shown(response, "delivered")
    assert delivered["listening.resolved"] == ["Month-end close takes a week"]
    assert delivered["initiatives.delivered"] == ["Automated bank reconciliation"]
    assert delivered["extramile.actions"] == ["A FAQ on the new close"]
    assert delivered["revenue.live"] == ["Invoice factoring service"]
    assert delivered["revenue.recorded"] == ["Invoice factoring service"]
    coming = shown(response, "coming")
    assert coming == {"listening.planned": ["Budget sheets are emailed around"], "initiatives.coming": ["Expense app"]}
    html = response.content.decode()
    assert "Plan: Import bank files nightly." in html
    assert "Realised: Close is three days shorter" in html and "7,000.00 EUR" in html
    assert "2,500.00 EUR" in html
    # The action followed a confidential Sales pain point: named without its title or link.
    assert "Sales commission errors" not in html and "An item you cannot see" in html
    assert "Sales-only CRM cleanup" not in html
    assert f'href="{finance_deliveries["resolved"].get_absolute_url()}"' in html


def test_it_sees_the_subject_a_business_manager_may_not(client, ivan, finance_deliveries):
    response = page(client, ivan, "/delivered/finance/")
    assert "Sales commission errors" in response.content.decode()


def test_a_business_manager_is_sent_to_their_unit_and_refused_another(client, mallory, sales):
    response = page(client, mallory, "/delivered/")
    assert response.status_code == 302 and response["Location"] == "/delivered/finance/"
    assert page(client, mallory, "/delivered/sales/").status_code == 403


def test_it_and_the_cio_choose_a_unit(client, ivan, carla, finance, sales):
    chooser = page(client, ivan, "/delivered/")
    assert chooser.status_code == 200
    assert 'href="/delivered/finance/"' in chooser.content.decode()
    assert page(client, carla, "/delivered/", unit="sales", days="30")["Location"] == "/delivered/sales/?days=30"
    assert page(client, carla, "/delivered/sales/").status_code == 200


def test_an_integration_account_is_refused(client, tess):
    assert page(client, tess, "/delivered/").status_code == 403


def test_empty_states_say_what_would_show(client, mallory):
    response = page(client, mallory, "/delivered/finance/")
    html = response.content.decode()
    assert "No pain point of the unit was resolved in this period." in html
    assert "No initiative for the unit is approved or in progress." in html
    assert "No revenue was recorded for the unit&#x27;s projects in this period." in html


def test_the_period_selects_what_was_delivered(client, mallory, finance_deliveries):
    a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
    response = page(client, mallory, "/delivered/finance/", start=a_year_ago.isoformat(), end=(a_year_ago + datetime.timedelta(days=30)).isoformat())
    assert response.status_code == 200
    assert all(titles == [] for titles in shown(response, "delivered").values())
    # What is coming does not depend on the period.
    assert shown(response, "coming")["initiatives.coming"] == ["Expense app"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"days": "7"}, "days"), ({"start": "2026-05-01"}, "end"), ({"start": "2026-05-01", "end": "2026-04-01"}, "end"),
     ({"start": "0001-01-01", "end": "2026-01-01"}, "start"), ({"start": "yesterday", "end": "2026-01-01"}, "start")],
)
def test_a_bad_period_is_a_400_naming_the_field(client, mallory, params, field):
    response = page(client, mallory, "/delivered/finance/", **params)
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_a_section_shows_five_and_see_all_pages_the_rest(client, mallory, ivan, finance):
    for n in range(7):
        log_action(actor=ivan, business_unit=finance, title=f"Training {n}", performed_on=timezone.localdate() - datetime.timedelta(days=n))
    response = page(client, mallory, "/delivered/finance/")
    assert shown(response, "delivered")["extramile.actions"] == [f"Training {n}" for n in range(5)]
    assert "?source=extramile.actions" in response.content.decode()
    every = page(client, mallory, "/delivered/finance/", source="extramile.actions")
    assert [e.title for e in every.context["entries"]] == [f"Training {n}" for n in range(7)]
    assert page(client, mallory, "/delivered/finance/", source="nope").status_code == 404


def _queries(client, user, path):
    client.force_login(user)
    client.get(path)  # the first view of a session records the visit and the session once
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_page_costs_the_same_with_one_entry_or_many(client, mallory, ivan, carla, finance):
    make_resolved(submitted_by=mallory, it_user=ivan, title="First")
    log_action(actor=ivan, business_unit=finance, title="One action")
    make_delivered(actor=ivan, sponsor=mallory, cio=carla, title="One initiative")
    few = _queries(client, mallory, "/delivered/finance/")
    for n in range(6):
        make_resolved(submitted_by=mallory, it_user=ivan, title=f"More {n}")
        log_action(actor=ivan, business_unit=finance, title=f"Action {n}")
        make_delivered(actor=ivan, sponsor=mallory, cio=carla, title=f"Initiative {n}")
    assert _queries(client, mallory, "/delivered/finance/") == few


# --- The API --------------------------------------------------------------------------------------


def test_the_api_mirrors_the_page(client, api, mallory, finance, finance_deliveries):
    response = page(client, mallory, "/delivered/finance/")
    answer = api(mallory).get(f"/api/v1/business-units/{finance.pk}/delivered/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["page"] == "/delivered/finance/"
    for section in body["sections"]:
        titles = {source["key"]: [e["title"] for e in source["entries"]] for source in section["sources"]}
        assert titles == shown(response, section["key"])
    actions = next(s for s in body["sections"][0]["sources"] if s["key"] == "extramile.actions")
    assert actions["entries"][0]["references"] == [{"title": "An item you cannot see", "url": None, "visible": False}]
    recorded = next(s for s in body["sections"][0]["sources"] if s["key"] == "revenue.recorded")
    assert recorded["entries"][0]["amount"] == "2500.00"


def test_the_api_refuses_another_unit_and_names_a_bad_field(api, mallory, sales, finance):
    assert api(mallory).get(f"/api/v1/business-units/{sales.pk}/delivered/").status_code == 403
    bad = api(mallory).get(f"/api/v1/business-units/{finance.pk}/delivered/", {"start": "2026-05-01"})
    assert bad.status_code == 400 and "end" in bad.json()["fields"]
    assert api(mallory).get(f"/api/v1/business-units/{finance.pk}/delivered/", {"source": "x"}).status_code == 400


def test_the_api_pages_one_source(api, ivan, finance):
    for n in range(7):
        log_action(actor=ivan, business_unit=finance, title=f"Training {n}")
    body = api(ivan).get(f"/api/v1/business-units/{finance.pk}/delivered/", {"source": "extramile.actions"}).json()
    assert body["count"] == 7 and len(body["entries"]) == 7


def test_a_new_business_manager_without_unit_is_refused(client):
    from partnership.roles import Role

    nobody = UserFactory(role=Role.BUSINESS_MANAGER, business_unit=None)
    assert page(client, nobody, "/delivered/").status_code == 403
