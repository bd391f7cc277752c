"""The initiatives API answers what its OpenAPI schema says: the decision record's blank
statuses (the first record has no previous status, a risk acceptance changes no status) are
part of the schema, so schemathesis' response check passes on create and on the detail."""

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from initiatives import planning, services
from partnership.services import api_token_create
from partnership.wsgi import application

from .factories import make_proposed

pytestmark = pytest.mark.django_db

CHECKS = [status_code_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: keep the test's connection (and its transaction) open
    across the WSGI requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema():
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def _headers(user):
    # identity: schemathesis' WSGI transport does not gunzip as an HTTP client does
    return {"Authorization": f"Token {api_token_create(user=user, name='schema test')[1]}", "Accept-Encoding": "identity"}


def test_the_schema_allows_a_blank_status_in_the_decision_record(api_schema):
    record = api_schema.raw_schema["components"]["schemas"]["DecisionRecord"]["properties"]
    for name in ("from_status", "to_status"):
        refs = {one["$ref"].rsplit("/", 1)[-1] for one in record[name]["oneOf"]}
        assert refs == {"InitiativeStatusEnum", "BlankEnum"}, name


def test_creating_an_initiative_answers_a_body_that_conforms_to_the_schema(api_schema, ivan, alice):
    operation = api_schema["/api/v1/initiatives/"]["POST"]
    case = operation.Case(
        body={
            "title": "Self-service reports",
            "problem": "Sales waits two days for a report.",
            "proposal": "A hosted BI tool.",
            "sponsor": alice.pk,
            "one_off_cost": "1000.00",
        },
        media_type="application/json",
    )
    response = case.call_and_validate(headers=_headers(ivan), checks=CHECKS)
    assert response.status_code == 201
    (first,) = response.json()["decision_record"]
    assert (first["kind"], first["from_status"], first["to_status"]) == ("created", "", "idea")


def test_the_detail_with_a_risk_acceptance_conforms_to_the_schema(api_schema, ivan, alice, carla):
    initiative = make_proposed(actor=ivan, sponsor=alice)
    planning.risk_add(initiative=initiative, actor=ivan, description="Vendor lock-in.", probability=4, impact=4)
    services.initiative_accept_risk(initiative=initiative, actor=carla, statement="Worth it.")
    operation = api_schema["/api/v1/initiatives/{id}/"]["GET"]
    case = operation.Case(path_parameters={"id": initiative.pk})
    response = case.call_and_validate(headers=_headers(carla), checks=CHECKS)
    kinds = [(r["kind"], r["from_status"], r["to_status"]) for r in response.json()["decision_record"]]
    assert kinds == [("created", "", "idea"), ("proposed", "idea", "proposed"), ("risk_accepted", "", "")]
