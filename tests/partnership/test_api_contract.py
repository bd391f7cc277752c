"""The API's HTTP contract (issue 18, "The schema is the truth"): every answer under /api/ is JSON
with one error shape carrying machine-readable codes, OPTIONS answers on every route, invalid
query values answer 400 naming the parameter, and a write without the trailing slash is refused
instead of being redirected and lost."""

import re

import pytest

from listening.models import PainPoint
from listening.services import pain_point_create
from tests.security.routes import openapi_operations

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/nope/", "/api/v1/pain-points/0.5/", "/api/v1/pain-points.json", "/api/v1/pain-points/.json", "/api/nope"]
)
def test_an_unknown_api_address_answers_a_json_404(api, carla, path):
    response = api(carla).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_unknown_address_outside_the_api_still_answers_the_html_page(client, alice):
    client.force_login(alice)
    response = client.get("/listening/nope/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_endpoint_does_not_take_answers_a_json_405_with_its_code(api, carla):
    response = api(carla).put("/api/v1/pain-points/", {}, format="json")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.', "code": "method_not_allowed"}


def test_errors_carry_a_code_beside_the_message(api, alice):
    assert api().get("/api/v1/me/").json()["code"] == "not_authenticated"
    assert api(alice).get("/api/v1/pain-points/999999/").json() == {"detail": "Not found.", "code": "not_found"}


def test_a_validation_error_gives_each_field_its_messages_and_their_codes(api, alice):
    response = api(alice).post("/api/v1/pain-points/", {"severity": 9}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["title"] == ["This field is required."]
    assert body["codes"]["title"] == ["required"]
    assert set(body["codes"]) == set(body["fields"])
    assert all(len(body["codes"][name]) == len(messages) for name, messages in body["fields"].items())


def test_malformed_json_answers_400_with_the_parse_error_code(api, alice):
    response = api(alice).generic("POST", "/api/v1/pain-points/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["codes"] == {"non_field_errors": ["parse_error"]}


def test_a_post_without_the_trailing_slash_is_refused_not_redirected(api, alice):
    response = api(alice).post("/api/v1/pain-points", {"title": "Slow CRM", "description": "Slow."}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "trailing_slash_missing"
    assert "/api/v1/pain-points/" in response.json()["detail"]
    assert not PainPoint.objects.exists()


def test_a_get_without_the_trailing_slash_is_still_redirected(api, alice):
    response = api(alice).get("/api/v1/pain-points")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/pain-points/"


def _concrete(path: str, pk: int) -> str:
    return re.sub(r"\{[^}]+\}", str(pk), path)


def test_options_answers_on_every_route_of_the_api(api, carla, alice):
    point = pain_point_create(submitted_by=alice, business_unit=alice.business_unit, title="Slow", description="Slow.")
    client = api(carla)
    paths = sorted({path for _, path in openapi_operations()})
    assert len(paths) > 30
    failures = []
    for path in paths:
        for pk in (point.pk, 999999):
            response = client.options(_concrete(path, pk))
            if response.status_code >= 500 or response["Content-Type"] != "application/json":
                failures.append(f"{path} ({pk}): {response.status_code} {response['Content-Type']}")
    assert not failures


def test_options_describes_what_a_list_takes(api, alice):
    body = api(alice).options("/api/v1/pain-points/").json()
    assert body["name"]
    assert "POST" in body["actions"]
    assert body["parses"] == ["application/json"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("ordering=zzz", "ordering"),
        ("ordering=-created_at,nope", "ordering"),
        ("page_size=0", "page_size"),
        ("page_size=-3", "page_size"),
        ("page_size=ten", "page_size"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("open=maybe", "open"),
        ("confidential=yes", "confidential"),
        ("status=nope", "status"),
        ("submitted_after=yesterday", "submitted_after"),
    ],
)
def test_an_invalid_query_value_answers_400_naming_the_parameter(api, alice, query, parameter):
    response = api(alice).get(f"/api/v1/pain-points/?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["fields"]) == [parameter]
    assert body["detail"].startswith(f"{parameter}: ")
    assert body["codes"][parameter]


def test_valid_query_values_still_work(api, alice):
    pain_point_create(submitted_by=alice, business_unit=alice.business_unit, title="Slow", description="Slow.")
    client = api(alice)
    for query in ("ordering=-created_at", "page_size=1", "page_size=500", "page=1", "page=last", "open=true", "open="):
        assert client.get(f"/api/v1/pain-points/?{query}").status_code == 200, query
    assert client.get("/api/v1/pain-points/?open=false").json()["count"] == 0


def test_the_ordering_error_lists_the_fields_a_list_can_be_ordered_by(api, alice):
    detail = api(alice).get("/api/v1/business-units/?ordering=secret").json()["detail"]
    assert detail == "ordering: Cannot order by secret; choose from name, id (prefix - for descending)."


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method.upper(), path, operation


def test_the_schema_documents_throttling_everywhere_and_body_limits_on_writes(schema):
    for method, path, operation in _operations(schema):
        responses = operation["responses"]
        assert "429" in responses, (method, path)
        assert responses["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        if method == "DELETE":
            assert "400" in responses, path  # a rule may refuse a deletion (a past event stays on record)
        if method in ("POST", "PUT", "PATCH"):
            assert {"413", "415"} <= set(responses), (method, path)


def test_writes_advertise_only_json_bodies(schema):
    bodies = {(m, p): set(o["requestBody"]["content"]) for m, p, o in _operations(schema) if "requestBody" in o}
    assert bodies
    assert {key: types for key, types in bodies.items() if types != {"application/json"}} == {}


def test_a_form_body_is_refused_with_415(api, alice):
    response = api(alice).post("/api/v1/pain-points/", {"title": "Slow", "description": "Slow."}, format="multipart")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_the_error_component_carries_the_codes(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "code", "fields", "codes"}
    assert set(error["required"]) == {"detail", "code"}


def test_the_first_status_row_may_have_a_blank_from_status(schema):
    for component, field in (("PainPointStatusChange", "from_status"), ("RevenueStageChange", "from_stage")):
        options = schema["components"]["schemas"][component]["properties"][field]["oneOf"]
        assert {"$ref": "#/components/schemas/BlankEnum"} in options, component


def test_a_required_workflow_input_is_required_in_the_schema(schema):
    for component in ("PainPointDeclineRequest", "ReasonRequest"):
        body = schema["components"]["schemas"][component]
        assert body["required"] == ["reason"]
        assert body["properties"]["reason"]["minLength"] == 1


def test_declining_without_a_reason_answers_the_workflows_message(api, alice, ivan):
    point = pain_point_create(submitted_by=alice, business_unit=alice.business_unit, title="Slow", description="Slow.")
    client = api(ivan)
    for body in ({}, {"reason": "  "}):
        response = client.post(f"/api/v1/pain-points/{point.pk}/decline/", body, format="json")
        assert response.status_code == 400
        assert response.json()["fields"] == {"reason": ["Say why the pain point is declined: the submitter will read it."]}


def test_no_internal_docstring_is_a_public_description(schema):
    text = str(schema)
    assert "Mixin for" not in text
    assert "for the schema" not in text
