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

Cursor mode, beside the page numbers: `?cursor=` (empty for the first page) walks a list in the
order of `(updated_at, id)` (`id` for a model without an updated time) and `next` carries an
opaque cursor, the last row's key. Rows are found by that key (`WHERE (updated_at, id) > ...`),
not by an offset, so rows inserted during a walk are neither skipped nor seen twice: they come
after every row the walk has read, on a later page. A row changed during the walk moves to the end
and is seen again with its new content. The walk goes forward only (`previous` is null); `count`
is the whole filtered list's, as with pages. Used with `updated_after` it is the sync recipe of
docs/integration.md.
"""

import base64
import binascii
import json
import time

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from rest_framework import exceptions
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

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


def cursor_key_fields(model) -> tuple[str, ...]:
    """The order a cursor walks: by updated time then id, or by id alone."""
    names = {f.name for f in model._meta.concrete_fields}
    return ("updated_at", "pk") if "updated_at" in names else ("pk",)


def encode_cursor(values) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _invalid_cursor():
    return ValidationError({"cursor": ["Invalid cursor: give the `next` link of a previous page, or an empty cursor to start."]})


def decode_cursor(text: str, fields: tuple[str, ...]) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _invalid_cursor() from None
    if not isinstance(values, list) or len(values) != len(fields):
        raise _invalid_cursor()
    decoded = []
    for field, value in zip(fields, values, strict=True):
        if field == "pk":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
                raise _invalid_cursor()
        else:
            value = parse_datetime(value) if isinstance(value, str) else None
            if value is None or value.tzinfo is None:
                raise _invalid_cursor()
        decoded.append(value)
    return decoded


def after_key(fields: tuple[str, ...], values: list) -> Q:
    """Rows strictly after `values` in the order of `fields` (a keyset condition)."""
    condition = Q(**{f"{fields[-1]}__gt": values[-1]})
    for index in range(len(fields) - 2, -1, -1):
        condition = Q(**{f"{fields[index]}__gt": values[index]}) | (Q(**{fields[index]: values[index]}) & condition)
    return condition


class PortalPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"
    cursor_mode = False

    def paginate_queryset(self, queryset, request, view=None):
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        for other in (self.page_query_param, "ordering"):
            if other in request.query_params:
                raise ValidationError({other: [f"`{other}` cannot be combined with `cursor`: a cursor walks by (updated_at, id)."]})
        self.cursor_mode, self.request = True, request
        page_size = self.get_page_size(request)
        fields = cursor_key_fields(queryset.model)
        self.count, self.estimated = count_or_estimate(queryset, settings.API_COUNT_ESTIMATE_THRESHOLD)
        queryset = queryset.order_by(*fields)
        given = request.query_params[self.cursor_query_param]
        if given:
            queryset = queryset.filter(after_key(fields, decode_cursor(given, fields)))
        rows = list(queryset[: page_size + 1])
        self.next_cursor = None
        if len(rows) > page_size:
            rows = rows[:page_size]
            self.next_cursor = encode_cursor([getattr(rows[-1], f) for f in fields])
        return rows

    def get_next_link(self):
        if not self.cursor_mode:
            return super().get_next_link()
        if self.next_cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Number of results to return per page (at most {self.max_page_size})."
        return [
            *parameters,
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Cursor mode: empty for the first page, then the cursor of the `next` link. Walks by "
                "(updated_at, id), forward only; rows inserted meanwhile are never skipped nor repeated. "
                "Not with `page` or `ordering`.",
                "schema": {"type": "string"},
            },
        ]

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

    def get_paginated_response(self, data):
        if self.cursor_mode:
            response = Response({"count": self.count, "next": self.get_next_link(), "previous": None, "results": data})
            if self.estimated:
                response[ESTIMATE_HEADER] = "true"
            return response
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
