"""Every page asks for a signed-in user (LoginRequiredMiddleware) but the few that must not."""

import re

import pytest
from django.urls import URLResolver, get_resolver

PUBLIC = {
    "/accounts/login/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/1/1/",
    "/accounts/reset/done/",
    "/healthz",
}


def page_urls(patterns=None, prefix=""):
    """Every page route of the portal with its parameters filled in (the API and admin apart)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("api/", "admin/")):
            continue
        if isinstance(pattern, URLResolver):
            yield from page_urls(pattern.url_patterns, route)
        else:
            yield "/" + re.sub(r"<(?:int:)?\w+>", "1", re.sub(r"<(?:slug|str):\w+>", "x", route))


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login_page_from_every_page_but_the_public_ones(client):
    urls = sorted(set(page_urls()))
    assert len(urls) > 80  # the walk found the pages of every app
    let_in = []
    for url in urls:
        response = client.get(url)
        sent_to_login = response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
        if not sent_to_login:
            let_in.append(url)
    assert sorted(let_in) == sorted(PUBLIC)


@pytest.mark.django_db
def test_the_api_answers_an_anonymous_client_itself_instead_of_redirecting(client):
    response = client.get("/api/v1/pain-points/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
