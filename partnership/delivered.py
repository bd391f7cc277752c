"""What IT delivered for a business unit: the page the business reads, its API and the monthly digest.

Each app contributes the entries it owns through its own selectors, as for the agenda
(partnership/agenda.py): its `selectors.py` declares `DELIVERED`, a tuple of `DeliveredSource`, read
here with `declared()`. A source's `rows(user, unit, period)` is ONE queryset (related rows joined
or prefetched, every model through its `for_user(user)`), in the order shown; `entry(user, row)`
turns a row into a `DeliveredEntry` without a query. So a page costs one query per source (plus
its prefetches) whatever the number of entries: each section shows `PER_SECTION` entries, and its
"see all" link pages through the rest of that one source.

Two sections: what was delivered within the period (resolved pain points with their plan,
delivered initiatives with their realised benefits, extra-mile actions done, revenue projects gone
live and revenue recorded) and what is coming (planned pain points, initiatives under way with
their target dates), which is what is open today whatever the period.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.utils import timezone

from .discovery import declared
from .roles import is_business_manager, is_it_staff

DELIVERED, COMING = "delivered", "coming"
SECTIONS = {DELIVERED: "What was delivered", COMING: "What is coming"}
# Entries each source shows on the page and in the API answer; its "see all" list has the rest.
PER_SECTION = 5
SEE_ALL_PAGE = 25
DEFAULT_DAYS = 90
REFUSED = "What IT delivered is shown to IT, the CIO and each business unit's managers for their own unit."


@dataclass(frozen=True)
class Period:
    """The days, both included, in which the delivered entries fall."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_days(cls, days: int, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(today - datetime.timedelta(days=days - 1), today)

    @classmethod
    def month_before(cls, day: datetime.date) -> "Period":
        """The calendar month before the one of `day` (the digest's month)."""
        end = day.replace(day=1) - datetime.timedelta(days=1)
        return cls(end.replace(day=1), end)

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware moments of the portal's time zone, for date-time fields."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, end


@dataclass(frozen=True)
class DeliveredEntry:
    """One thing IT delivered (or will deliver) for the unit: what, where, when, and a sentence."""

    kind: str  # "<object>.<what happened>", e.g. "pain_point.resolved"
    title: str
    url: str
    on: datetime.date | None  # delivered on (delivered), or the target date (coming; None if not set)
    detail: str = ""
    amount: Decimal | None = None  # revenue recorded, expected revenue, realised benefits
    references: tuple = field(default=())  # partnership.visibility.Reference of the objects it names


@dataclass(frozen=True)
class DeliveredSource:
    """A kind of entry, its section and heading, and how to read it."""

    key: str
    section: str  # DELIVERED or COMING
    heading: str
    rows: Callable  # rows(user, unit, period) -> a queryset, in the order shown
    entry: Callable  # entry(user, row) -> DeliveredEntry, without a query
    empty: str = "Nothing in this period."


@dataclass
class Section:
    """One source's part of the page: its first entries and whether there are more."""

    source: DeliveredSource
    entries: list
    has_more: bool

    @property
    def key(self) -> str:
        return self.source.key


def delivered_sources() -> tuple[DeliveredSource, ...]:
    return declared("selectors", "DELIVERED")


def source_named(key: str) -> DeliveredSource | None:
    return next((source for source in delivered_sources() if source.key == key), None)


def delivered_for(user, unit, period: Period, *, per_section: int = PER_SECTION) -> dict[str, list[Section]]:
    """{section: [Section per source]} of `unit` as `user` may see it; one query per source
    (each reads one row more than it shows, to know whether "see all" has more)."""
    sections = {name: [] for name in SECTIONS}
    for source in delivered_sources():
        rows = list(source.rows(user, unit, period)[: per_section + 1])
        entries = [source.entry(user, row) for row in rows[:per_section]]
        sections[source.section].append(Section(source=source, entries=entries, has_more=len(rows) > per_section))
    return sections


def delivered_page(user, unit, period: Period, source: DeliveredSource, number) -> tuple:
    """(page, its entries) of every entry of one source: the "see all" list."""
    page = Paginator(source.rows(user, unit, period), SEE_ALL_PAGE).get_page(number)
    return page, [source.entry(user, row) for row in page.object_list]


def delivered_count(sections: dict[str, list[Section]], section: str = DELIVERED) -> int:
    """How many entries a section shows (the digest's "5 things delivered")."""
    return sum(len(part.entries) for part in sections[section])


def may_read(user, unit) -> bool:
    """IT and the CIO read every unit's page; a business manager reads their own unit's."""
    if is_it_staff(user):
        return True
    return is_business_manager(user) and unit is not None and user.business_unit_id == unit.pk
