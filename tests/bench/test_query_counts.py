"""Every list page and list endpoint costs the same number of queries with about ten rows of
each kind as with about a thousand (issue "Performance at scale"): no query per row.

The demo company (`seed_demo`) is measured once as it is (tens of rows of each list), then
grown with `--scale 8` where every bulk kind is made as numerous as the pain points (about
1,050 pain points, people, votes, sessions, reminders, initiatives, extra-mile actions,
check-ins, revenue projects, events, meetings and decisions), and measured again.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnership import demo
from partnership.models import User
from partnership.score import rollup

from ..security.routes import API_PREFIX, openapi_operations, url_patterns

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Pages without parameters that are not lists of rows, or not a GET at all.
NOT_LISTS = {
    "healthz",  # a probe
    "accounts/logout/",  # POST only
    "accounts/tokens/",  # POST only (the tokens are listed on the profile page)
    "inbox/read-all/",  # POST only
}


def _list_pages():
    return sorted(
        route for route, _ in url_patterns()
        if "<" not in route and "(?P" not in route and not route.startswith(("admin/", API_PREFIX))
        and route not in NOT_LISTS
    )


def _list_endpoints():
    return sorted(path for method, path in openapi_operations() if method == "GET" and "{" not in path)


def _counts(clients, urls):
    counts = {}
    for who, client in clients.items():
        for url in urls:
            client.get(url)  # warm: first token use, content types, the roles of the request
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            counts[who, url] = (response.status_code, len(captured))
    return counts


def test_every_list_page_and_endpoint_costs_the_same_queries_with_10_or_1000_rows(monkeypatch, api):
    call_command("seed_demo", verbosity=0)
    rollup.score_rollup_clear()
    people = {name: User.objects.get(username=name) for name in ("carla", "alice")}
    pages = {}
    for name, user in people.items():
        pages[name] = Client()
        pages[name].force_login(user)
    tokens = {name: api(user) for name, user in people.items()}
    page_urls = ["/" + route for route in _list_pages()]
    api_urls = _list_endpoints()
    assert len(page_urls) > 15 and len(api_urls) > 20, "the walk found the site's lists"

    small = {**_counts(pages, page_urls), **_counts(tokens, api_urls)}
    refused = {url for url in page_urls + api_urls if all(small[who, url][0] >= 400 for who in people)}
    assert not refused, f"lists no one of the CIO and a business manager may read: {refused}"

    monkeypatch.setattr(demo, "PER_MILLION_PAIN_POINTS", dict.fromkeys(demo.PER_MILLION_PAIN_POINTS, 1_000_000))
    call_command("seed_demo", scale=8, verbosity=0)
    from listening.models import PainPoint

    assert PainPoint.objects.count() > 1_000
    large = {**_counts(pages, page_urls), **_counts(tokens, api_urls)}

    changed = {key: (small[key], large[key]) for key in small if small[key] != large[key]}
    assert not changed, f"(status, queries) that changed from 10 rows to 1,000 rows: {changed}"
