"""An extra-mile action's subject is shown to a reader only if they may see it (issue 17).

An action for Finance that followed a confidential Sales pain point: mallory (Finance) sees the
action, but not the pain point's title nor a link to it, on the ledger, the action's page and in
the API; alice (Sales, a recipient) and IT see both.
"""

import html

import pytest

from partnership.visibility import UNSEEN_TITLE

from .factories import log_action, make_pain_point, queries_of

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Sales bonus plan leaks to competitors"


@pytest.fixture
def secret_action(ivan, alice, mallory, finance):
    pain_point = make_pain_point(submitted_by=alice, title=SECRET_TITLE, confidential=True)
    action = log_action(
        actor=ivan, business_unit=finance, recipients=[mallory, alice], subject=pain_point,
        title="Explained the commission report to Finance",
    )
    return action, pain_point


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def test_a_reader_who_may_not_see_the_subject_sees_neither_its_title_nor_its_link(client, api, mallory, secret_action):
    action, pain_point = secret_action
    for url in ("/extra-mile/actions/", action.get_absolute_url()):
        page = _page(client, mallory, url)
        assert action.title in page, url  # the action itself is hers to see
        assert SECRET_TITLE not in page, url
        assert pain_point.get_absolute_url() not in page, url
        assert UNSEEN_TITLE in page, url
    for url in ("/api/v1/extra-mile-actions/", f"/api/v1/extra-mile-actions/{action.pk}/"):
        response = api(mallory).get(url)
        assert response.status_code == 200
        assert SECRET_TITLE not in response.content.decode() and pain_point.get_absolute_url() not in response.content.decode()
        row = response.json()["results"][0] if "results" in response.json() else response.json()
        assert (row["subject_title"], row["subject_url"]) == (UNSEEN_TITLE, None)


@pytest.mark.parametrize("reader", ["alice", "ivan"])
def test_a_reader_who_may_see_the_subject_sees_its_title_and_link(client, api, reader, request, secret_action):
    user = request.getfixturevalue(reader)
    action, pain_point = secret_action
    for url in ("/extra-mile/actions/", action.get_absolute_url()):
        page = _page(client, user, url)
        assert f'<a href="{pain_point.get_absolute_url()}">{SECRET_TITLE}</a>' in page, url
        assert UNSEEN_TITLE not in page, url
    row = api(user).get(f"/api/v1/extra-mile-actions/{action.pk}/").json()
    assert (row["subject_title"], row["subject_url"]) == (SECRET_TITLE, pain_point.get_absolute_url())
    listed = api(user).get("/api/v1/extra-mile-actions/").json()["results"]
    assert [(r["subject_title"], r["subject_url"]) for r in listed] == [(SECRET_TITLE, pain_point.get_absolute_url())]


def test_an_action_without_a_subject_names_none(api, ivan, mallory, finance):
    log_action(actor=ivan, business_unit=finance, recipients=[mallory], external_ref="JIRA-7")
    [row] = api(mallory).get("/api/v1/extra-mile-actions/").json()["results"]
    assert (row["subject_title"], row["subject_url"], row["external_ref"]) == (None, None, "JIRA-7")


def test_hiding_subjects_costs_the_same_queries_for_one_action_or_many(client, api, ivan, alice, mallory, finance, secret_action):
    _, pain_point = secret_action
    client.force_login(mallory)
    token = api(mallory)
    client.get("/extra-mile/actions/")
    token.get("/api/v1/extra-mile-actions/")
    page = queries_of(lambda: client.get("/extra-mile/actions/"))
    endpoint = queries_of(lambda: token.get("/api/v1/extra-mile-actions/"))
    visible = make_pain_point(submitted_by=mallory, title="Month-end close is slow")
    for i in range(12):
        log_action(
            actor=ivan, business_unit=finance, recipients=[mallory], subject=pain_point if i % 2 else visible, title=f"A{i}",
        )
    assert queries_of(lambda: client.get("/extra-mile/actions/")) == page
    assert queries_of(lambda: token.get("/api/v1/extra-mile-actions/")) == endpoint
