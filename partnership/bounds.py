"""Plausible ranges of everything a user can store, in one place.

Every path that writes a record (pages, API, webhooks, admin, imports) validates the model or
builds its fields from the model, so the limits below are enforced by the model fields'
validators and, for the rows that bypass validation (`.update()`, raw SQL, a bug), by a
database `CheckConstraint` made with `range_constraint` / `year_constraint`. Forms or
serializers that declare a field of their own take the same validator from here, so a value is
refused with the same message wherever it comes from.

The maxima are what a company can reach, not what a column can hold: a pain point hitting more
people than work anywhere, or more hours a week than a week has, is a typing error (or an
attack on the arithmetic that shows it), never data.
"""

import datetime
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q
from django.utils.deconstruct import deconstructible

# Dates and date-times: years 1900 to 2100 (local time).
YEAR_MIN = 1900
YEAR_MAX = 2100
DATE_MIN = datetime.date(YEAR_MIN, 1, 1)
DATE_MAX = datetime.date(YEAR_MAX, 12, 31)
# The database stores date-times in UTC: a day of slack each side lets every time zone's
# local 1900-01-01 00:00 and 2100-12-31 23:59 through, and keeps year 0 (1 BC) out.
DATETIME_MIN_UTC = datetime.datetime(YEAR_MIN - 1, 12, 31, tzinfo=datetime.UTC)
DATETIME_MAX_UTC = datetime.datetime(YEAR_MAX + 1, 1, 2, tzinfo=datetime.UTC)

# People and time.
PEOPLE_MAX = 10_000_000  # people a pain point can hit: more than the largest employers have
HOURS_PER_WEEK_MAX = 168  # hours lost a week, per person: a week has 168
EFFORT_HOURS_MAX = 2_000  # hours one extra-mile action took: a working year
FTE_MAX = 1_000  # full-time equivalents IT puts on one initiative
SEATS_MAX = 100_000  # seats at one event

# Money, in PORTAL_CURRENCY: below 10^12, which DecimalField(max_digits=14, decimal_places=2) holds.
MONEY_MAX = Decimal("999999999999.99")

# Scales.
SCALE_MIN, SCALE_MAX = 1, 5  # ratings, severity, probability, impact, the pulse statements
RISK_SCORE_MAX = SCALE_MAX * SCALE_MAX  # probability x impact
PERCENT_MAX = 100  # the partnership score

# Bookkeeping the portal writes itself.
POSITION_MAX = 10_000  # the order of an option or an agenda item
COUNTER_MAX = 1_000_000  # attempts and failures counted by senders
VERSION_MAX = 1_000_000  # score configuration versions
WINDOW_DAYS_MAX = 3_660  # the score's rolling window: ten years
HTTP_STATUS_MIN, HTTP_STATUS_MAX = 100, 599
ID_MAX = 9_223_372_036_854_775_807  # a bare primary key (bigint)

# Texts.
LONG_TEXT_MAX = 20_000  # characters of a description, a comment, minutes or notes


def _shown(number) -> str:
    """10000000 -> '10,000,000', Decimal('999999999999.99') -> '999,999,999,999.99'."""
    return f"{number:,}"


def range_message(low, high) -> str:
    return f"Enter a number between {_shown(low)} and {_shown(high)}."


FINITE_MESSAGE = "Enter a finite number (not infinity or NaN)."


def finite_decimal(value):
    """A number that is one: `Decimal("Infinity")`, `Decimal("NaN")` and the float infinity that
    JSON's `1e400` reads as are refused (a Decimal NaN cannot even be compared with a limit: it
    raises InvalidOperation). Every range validator below calls it first, so every number field
    of every path (pages, API, webhooks, admin) has it."""
    # Decimal("1E+400") is finite: its range validator refuses it, with the range.
    finite = value.is_finite() if isinstance(value, Decimal) else not isinstance(value, float) or math.isfinite(value)
    if not finite:
        raise ValidationError(FINITE_MESSAGE, code="not_finite")


def parse_id(value) -> int | None:
    """The primary key a query parameter or form value names, or None for anything that is not
    one: only ASCII digits ("²" and "١" are digits to `str.isdigit()` but `int()` refuses the
    first), from 1 to ID_MAX (a bigger number fits no bigint column)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= ID_MAX else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= ID_MAX else None


@deconstructible
class NumberRangeValidator:
    """Refuses a number outside [low, high] with one message, the same on every path.

    Deliberately not a Min/MaxValueValidator: Django REST framework turns those into its own
    `min_value`/`max_value` with its own words, and the API would answer differently from the
    pages.
    """

    code = "out_of_range"

    def __init__(self, low, high):
        self.low = low
        self.high = high

    def __call__(self, value):
        if value is None:
            return
        finite_decimal(value)
        try:
            inside = self.low <= value <= self.high
        except TypeError:
            inside = False
        if not inside:
            raise ValidationError(range_message(self.low, self.high), code=self.code, params={"value": value})

    @property
    def message(self) -> str:
        return range_message(self.low, self.high)

    def __eq__(self, other):
        return isinstance(other, NumberRangeValidator) and (self.low, self.high) == (other.low, other.high)

    def __hash__(self):
        return hash((self.low, self.high))


YEAR_MESSAGE = f"Enter a date between {YEAR_MIN} and {YEAR_MAX}."


def validate_year_range(value):
    """A date or date-time from year 1900 to 2100, read in its own time zone (never converted:
    converting year 1 to UTC is what overflows)."""
    if value is None:
        return
    if not isinstance(value, datetime.date) or not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(YEAR_MESSAGE, code="year_out_of_range")


CONTROL_MESSAGE = "Use one line of text without control characters."
_CONTROL = frozenset([*range(0x00, 0x20), 0x7F])


def validate_single_line(value):
    """A title or a name: one line, no control characters (NUL, tab, line breaks, escape ...)."""
    if isinstance(value, str) and any(ord(char) in _CONTROL for char in value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


@deconstructible
class LongTextValidator:
    """At most LONG_TEXT_MAX characters, with one message for pages and API (not a
    MaxLengthValidator, which Django REST framework would replace with its own words)."""

    code = "too_long"

    def __init__(self, limit=None):
        self.limit = limit or LONG_TEXT_MAX

    def __call__(self, value):
        if isinstance(value, str) and len(value) > self.limit:
            raise ValidationError(
                f"Keep it to {_shown(self.limit)} characters (it has {_shown(len(value))}).", code=self.code
            )

    def __eq__(self, other):
        return isinstance(other, LongTextValidator) and self.limit == other.limit

    def __hash__(self):
        return hash(self.limit)


# Ready-made validator lists for model fields.
PEOPLE = [NumberRangeValidator(1, PEOPLE_MAX)]
HOURS_PER_WEEK = [NumberRangeValidator(0, HOURS_PER_WEEK_MAX)]
EFFORT_HOURS = [NumberRangeValidator(0, EFFORT_HOURS_MAX)]
FTE = [NumberRangeValidator(0, FTE_MAX)]
SEATS = [NumberRangeValidator(1, SEATS_MAX)]
MONEY = [NumberRangeValidator(0, MONEY_MAX)]
SIGNED_MONEY = [NumberRangeValidator(-MONEY_MAX, MONEY_MAX)]
SCALE = [NumberRangeValidator(SCALE_MIN, SCALE_MAX)]
RISK_SCORE = [NumberRangeValidator(0, RISK_SCORE_MAX)]
POSITION = [NumberRangeValidator(0, POSITION_MAX)]
PERCENT = [NumberRangeValidator(0, PERCENT_MAX)]
COUNTER = [NumberRangeValidator(0, COUNTER_MAX)]
VERSION = [NumberRangeValidator(1, VERSION_MAX)]
WINDOW_DAYS = [NumberRangeValidator(1, WINDOW_DAYS_MAX)]
HTTP_STATUS = [NumberRangeValidator(HTTP_STATUS_MIN, HTTP_STATUS_MAX)]
ID = [NumberRangeValidator(1, ID_MAX)]
YEARS = [validate_year_range]
SINGLE_LINE = [validate_single_line]
LONG_TEXT = [LongTextValidator()]

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2}


def range_constraint(table: str, field: str, low, high, *, nullable: bool = False) -> CheckConstraint:
    """The database's copy of a field's range, named `<table>_<field>_range`."""
    condition = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return CheckConstraint(
        condition=condition, name=f"{table}_{field}_range", violation_error_message=range_message(low, high)
    )


def year_constraint(table: str, field: str, *, datetime_field: bool = False, nullable: bool = False) -> CheckConstraint:
    """The database's copy of the year range of a date (or, in UTC with slack, a date-time)."""
    if datetime_field:
        condition = Q(**{f"{field}__gte": DATETIME_MIN_UTC, f"{field}__lt": DATETIME_MAX_UTC})
    else:
        condition = Q(**{f"{field}__gte": DATE_MIN, f"{field}__lte": DATE_MAX})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return CheckConstraint(condition=condition, name=f"{table}_{field}_range", violation_error_message=YEAR_MESSAGE)


def constraints(table: str, *, numbers=None, dates=(), datetimes=(), nullable=()) -> list[CheckConstraint]:
    """The database's copies of a model's bounds, for its `Meta.constraints`.

    `numbers` maps a field to its validator list (e.g. `{"people_affected": PEOPLE}`), so the
    constraint holds the very range the validator checks; `dates` and `datetimes` name the
    date and date-time fields; `nullable` the fields that may be empty.
    """
    made = []
    for field, validators in (numbers or {}).items():
        (validator,) = [v for v in validators if isinstance(v, NumberRangeValidator)]
        made.append(range_constraint(table, field, validator.low, validator.high, nullable=field in nullable))
    made += [year_constraint(table, field, nullable=field in nullable) for field in dates]
    made += [year_constraint(table, field, datetime_field=True, nullable=field in nullable) for field in datetimes]
    return made


def clamp(model, field: str, low, high) -> int:
    """Move the stored values of a number or date `field` outside [low, high] to the nearest
    limit, so that its range constraint can be added to an existing database. For data
    migrations: they pass the historical model and write the limits out, so a later change of a
    limit leaves them as they were. Returns how many rows changed."""
    rows = model._base_manager.all()
    below = rows.filter(**{f"{field}__lt": low}).update(**{field: low})
    return below + rows.filter(**{f"{field}__gt": high}).update(**{field: high})


def clamp_datetime(model, field: str) -> int:
    """`clamp` for a date-time: what lies outside the database's UTC range (year 1 BC included)
    moves to noon UTC of 1900-01-01 or 2100-12-31, the same day in every time zone."""
    rows = model._base_manager.all()
    floor = datetime.datetime(YEAR_MIN, 1, 1, 12, tzinfo=datetime.UTC)
    ceiling = datetime.datetime(YEAR_MAX, 12, 31, 12, tzinfo=datetime.UTC)
    below = rows.filter(**{f"{field}__lt": DATETIME_MIN_UTC}).update(**{field: floor})
    return below + rows.filter(**{f"{field}__gte": DATETIME_MAX_UTC}).update(**{field: ceiling})
