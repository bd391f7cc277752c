"""What waits for me: the list on each role's home page and at `GET /api/v1/me/agenda/`.

Each app contributes the items it owns through its own selectors: its `selectors.py` declares
`AGENDA`, a tuple of `AgendaSource`, read here with `declared()` like the indicators and the
reminder kinds (partnership/discovery.py). A source's `items(user, since)` makes a fixed number of
queries, each through the model's `for_user()`, and returns at most `PER_SOURCE` items, so the
home page costs the same with three items or three hundred. `since` is the user's previous visit
of the home page (None on the first): "pain points that changed since your last visit".

The list is newest first: a count or a score ("4 pain points wait for triage") is dated now and
comes first; the rest by the time it began to wait (raised, proposed, done, asked).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from .discovery import declared
from .roles import primary_role

# The most items one source lists; its page (the link of the item, or the list it names) has the rest.
PER_SOURCE = 20


@dataclass(frozen=True)
class AgendaEntry:
    """One thing waiting for the user: what, where to do it, since when, and by when."""

    kind: str  # "<app object>.<what waits>", e.g. "extramile.rate"
    title: str
    url: str
    at: datetime.datetime  # when it began to wait (now for a count or a score)
    due_on: datetime.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class AgendaSource:
    """A kind of item and the roles (primary roles, see partnership.roles) whose agenda lists it."""

    key: str
    roles: frozenset
    items: Callable[..., Iterable[AgendaEntry]]  # items(user, since) -> at most PER_SOURCE items


def agenda_sources() -> tuple[AgendaSource, ...]:
    return declared("selectors", "AGENDA")


def agenda_for(user, *, since: datetime.datetime | None = None) -> list[AgendaEntry]:
    """Every item waiting for `user` under their primary role, newest first."""
    role = primary_role(user)
    items = [item for source in agenda_sources() if role in source.roles for item in source.items(user, since)]
    return sorted(items, key=lambda item: item.at, reverse=True)


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    """The local calendar day of a deadline stored as a moment (a survey's or a check-in's due_at)."""
    return None if moment is None else timezone.localdate(moment)
