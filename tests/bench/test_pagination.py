"""API pagination at scale: an exact COUNT below the threshold, PostgreSQL's estimate above it,
with the documented response shape and every page reachable."""

import pytest
from django.db import connection

from partnership.api.pagination import ESTIMATE_HEADER, count_or_estimate
from partnership.models import BusinessUnit
from partnership.notifications.models import Notification
from tests.factories import BusinessUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_large_tables():
    from partnership.api import pagination

    pagination._LARGE_TABLES.clear()
    yield
    pagination._LARGE_TABLES.clear()


def _analyze(table):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")  # counts this transaction's own rows


def test_below_the_threshold_the_count_is_exact(db):
    BusinessUnitFactory.create_batch(7)
    _analyze("partnership_businessunit")
    assert count_or_estimate(BusinessUnit.objects.all(), threshold=1000) == (BusinessUnit.objects.count(), False)


def test_above_the_threshold_the_count_is_the_planners_estimate(db):
    BusinessUnitFactory.create_batch(40)
    _analyze("partnership_businessunit")
    count, estimated = count_or_estimate(BusinessUnit.objects.all(), threshold=10)
    assert estimated
    assert count >= 10


def test_a_filter_estimated_under_the_threshold_is_counted_exactly(db):
    BusinessUnitFactory.create_batch(40)
    _analyze("partnership_businessunit")
    one = BusinessUnit.objects.order_by("pk").first()
    assert count_or_estimate(BusinessUnit.objects.filter(slug=one.slug), threshold=10) == (1, False)


def test_an_empty_queryset_counts_zero_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert count_or_estimate(BusinessUnit.objects.none(), threshold=10) == (0, False)


def _notifications(user, n):
    Notification.objects.bulk_create([Notification(recipient=user, kind="test", title=f"n{i}") for i in range(n)])
    _analyze("partnership_notification")


def test_an_estimated_list_keeps_its_shape_and_reaches_every_page(settings, api, alice):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 5
    _notifications(alice, 30)
    client = api(alice)
    seen, url, pages = [], "/api/v1/notifications/?page_size=10", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers[ESTIMATE_HEADER] == "true"
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert len(set(seen)) == 30
    assert body["count"] == 30  # the last page knows the exact number


def test_below_the_threshold_the_list_is_counted_exactly_in_one_query(settings, api, alice):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 1000
    _notifications(alice, 30)
    client = api(alice)
    client.get("/api/v1/notifications/?page_size=10")
    response = client.get("/api/v1/notifications/?page_size=10&page=2")
    assert ESTIMATE_HEADER not in response.headers
    assert response.json()["count"] == 30
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get("/api/v1/notifications/?page_size=10")
    assert sum("COUNT(*)" in sql for sql in statements) == 1
    assert not any(sql.startswith("EXPLAIN") for sql in statements)


def test_a_page_past_the_end_is_404_with_an_estimate(settings, api, alice):
    settings.API_COUNT_ESTIMATE_THRESHOLD = 5
    _notifications(alice, 12)
    response = api(alice).get("/api/v1/notifications/?page_size=10&page=9")
    assert response.status_code == 404


def test_a_table_found_large_goes_straight_to_the_estimate_and_a_small_filter_is_still_exact(db):
    BusinessUnitFactory.create_batch(40)
    _analyze("partnership_businessunit")
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert count_or_estimate(BusinessUnit.objects.all(), threshold=10)[1]
        first = len(statements)
        assert count_or_estimate(BusinessUnit.objects.all(), threshold=10)[1]
    assert first == 2 and len(statements) == 3  # reltuples + EXPLAIN, then the EXPLAIN alone
    assert statements[-1].startswith("EXPLAIN")
    one = BusinessUnit.objects.order_by("pk").first()
    assert count_or_estimate(BusinessUnit.objects.filter(slug=one.slug), threshold=10) == (1, False)
