"""Confidentiality: a confidential pain point of Finance is invisible to the Sales manager in the
list, the detail, the search, the similar titles and the API (404, never 403); IT and the CIO
see it, and so does its submitter."""

import pytest

from listening import services

from .factories import make_pain_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(mallory):
    return make_pain_point(submitted_by=mallory, title="Payroll export leaks salaries", confidential=True)


@pytest.fixture
def public(mallory):
    return make_pain_point(submitted_by=mallory, title="Payroll export is slow")


def test_another_units_manager_does_not_see_a_confidential_pain_point(client, api, alice, secret, public):
    client.force_login(alice)
    listed = [p.pk for p in client.get("/listening/").context["page_obj"]]
    assert listed == [public.pk]
    assert [p.pk for p in client.get("/listening/?q=payroll").context["page_obj"]] == [public.pk]
    assert [r["id"] for r in client.get("/listening/similar/?q=payroll").json()["results"]] == [public.pk]
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.post(f"/listening/{secret.pk}/vote/").status_code == 404
    assert client.post(f"/listening/{secret.pk}/comment/", {"body": "x"}).status_code == 404

    rest = api(alice)
    assert [p["id"] for p in rest.get("/api/v1/pain-points/").json()["results"]] == [public.pk]
    assert [p["id"] for p in rest.get("/api/v1/pain-points/?q=payroll").json()["results"]] == [public.pk]
    assert [p["id"] for p in rest.get("/api/v1/pain-points/?search=payroll").json()["results"]] == [public.pk]
    assert rest.get(f"/api/v1/pain-points/{secret.pk}/").status_code == 404
    assert rest.post(f"/api/v1/pain-points/{secret.pk}/vote/").status_code == 404
    assert rest.get(f"/api/v1/pain-points/{secret.pk}/evaluation/").status_code == 404


def test_the_unit_it_staff_the_cio_and_the_submitter_see_it(client, api, mallory, ivan, carla, root, finance, alice, secret):
    colleague = type(mallory).objects.create_user("frank", password="x" * 12, business_unit=finance)
    for user in (mallory, colleague, ivan, carla, root):
        client.force_login(user)
        assert client.get(secret.get_absolute_url()).status_code == 200, user
        assert api(user).get(f"/api/v1/pain-points/{secret.pk}/").status_code == 200, user
    raised_for_finance = make_pain_point(submitted_by=alice, business_unit=finance, title="Alice's secret", confidential=True)
    client.force_login(alice)
    assert client.get(raised_for_finance.get_absolute_url()).status_code == 200


def test_non_confidential_pain_points_are_visible_to_every_signed_in_user(client, api, alice, tess, public):
    client.force_login(alice)
    assert client.get(public.get_absolute_url()).status_code == 200
    assert api(tess).get(f"/api/v1/pain-points/{public.pk}/").status_code == 200


def test_anonymous_visitors_see_nothing(client, public):
    assert client.get("/listening/")["Location"].startswith("/accounts/login/")
    assert client.get(public.get_absolute_url()).status_code == 302
    assert client.get("/listening/similar/?q=payroll").status_code == 302


def test_a_merge_target_hidden_from_the_user_is_not_linked(client, alice, ivan, sales, finance):
    target = make_pain_point(submitted_by=ivan, business_unit=finance, title="Hidden target")
    merged = make_pain_point(submitted_by=alice, business_unit=finance, title="Visible duplicate")
    services.pain_point_merge(pain_point=merged, target=target, actor=ivan)
    type(target).objects.filter(pk=target.pk).update(confidential=True)  # made confidential afterwards
    client.force_login(alice)
    page = client.get(merged.get_absolute_url()).content.decode()
    assert "It continues in another pain point." in page
    assert "Hidden target" not in page
    # Nor does the notice of the merge, told while the target was still public, name it now.
    assert alice.notifications.filter(kind="pain_point.merged").exists()
    assert "Hidden target" not in client.get("/inbox/").content.decode()
    assert "Hidden target" not in client.get("/api/v1/notifications/").content.decode()
