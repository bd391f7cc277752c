"""Pagination of every list endpoint.

The response keeps its documented shape (`count`, `next`, `previous`, `results`), but a COUNT(*)
over a million rows on every page would cost more than the page itself. So on PostgreSQL:

- one query decides: when the list's table holds fewer rows than
  `API_COUNT_ESTIMATE_THRESHOLD` (pg_class.reltuples), it returns the exact COUNT(*) in the same
  round trip (small tables, and every test, keep exactly one count query);
- above it, the planner's estimate of the filtered query (EXPLAIN) is used; an estimate under
  the threshold is replaced by the exact count. A table found large is remembered for five
  minutes per process, so its pages go straight to the EXPLAIN. An estimated count is marked with the response
  header `X-Total-Count-Estimated: true`;
- with an estimate, `next` is decided by fetching one row more than the page (never by the
  estimate), every page stays reachable, and the last page sets `count` exactly.
Other databases (SQLite for `make run`) count as usual.
"""

import json
import time

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

ESTIMATE_HEADER = "X-Total-Count-Estimated"
# A table found large is taken as large for this long without asking again (one query less per
# page); should it shrink meanwhile, the estimate is under the threshold and the count exact.
LARGE_TABLE_MEMO_SECONDS = 300
_LARGE_TABLES: dict[tuple, float] = {}


def _count_sql(queryset: QuerySet):
    """(sql, params) of the rows `queryset` lists, without ordering, for counting them."""
    inner = queryset.order_by()
    if not inner.query.group_by and not inner.query.distinct:
        inner = inner.values("pk")  # annotations not used by a filter are not computed
    compiler = inner.query.get_compiler(using=queryset.db)
    return compiler.as_sql()


def count_or_estimate(queryset, threshold: int) -> tuple[int, bool]:
    """(count, estimated): exact below `threshold` rows, PostgreSQL's estimate above it."""
    if not isinstance(queryset, QuerySet) or connections[queryset.db].vendor != "postgresql":
        return (queryset.count() if isinstance(queryset, QuerySet) else len(queryset)), False
    if queryset.query.is_empty():
        return 0, False
    try:
        sql, params = _count_sql(queryset)
    except EmptyResultSet:  # a filter no row can match, e.g. an integer past bigint
        return 0, False
    table = queryset.model._meta.db_table
    large = (queryset.db, table, threshold)
    with connections[queryset.db].cursor() as cursor:
        if _LARGE_TABLES.get(large, 0) < time.monotonic():
            # The COUNT(*) is an init plan evaluated only when its CASE branch is taken.
            cursor.execute(
                "SELECT CASE WHEN (SELECT c.reltuples FROM pg_class c WHERE c.oid = %s::regclass) < %s "
                f"THEN (SELECT COUNT(*) FROM ({sql}) AS listed) END",
                [connections[queryset.db].ops.quote_name(table), threshold, *params],
            )
            exact = cursor.fetchone()[0]
            if exact is not None:
                return exact, False
            _LARGE_TABLES[large] = time.monotonic() + LARGE_TABLE_MEMO_SECONDS
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        if estimate >= threshold:
            return estimate, True
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS listed", params)
        return cursor.fetchone()[0], False


class EstimatedPage(Page):
    def __init__(self, object_list, number, paginator, has_more):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self):
        return self._has_more


class EstimatingPaginator(Paginator):
    """Django's paginator with `count_or_estimate`; with an estimate, pages end where rows end."""

    threshold = 10_000
    estimated = False

    @cached_property
    def count(self):
        count, self.estimated = count_or_estimate(self.object_list, self.threshold)
        return count

    def validate_number(self, number):
        if not (self.count and self.estimated):
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        has_more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        self.count = max(self.count, bottom + len(rows) + 1) if has_more else bottom + len(rows)
        return EstimatedPage(rows, number, self, has_more)


class PortalPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def django_paginator_class(self, object_list, per_page, *args, **kwargs):
        paginator = EstimatingPaginator(object_list, per_page, *args, **kwargs)
        paginator.threshold = settings.API_COUNT_ESTIMATE_THRESHOLD
        return paginator

    def get_page_size(self, request):
        """`page_size` is a whole number from 1 (anything else answers 400); above
        `max_page_size` it is cut to it."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            return min(_positive_number(self.page_size_query_param, raw), self.max_page_size)
        return self.page_size

    def get_page_number(self, request, paginator):
        """`page` is a whole number from 1, or `last` (anything else answers 400); a page past the
        end answers 404."""
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        return _positive_number(self.page_query_param, raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Number of results to return per page (at most {self.max_page_size})."
        return parameters

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if getattr(self.page.paginator, "estimated", False):
            response[ESTIMATE_HEADER] = "true"
        return response


def _positive_number(name: str, raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        message = exceptions.ErrorDetail("Must be a whole number from 1.", code="invalid")
        raise exceptions.ValidationError({name: [message]})
    return number
