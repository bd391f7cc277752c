"""The reminder-kind registry.

Each pillar app registers its own kinds from its `reminders.py` (imported in its
`AppConfig.ready`), so this package never imports a pillar app's models. A kind says:

- which model its target is (`target_model`, e.g. "listening.PainPoint");
- who is due for what, now: `due(now)` returns the due rows, dicts with the keys
  `recipient_id`, `target_id` and `period`, as one of:
  - a values queryset (`.values(recipient_id=..., target_id=..., period=...)`), ideally one
    indexed query;
  - `to_each(recipient_ids, rows)`, a `FanOut`: every person of a flat values_list query of user
    ids, for every row of a values queryset with `target_id` and `period` (a group such as the
    IT triage group, reminded of each due target);
  - `union(part, ...)`, a `DueUnion` of such querysets and fan-outs (e.g. "the recorder if they
    are still in IT, else the IT staff group": a queryset plus a fan-out over the other targets);
  - any other iterable of such dicts (a list...): supported for kinds written elsewhere, but
    each row then becomes a Python object, inserted in bounded batches.
  The sweep does not read the first three in Python: it embeds their SQL in ONE
  `INSERT INTO <ledger> ... SELECT ... ON CONFLICT DO NOTHING` per kind, run by the database
  (PostgreSQL or SQLite), so neither its number of queries nor its memory grows with the
  number of due rows. A row without recipient is skipped, `target_id` is stored as text and
  `period` cut to 40 characters; a row already in the ledger (same recipient, kind, target,
  period) is ignored, which is what makes a reminder go out once per period. All three are also
  iterable, yielding the same dicts (tests and benchmarks read them so), and `len()` works on a
  fan-out and a union;
- what the reminder says: `message(target, reminder)` returns a `Message` (title, body, url).
  It is called per delivered row on targets loaded in bulk, so it must not query the database
  (name the relations it needs in `select_related`).
"""

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Cast, Concat
from django.db.models.query import FlatValuesListIterable, QuerySet, ValuesIterable
from django.utils import timezone

from .choices import DeliveryChannel

DueRows = Iterable[Mapping]
DUE_KEYS = ("recipient_id", "target_id", "period")


@dataclass(frozen=True)
class Message:
    """What a reminder says: the inbox title, a longer text and the path of its object."""

    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: str
    target_model: str | type[models.Model]
    due: Callable[[datetime.datetime], DueRows]
    message: Callable[[models.Model, object], Message]
    description: str = ""
    default_channel: str = DeliveryChannel.EMAIL
    select_related: tuple[str, ...] = ()
    # Optional re-check at delivery time: (now, [target ids]) -> the ids still due, in one query.
    # Rows whose target is no longer due (acknowledged meanwhile...) are cancelled, not sent.
    still_due: Callable[[datetime.datetime, list[str]], set] | None = field(default=None, compare=False)

    @property
    def model(self) -> type[models.Model]:
        if isinstance(self.target_model, str):
            return apps.get_model(self.target_model)
        return self.target_model


_REGISTRY: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    """Register (or replace, on reload) a reminder kind under its key."""
    if len(kind.key) > 60:
        raise ValueError(f"Reminder kind key {kind.key!r} is longer than 60 characters")
    if kind.default_channel not in DeliveryChannel.values:
        raise ValueError(f"Unknown default channel {kind.default_channel!r} for {kind.key!r}")
    _REGISTRY[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def registered_kinds() -> list[ReminderKind]:
    return sorted(_REGISTRY.values(), key=lambda k: k.key)


def get_kind(key: str) -> ReminderKind | None:
    return _REGISTRY.get(key)


# --- Periods: which occurrence of a reminder a row stands for, as a short string ----------------


def period_day(now: datetime.datetime) -> str:
    """One reminder a day: '2026-11-27' (in the portal's time zone)."""
    return timezone.localdate(now).isoformat()


def period_week(now: datetime.datetime) -> str:
    """One reminder an ISO week: '2026-W48'."""
    year, week, _ = timezone.localdate(now).isocalendar()
    return f"{year}-W{week:02d}"


def period_month(now: datetime.datetime) -> str:
    """One reminder a month: '2026-11'."""
    return timezone.localdate(now).strftime("%Y-%m")


def period_quarter(now: datetime.datetime) -> str:
    """One reminder a quarter: '2026-Q4'."""
    day = timezone.localdate(now)
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


DUE_SOON = "due-soon"
OVERDUE = "overdue"


def dated_period(prefix, field: str) -> Concat:
    """A period naming a date of the target: `prefix` (text or an expression) then `field` as
    text ("starts 2026-11-30 09:00:00+00"), so the reminder starts over when that date moves."""
    if isinstance(prefix, str):
        prefix = Value(prefix)
    return Concat(prefix, Cast(field, CharField()), output_field=CharField())


def due_stage_period(field: str, today: datetime.date) -> Concat:
    """Two reminders per due date: "due-soon:2026-11-30" until the day `field` holds, then
    "overdue:2026-11-30"; a moved due date gives new periods."""
    stage = Case(
        When(**{f"{field}__lt": today}, then=Value(f"{OVERDUE}:")),
        default=Value(f"{DUE_SOON}:"),
        output_field=CharField(),
    )
    return dated_period(stage, field)


def is_due_soon(reminder) -> bool:
    """Whether a reminder of `due_stage_period` is the "due soon" one (else it is overdue)."""
    return reminder is not None and reminder.period.startswith(DUE_SOON)


# --- Still due at delivery --------------------------------------------------------------------------


def still_in(targets: Callable[[datetime.datetime], QuerySet], **conditions) -> Callable[[datetime.datetime, list], set]:
    """A kind's `still_due`: of the given ids, those still in the queryset `targets(now)` (and
    matching `conditions`), in one query; a target answered meanwhile has left it."""

    def still_due(now: datetime.datetime, ids: list) -> set:
        return set(targets(now).filter(pk__in=ids, **conditions).values_list("pk", flat=True))

    return still_due


# --- Due rows: a group fanned out, a union, and their SQL for the sweep ---------------------------


class FanOut:
    """Due targets fanned out to a group: every person of `recipient_ids` for every row of `rows`.

    Made by `to_each`. The sweep does not iterate it: it inserts a CROSS JOIN of the two queries
    (unless they are not querysets). Iterating it (tests, benchmarks) runs the two queries once
    and yields one dict per row and person, `{"recipient_id": person, **row}`.
    """

    def __init__(self, recipient_ids, rows):
        self.recipient_ids = recipient_ids
        self.rows = rows
        self._result = None

    def _fetch(self) -> list[dict]:
        if self._result is None:
            people = list(self.recipient_ids)
            self._result = [{"recipient_id": person, **row} for row in self.rows for person in people]
        return self._result

    def __iter__(self) -> Iterator[dict]:
        return iter(self._fetch())

    def __len__(self) -> int:
        return len(self._fetch())


class DueUnion:
    """The due rows of several parts (values querysets and fan-outs), in order. Made by `union`."""

    def __init__(self, parts):
        self.parts = tuple(parts)

    def __iter__(self) -> Iterator[dict]:
        for part in self.parts:
            yield from part

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)


def to_each(recipient_ids: Iterable[int], rows: DueRows) -> FanOut:
    """Fan due targets out to a group (the IT triage group, every business manager...).

    `recipient_ids` is a flat values_list query of user ids and `rows` a values query with
    `target_id` and `period`. The sweep inserts their cross product in one statement, whatever
    the number of people and targets.
    """
    return FanOut(recipient_ids, rows)


def union(*parts: DueRows) -> DueUnion:
    """The due rows of all `parts` (values querysets, fan-outs, other unions): one insert."""
    flat = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, DueUnion) else [part])
    return DueUnion(flat)


def due_sql(due: DueRows, connection, *, period_length: int = 40) -> tuple[str, list] | None:
    """The SQL of a kind's due rows, for the sweep to insert them in the database.

    Returns `(sql, params)` of one SELECT of the columns `recipient_id` (never NULL), `target_id`
    (as text) and `period` (as text, cut to `period_length` characters); `("", [])` when nothing
    can be due (an empty queryset); None when the rows can only be read in Python (a list, a
    queryset of another shape or database). The SQL runs on PostgreSQL and SQLite alike.
    """
    selects = []
    for part in due.parts if isinstance(due, DueUnion) else (due,):
        try:
            select = _part_sql(part, connection, period_length)
        except EmptyResultSet:  # .none(), pk__in=[]: this part has no rows
            continue
        if select is None:
            return None
        selects.append(select)
    if not selects:
        return "", []
    return " UNION ALL ".join(sql for sql, _ in selects), [param for _, params in selects for param in params]


def _part_sql(part, connection, period_length: int) -> tuple[str, list] | None:
    quote = connection.ops.quote_name
    if isinstance(part, FanOut):
        rows = _compiled(part.rows, connection, ValuesIterable)
        people = _compiled(part.recipient_ids, connection, FlatValuesListIterable)
        if rows is None or people is None or len(people[2]) != 1 or not {"target_id", "period"} <= set(rows[2]):
            return None
        person = f"people.{quote(people[2][0])}"
        source = f"({rows[0]}) due CROSS JOIN ({people[0]}) people"
        params = [*rows[1], *people[1]]
    else:
        rows = _compiled(part, connection, ValuesIterable)
        if rows is None or not set(DUE_KEYS) <= set(rows[2]):
            return None
        person = f"due.{quote('recipient_id')}"
        source = f"({rows[0]}) due"
        params = rows[1]
    target, period = f"due.{quote('target_id')}", f"due.{quote('period')}"
    sql = (
        f"SELECT {person} AS recipient_id, CAST({target} AS TEXT) AS target_id, "
        f"SUBSTR(CAST({period} AS TEXT), 1, {int(period_length)}) AS period "
        f"FROM {source} WHERE {person} IS NOT NULL"
    )
    return sql, params


def _compiled(queryset, connection, iterable_class) -> tuple[str, list, list] | None:
    """(sql, params, column aliases) of a queryset iterated as `iterable_class`, else None.

    Raises EmptyResultSet for a queryset that cannot have rows."""
    if not isinstance(queryset, QuerySet) or queryset._iterable_class is not iterable_class:
        return None
    if queryset.db != connection.alias:
        return None
    if not queryset.query.is_sliced:
        queryset = queryset.order_by()  # a model's default ordering only slows the insert down
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql(with_col_aliases=True)
    return sql, list(params), [alias for _, _, alias in compiler.select]
