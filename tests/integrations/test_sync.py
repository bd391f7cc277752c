"""Incremental sync: cursor pagination (stable under inserts) and `updated_after` on every list."""

import datetime

import pytest
from django.utils import timezone

from listening.models import PainPoint

from ..listening.factories import make_pain_point
from ..security.routes import openapi_operations

pytestmark = pytest.mark.django_db


def walk(client, url):
    """The pages of a cursor walk, one at a time (the caller may write between them)."""
    while url:
        body = client.get(url).json()
        url = body["next"]
        yield body


def test_a_cursor_walk_skips_and_repeats_nothing_while_rows_are_inserted(api, alice):
    made = [make_pain_point(submitted_by=alice, title=f"Old {n}").pk for n in range(5)]
    client = api(alice)
    seen, inserted = [], []
    for number, page in enumerate(walk(client, "/api/v1/pain-points/?cursor=&page_size=2")):
        assert page["previous"] is None and page["count"] >= 5
        seen += [row["id"] for row in page["results"]]
        if number < 3:  # new tickets arrive while the client reads
            inserted += [make_pain_point(submitted_by=alice, title=f"New {number}.{n}").pk for n in range(2)]
    assert sorted(seen) == sorted(made + inserted)
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen)  # (updated_at, id): in the order they were written


def test_a_row_changed_during_a_walk_comes_again_with_its_change(api, alice, ivan):
    first, second, third = (make_pain_point(submitted_by=alice, title=f"P{n}") for n in range(3))
    client = api(alice)
    page = client.get("/api/v1/pain-points/?cursor=&page_size=2").json()
    assert [r["id"] for r in page["results"]] == [first.pk, second.pk]
    api(ivan).patch(f"/api/v1/pain-points/{first.pk}/", {"title": "P0 renamed"}, format="json")
    rest = client.get(page["next"]).json()
    assert [(r["id"], r["title"]) for r in rest["results"]] == [(third.pk, "P2"), (first.pk, "P0 renamed")]
    assert rest["next"] is None


def test_a_bad_cursor_or_a_cursor_with_page_or_ordering_answers_400_naming_the_parameter(api, alice):
    make_pain_point(submitted_by=alice)
    client = api(alice)
    for bad in ("nonsense", "W10", "WyJ4IiwxXQ", "WzFd"):  # not base64 JSON, [], ["x", 1], [1]
        response = client.get(f"/api/v1/pain-points/?cursor={bad}")
        assert response.status_code == 400, bad
        assert list(response.json()["fields"]) == ["cursor"]
    assert list(client.get("/api/v1/pain-points/?cursor=&ordering=severity").json()["fields"]) == ["ordering"]
    assert list(client.get("/api/v1/pain-points/?cursor=&page=2").json()["fields"]) == ["page"]


def test_updated_after_lists_only_what_changed_since(api, alice):
    old, recent = make_pain_point(submitted_by=alice, title="Old"), make_pain_point(submitted_by=alice, title="Recent")
    PainPoint.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    client = api(alice)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    body = client.get("/api/v1/pain-points/", {"updated_after": since}).json()
    assert [r["id"] for r in body["results"]] == [recent.pk]
    naive = (timezone.localtime() - datetime.timedelta(days=4)).replace(tzinfo=None).isoformat()
    assert client.get("/api/v1/pain-points/", {"updated_after": naive}).json()["count"] == 2
    both = client.get("/api/v1/pain-points/", {"updated_after": since, "cursor": ""}).json()
    assert [r["id"] for r in both["results"]] == [recent.pk]
    for bad in ("yesterday", "2025-13-01T00:00:00Z", "1 March"):
        response = client.get("/api/v1/pain-points/", {"updated_after": bad})
        assert response.status_code == 400 and list(response.json()["fields"]) == ["updated_after"], bad


def _lists(schema_paths):
    return sorted(path for method, path in schema_paths if method == "GET" and "{" not in path)


def test_every_list_has_a_cursor_mode_and_validates_updated_after_where_it_is_offered(api, carla, alice):
    from drf_spectacular.generators import SchemaGenerator

    make_pain_point(submitted_by=alice)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    client = api(carla)
    checked = 0
    for path in _lists(openapi_operations()):
        parameters = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
        if "cursor" not in parameters:
            assert "page" not in parameters, path  # every paginated list offers both
            continue
        checked += 1
        body = client.get(f"{path}?cursor=&page_size=1").json()
        assert {"count", "next", "previous", "results"} <= set(body), path
        if body["count"] > 1:
            assert client.get(body["next"]).status_code == 200, path
        if "updated_after" in parameters:
            response = client.get(f"{path}?updated_after=soon")
            assert response.status_code == 400 and "updated_after" in response.json()["fields"], path
    assert checked >= 15
    for path in ("/api/v1/pain-points/", "/api/v1/initiatives/", "/api/v1/revenue-projects/", "/api/v1/decisions/"):
        assert "updated_after" in {p["name"] for p in schema["paths"][path]["get"]["parameters"]}, path


def test_fields_leaves_out_what_a_list_or_detail_does_not_name(api, alice):
    pain_point = make_pain_point(submitted_by=alice)
    client = api(alice)
    listed = client.get("/api/v1/pain-points/?fields=id,title,updated_at").json()["results"]
    assert listed == [{"id": pain_point.pk, "title": pain_point.title, "updated_at": listed[0]["updated_at"]}]
    full = client.get(f"/api/v1/pain-points/{pain_point.pk}/").json()
    assert "description" in full and "status_history" in full
    detail = client.get(f"/api/v1/pain-points/{pain_point.pk}/?fields=status,id").json()
    assert detail == {"id": pain_point.pk, "status": full["status"]}
    cursor = client.get("/api/v1/pain-points/?cursor=&fields=id").json()
    assert cursor["results"] == [{"id": pain_point.pk}]


def test_an_unknown_or_empty_fields_list_answers_400_naming_it(api, alice):
    pain_point = make_pain_point(submitted_by=alice)
    client = api(alice)
    response = client.get(f"/api/v1/pain-points/{pain_point.pk}/?fields=id,secret_sauce")
    assert response.status_code == 400
    assert "secret_sauce" in response.json()["fields"]["fields"][0]
    assert client.get("/api/v1/pain-points/?fields=,").status_code == 400


def test_the_schema_offers_fields_on_lists_and_details():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/pain-points/", "/api/v1/pain-points/{id}/", "/api/v1/decisions/{id}/"):
        assert "fields" in {p["name"] for p in paths[path]["get"]["parameters"]}, path
    assert "fields" not in {p["name"] for p in paths["/api/v1/pain-points/{id}/"]["patch"].get("parameters", [])}
