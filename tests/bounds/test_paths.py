"""One out-of-range value, refused with the same message by the page and by the API.

Each case names the model whose table must stay empty, the page (URL, form data, who posts) and
the API (URL, JSON body, who posts), the field and the value. The page answers its form again
with the message and saves nothing; the API answers 400 naming the field with the same message.
"""

import pytest

from initiatives.models import Initiative
from listening.models import ListeningSession, PainPoint
from partnership.extramile.models import ExtraMileAction, MaintenanceWindow
from partnership.roles import Role
from revenue.models import RevenueProject
from steering.choices import MemberRole, Side
from steering.models import Event, Meeting

from ..factories import UserFactory
from ..steering.factories import CommitteeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PEOPLE = "Enter a number between 1 and 10,000,000."
SCALE = "Enter a number between 1 and 5."
HOURS = "Enter a number between 0 and 168."
YEARS = "Enter a date between 1900 and 2100."
CONTROL = "Use one line of text without control characters."
TOO_LONG = "Keep it to 20,000 characters (it has 20,001)."


@pytest.fixture
def cast(alice, ivan, sales):
    chair = UserFactory(username="chris", business_unit=sales, role=Role.BUSINESS_MANAGER)
    committee = CommitteeFactory(name="Data board")
    MembershipFactory(committee=committee, user=chair, side=Side.BUSINESS, role=MemberRole.CHAIR)
    return {"alice": alice, "ivan": ivan, "chris": chair, "sales": sales, "committee": committee}


def _pain_point(cast, **values):
    data = {
        "title": "Invoices typed twice", "description": "Into the ERP and the bank portal.", "category": "process",
        "severity": 3, "people_affected": 4, "hours_lost_per_week": "2.5", "business_unit": cast["sales"].pk,
    }
    return {**data, **values}


def _session(cast, **values):
    data = {"kind": "coffee_event", "title": "Coffee with Sales", "held_on": "2025-03-03", "business_unit": cast["sales"].pk}
    return {**data, **values}


def _meeting(cast, **values):
    return {"committee": cast["committee"].pk, "title": "March review", "starts_at": "2030-03-10T10:00", **values}


def _event(cast, **values):
    data = {"kind": "workshop", "title": "Design workshop", "starts_at": "2030-03-10T10:00", "host": cast["ivan"].pk}
    return {**data, **values}


def _initiative(cast, **values):
    data = {
        "title": "Hosted BI", "origin": "it_proposed", "problem": "Reports by hand.", "proposal": "Hosted BI.",
        "sponsor": cast["alice"].pk, "it_owner": cast["ivan"].pk,
        "one_off_cost": "0", "yearly_running_cost": "0", "fte": "1", "start_date": "2030-01-01",
    }
    return {**data, **values}


def _project(cast, **values):
    data = {
        "name": "Club points", "category": "customer_loyalty", "it_sponsor": cast["ivan"].pk,
        "business_units": [cast["sales"].pk], "investment": "0", "yearly_running_cost": "0",
        "expected_yearly_revenue": "0", "revenue_expected_from": "",
    }
    return {**data, **values}


def _action(cast, **values):
    data = {
        "kind": "extra_analysis", "title": "Two more years in the margin report", "business_unit": cast["sales"].pk,
        "performed_on": "2026-01-05", "effort_hours": "1",
    }
    return {**data, **values}


def _window(cast, **values):
    data = {
        "system": "SAP ERP", "starts_at": "2030-03-10T10:00", "ends_at": "2030-03-10T12:00",
        "key_users": [cast["alice"].pk], "business_units": [cast["sales"].pk],
    }
    return {**data, **values}


# (model, page URL, page poster, API URL, API poster, payload builder, field, value, message)
CASES = [
    (PainPoint, "/listening/new/", "alice", "/api/v1/pain-points/", "alice", _pain_point, "severity", 6, SCALE),
    (PainPoint, "/listening/new/", "alice", "/api/v1/pain-points/", "alice", _pain_point, "people_affected", 10_000_001, PEOPLE),
    (PainPoint, "/listening/new/", "alice", "/api/v1/pain-points/", "alice", _pain_point, "people_affected", 9223372036854775807, PEOPLE),
    (PainPoint, "/listening/new/", "alice", "/api/v1/pain-points/", "alice", _pain_point, "people_affected", 0, PEOPLE),
    (PainPoint, "/listening/new/", "alice", "/api/v1/pain-points/", "alice", _pain_point, "hours_lost_per_week", "168.5", HOURS),
    (PainPoint, "/listening/new/", "alice", "/api/v1/pain-points/", "alice", _pain_point, "title", "Invoices\x1b[31m", CONTROL),
    (PainPoint, "/listening/new/", "alice", "/api/v1/pain-points/", "alice", _pain_point, "description", "x" * 20_001, TOO_LONG),
    (ListeningSession, "/listening/sessions/new/", "ivan", "/api/v1/listening-sessions/", "ivan", _session, "held_on", "1899-12-31", YEARS),
    (ListeningSession, "/listening/sessions/new/", "ivan", "/api/v1/listening-sessions/", "ivan", _session, "held_on", "2101-01-01", YEARS),
    (Meeting, "/steering/committees/{committee}/meetings/new/", "chris", "/api/v1/meetings/", "chris", _meeting, "starts_at", "0001-01-01T00:00", YEARS),
    (Meeting, "/steering/committees/{committee}/meetings/new/", "chris", "/api/v1/meetings/", "chris", _meeting, "starts_at", "2101-01-01T10:00", YEARS),
    (Event, "/steering/events/new/", "ivan", "/api/v1/events/", "ivan", _event, "starts_at", "1899-12-31T10:00", YEARS),
    (Event, "/steering/events/new/", "ivan", "/api/v1/events/", "ivan", _event, "capacity", 100_001, "Enter a number between 1 and 100,000."),
    (Initiative, "/initiatives/new/", "ivan", "/api/v1/initiatives/", "ivan", _initiative, "fte", "1000.50", "Enter a number between 0 and 1,000."),
    (Initiative, "/initiatives/new/", "ivan", "/api/v1/initiatives/", "ivan", _initiative, "target_date", "2101-01-01", YEARS),
    (RevenueProject, "/revenue/projects/new/", "ivan", "/api/v1/revenue-projects/", "ivan", _project, "revenue_expected_from", "2101-01-01", YEARS),
    (RevenueProject, "/revenue/projects/new/", "ivan", "/api/v1/revenue-projects/", "ivan", _project, "name", "Club\tpoints", CONTROL),
    (ExtraMileAction, "/extra-mile/actions/new/", "ivan", "/api/v1/extra-mile-actions/", "ivan", _action, "title", "Two\nyears", CONTROL),
    (ExtraMileAction, "/extra-mile/actions/new/", "ivan", "/api/v1/extra-mile-actions/", "ivan", _action, "performed_on", "1899-12-31", YEARS),
    (MaintenanceWindow, "/extra-mile/maintenance/new/", "ivan", "/api/v1/maintenance-windows/", "ivan", _window, "starts_at", "2101-01-01T10:00", YEARS),
    (MaintenanceWindow, "/extra-mile/maintenance/new/", "ivan", "/api/v1/maintenance-windows/", "ivan", _window, "system", "SAP\x1bERP", CONTROL),
]
IDS = [f"{case[0].__name__}.{case[6]}={str(case[7])[:20]!r}" for case in CASES]


@pytest.mark.parametrize(("model", "page", "page_user", "endpoint", "api_user", "payload", "field", "value", "message"), CASES, ids=IDS)
def test_the_page_and_the_api_refuse_an_out_of_range_value_with_the_same_message(
    client, api, cast, model, page, page_user, endpoint, api_user, payload, field, value, message
):
    client.force_login(cast[page_user])
    form = {k: v for k, v in payload(cast, **{field: value}).items() if k != "committee"}  # in the page's URL
    answered = client.post(page.format(committee=cast["committee"].pk), form)
    assert answered.status_code in (200, 400)  # the form again, never a redirect or a 500
    assert message in answered.content.decode()
    assert not model.objects.exists()

    body = {k: v for k, v in payload(cast, **{field: value}).items() if v != ""}
    response = api(cast[api_user]).post(endpoint, body, format="json")
    assert response.status_code == 400, response.content
    assert message in response.json()["fields"][field]
    assert not model.objects.exists()


@pytest.mark.parametrize(
    ("payload", "endpoint", "field", "value"),
    [
        (_pain_point, "/api/v1/pain-points/", "people_affected", 10_000_000),
        (_pain_point, "/api/v1/pain-points/", "hours_lost_per_week", "168.0"),
        (_meeting, "/api/v1/meetings/", "starts_at", "1900-01-01T00:00"),
        (_meeting, "/api/v1/meetings/", "starts_at", "2100-12-31T23:59"),
    ],
)
def test_a_value_at_the_edge_of_its_range_is_kept(api, cast, payload, endpoint, field, value):
    poster = cast["chris"] if "meetings" in endpoint else cast["alice"]
    response = api(poster).post(endpoint, payload(cast, **{field: value}), format="json")
    assert response.status_code == 201, response.json()
