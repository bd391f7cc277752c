"""The API's filter backend builds its form from the filters a request names only: the same
answers as with every filter, refusals included, and the schema still documents them all."""

import pytest

from listening.api.filters import PainPointFilter
from partnership.api.filtering import GivenFiltersBackend

from ..listening.factories import make_pain_point

pytestmark = pytest.mark.django_db


def test_a_named_filter_still_filters_and_refuses_bad_values(api, alice, mallory, ivan, sales):
    make_pain_point(submitted_by=alice, title="Sales one", severity=5)
    make_pain_point(submitted_by=mallory, title="Finance one", severity=1)
    client = api(ivan)
    assert [r["title"] for r in client.get(f"/api/v1/pain-points/?business_unit={sales.pk}").json()["results"]] == ["Sales one"]
    assert client.get("/api/v1/pain-points/?severity_min=4&open=true").json()["count"] == 1
    assert client.get("/api/v1/pain-points/?submitted_after=2000-01-01").json()["count"] == 2
    refused = client.get("/api/v1/pain-points/?business_unit=999999&severity_min=x")
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"business_unit", "severity_min"}
    assert client.get("/api/v1/pain-points/?nonsense=1").json()["count"] == 2


def test_the_form_holds_only_the_named_filters_and_the_schema_all(rf, ivan):
    from rest_framework.request import Request

    request = Request(rf.get("/api/v1/pain-points/", {"status": "new", "submitted_after": "2020-01-01"}))
    request.user = ivan

    class View:
        filterset_class = PainPointFilter

    View.request = request
    from listening.models import PainPoint

    filterset = GivenFiltersBackend().get_filterset(request, PainPoint.objects.all(), View())
    assert set(filterset.filters) == {"status", "submitted_after"}
    assert set(GivenFiltersBackend().get_filterset_class(View(), PainPoint.objects.all()).base_filters) == set(
        PainPointFilter.base_filters
    )


def test_the_openapi_schema_documents_every_filter(api, ivan):
    schema = api(ivan).get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/pain-points/"]["get"]["parameters"]}
    assert set(PainPointFilter.base_filters) <= parameters
