"""API answers are gzipped when the client accepts it (JSON only, never a page with a CSRF token
nor a secret shown once), and reads carry an ETag answered 304 by If-None-Match."""

import gzip
import json

import pytest

from ..listening.factories import make_pain_point

pytestmark = pytest.mark.django_db


def test_a_list_is_gzipped_for_a_client_that_accepts_it_and_plain_otherwise(api, alice):
    for n in range(5):
        make_pain_point(submitted_by=alice, title=f"Pain {n}")
    client = api(alice)
    plain = client.get("/api/v1/pain-points/")
    assert "Content-Encoding" not in plain
    packed = client.get("/api/v1/pain-points/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content) / 2


def test_pages_with_a_csrf_token_and_a_new_token_key_are_never_compressed(client, api, alice):
    client.force_login(alice)
    page = client.get("/listening/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200 and "Content-Encoding" not in page
    login = client.get("/api/docs/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in login
    created = api(alice).post("/api/v1/tokens/", {"name": "sync"}, format="json", HTTP_ACCEPT_ENCODING="gzip")
    assert created.status_code == 201 and "Content-Encoding" not in created and "key" in created.json()


def test_a_list_and_a_detail_answer_304_to_their_etag_until_they_change(api, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    client = api(alice)
    for url in ("/api/v1/pain-points/", f"/api/v1/pain-points/{pain_point.pk}/"):
        first = client.get(url)
        etag = first["ETag"]
        assert etag.startswith('"') and "Authorization" in first["Vary"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
        gzipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")  # the gzip layer weakens it
        assert client.get(url, HTTP_IF_NONE_MATCH=gzipped["ETag"]).status_code == 304
    detail = f"/api/v1/pain-points/{pain_point.pk}/"
    etag = client.get(detail)["ETag"]
    api(ivan).patch(detail, {"title": "Invoices are typed three times"}, format="json")
    changed = client.get(detail, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["title"] == "Invoices are typed three times"
    assert changed["ETag"] != etag


def test_another_user_with_the_same_etag_gets_their_own_answer(api, alice, mallory):
    pain_point = make_pain_point(submitted_by=alice)
    url = f"/api/v1/pain-points/{pain_point.pk}/"
    mine = api(alice).get(url)
    theirs = api(mallory).get(url, HTTP_IF_NONE_MATCH=mine["ETag"])  # what each may do differs
    assert theirs.status_code == 200 and theirs.json() != mine.json() and theirs["ETag"] != mine["ETag"]
