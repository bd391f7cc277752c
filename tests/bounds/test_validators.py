"""The shared bounds (partnership/bounds.py): one message per limit, whatever path uses it."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from partnership import bounds

PRAGUE = ZoneInfo("Europe/Prague")


@pytest.mark.parametrize(
    ("validators", "value", "message"),
    [
        (bounds.HOURS_PER_WEEK, Decimal("168.1"), "Enter a number between 0 and 168."),
        (bounds.HOURS_PER_WEEK, -1, "Enter a number between 0 and 168."),
        (bounds.PEOPLE, 9223372036854775807, "Enter a number between 1 and 10,000,000."),
        (bounds.PEOPLE, 0, "Enter a number between 1 and 10,000,000."),
        (bounds.MONEY, Decimal("1000000000000"), "Enter a number between 0 and 999,999,999,999.99."),
        (bounds.SIGNED_MONEY, Decimal("-1000000000000"), "Enter a number between -999,999,999,999.99 and 999,999,999,999.99."),
        (bounds.SCALE, 6, "Enter a number between 1 and 5."),
    ],
)
def test_a_number_outside_its_range_is_refused_with_the_range_in_words(validators, value, message):
    with pytest.raises(ValidationError) as refused:
        for validator in validators:
            validator(value)
    assert refused.value.messages == [message]


@pytest.mark.parametrize(
    ("validators", "value"),
    [
        (bounds.HOURS_PER_WEEK, Decimal("168")),
        (bounds.HOURS_PER_WEEK, 0),
        (bounds.PEOPLE, 10_000_000),
        (bounds.MONEY, Decimal("999999999999.99")),
        (bounds.SCALE, 1),
        (bounds.PEOPLE, None),
    ],
)
def test_a_number_at_the_edge_of_its_range_is_kept(validators, value):
    for validator in validators:
        validator(value)


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(1899, 12, 31),
        datetime.date(2101, 1, 1),
        datetime.datetime(1, 1, 1, tzinfo=PRAGUE),  # stored as 1 BC once converted to UTC
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=PRAGUE),
    ],
)
def test_a_date_outside_1900_to_2100_is_refused(value):
    with pytest.raises(ValidationError) as refused:
        bounds.validate_year_range(value)
    assert refused.value.messages == ["Enter a date between 1900 and 2100."]


def test_local_midnight_of_1900_is_kept_and_fits_the_databases_utc_range():
    value = datetime.datetime(1900, 1, 1, 0, 30, tzinfo=PRAGUE)
    bounds.validate_year_range(value)
    assert bounds.DATETIME_MIN_UTC <= value < bounds.DATETIME_MAX_UTC


@pytest.mark.parametrize("text", ["a\x00b", "two\nlines", "tab\there", "esc\x1b[31m", "del\x7f"])
def test_a_single_line_text_refuses_control_characters(text):
    with pytest.raises(ValidationError) as refused:
        bounds.validate_single_line(text)
    assert refused.value.messages == ["Use one line of text without control characters."]


def test_a_single_line_text_keeps_unicode():
    bounds.validate_single_line("Žluťoučký kůň 🦄 שלום")


def test_a_long_text_over_the_maximum_is_refused_with_its_length():
    bounds.LONG_TEXT[0]("x" * bounds.LONG_TEXT_MAX)
    with pytest.raises(ValidationError) as refused:
        bounds.LONG_TEXT[0]("x" * (bounds.LONG_TEXT_MAX + 1))
    assert refused.value.messages == ["Keep it to 20,000 characters (it has 20,001)."]


def test_constraints_are_named_after_table_and_field():
    assert bounds.range_constraint("listening_painpoint", "people_affected", 1, bounds.PEOPLE_MAX).name == (
        "listening_painpoint_people_affected_range"
    )
    assert bounds.year_constraint("steering_meeting", "starts_at", datetime_field=True).name == (
        "steering_meeting_starts_at_range"
    )
