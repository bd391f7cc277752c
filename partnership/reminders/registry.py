"""The reminder-kind registry.

Each pillar app registers its own kinds from its `reminders.py` (imported in its
`AppConfig.ready`), so this package never imports a pillar app's models. A kind says:

- which model its target is (`target_model`, e.g. "listening.PainPoint");
- who is due for what, now: `due(now)` returns the due rows as ONE indexed query, a values
  queryset of dicts with the keys `recipient_id`, `target_id` and `period`. The sweep inserts
  them into the ledger in bulk; a row already there (same recipient, kind, target, period) is
  ignored, which is what makes a reminder go out once per period;
- what the reminder says: `message(target, reminder)` returns a `Message` (title, body, url).
  It is called per delivered row on targets loaded in bulk, so it must not query the database
  (name the relations it needs in `select_related`).
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import timezone

from ..choices import DeliveryChannel

DueRows = Iterable[Mapping]


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


def to_each(recipient_ids: Iterable[int], rows: DueRows) -> list[dict]:
    """Fan due targets out to a group (the IT triage group, every business manager...).

    `recipient_ids` is a values_list query of user ids and `rows` a values query with
    `target_id` and `period`: two queries whatever the number of people and targets.
    """
    people = list(recipient_ids)
    return [{"recipient_id": person, **row} for row in rows for person in people]
