"""Every field of the bounded apps carries its bound, so a new unbounded field fails here.

A number has a NumberRangeValidator and the CheckConstraint `<table>_<column>_range` with the
very same range; a date or date-time has the year validator and its year constraint; a
single-line text refuses control characters; a long text has a maximum length.
"""

import pytest
from django.apps import apps
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models

from partnership import bounds

BOUNDED_APPS = {"listening", "initiatives", "steering", "revenue"}
# partnership's own models; the extra mile, score and integrations models (also labelled
# "partnership") and the notifications are moving into apps of their own (issue 16 §1) and get
# their bounds there.
PARTNERSHIP_MODULE = "partnership.models"
NOT_YET = {"Notification", "Reminder", "NotificationPreference"}
# Written by the clock or by Django, never typed: the time stamps and the password hash.
SYSTEM_FIELDS = {"created_at", "updated_at", "password"}
NUMBERS = (models.IntegerField, models.DecimalField, models.FloatField)
DATES = (models.DateField,)  # DateTimeField is a DateField


def _bounded_models():
    for model in apps.get_models():
        label = model._meta.app_label
        if label in BOUNDED_APPS or (
            label == "partnership" and model.__module__ == PARTNERSHIP_MODULE and model.__name__ not in NOT_YET
        ):
            yield model


def _fields(kinds) -> list:
    return [
        pytest.param(model, field, id=f"{model._meta.label}.{field.name}")
        for model in _bounded_models()
        for field in model._meta.concrete_fields
        if isinstance(field, kinds)
        and not (field.primary_key or field.is_relation or field.name in SYSTEM_FIELDS)
    ]


def _constraint(model, field):
    name = f"{model._meta.db_table}_{field.column}_range"
    return next((c for c in model._meta.constraints if c.name == name), None)


def _range_of(field):
    found = [v for v in field.validators if isinstance(v, bounds.NumberRangeValidator)]
    return found[0] if len(found) == 1 else None


@pytest.mark.parametrize(("model", "field"), _fields(NUMBERS))
def test_every_number_has_a_range_and_the_database_the_same_one(model, field):
    validator = _range_of(field)
    assert validator is not None, f"{field} has no NumberRangeValidator (partnership/bounds.py)"
    expected = bounds.range_constraint(
        model._meta.db_table, field.column, validator.low, validator.high, nullable=field.null
    )
    assert _constraint(model, field) == expected, f"{field} needs bounds.constraints(...) in its Meta"


@pytest.mark.parametrize(("model", "field"), _fields(DATES))
def test_every_date_accepts_only_the_years_1900_to_2100_here_and_in_the_database(model, field):
    assert bounds.validate_year_range in field.validators, f"{field} lacks validators=bounds.YEARS"
    expected = bounds.year_constraint(
        model._meta.db_table,
        field.column,
        datetime_field=isinstance(field, models.DateTimeField),
        nullable=field.null,
    )
    assert _constraint(model, field) == expected, f"{field} needs bounds.constraints(...) in its Meta"


@pytest.mark.parametrize(("model", "field"), _fields((models.TextField,)))
def test_every_long_text_has_a_maximum_length(model, field):
    assert bounds.LongTextValidator() in field.validators, f"{field} lacks validators=bounds.LONG_TEXT"


@pytest.mark.parametrize(("model", "field"), _fields((models.CharField,)))
def test_every_single_line_text_refuses_control_characters(model, field):
    if field.choices:
        return  # one of its choices or nothing
    # A slug or a user name has a pattern of letters, digits and - _ . @ + that keeps them out.
    patterned = isinstance(field, models.SlugField) or any(
        isinstance(v, UnicodeUsernameValidator) for v in field.validators
    )
    assert patterned or bounds.validate_single_line in field.validators, f"{field} lacks validators=bounds.SINGLE_LINE"


def test_the_sweep_sees_the_fields_it_is_about():
    """The lists above are not empty by accident (an app renamed, a label changed)."""
    seen = {p.id for kinds in (NUMBERS, DATES, (models.TextField,), (models.CharField,)) for p in _fields(kinds)}
    for label in (
        "listening.PainPoint.people_affected",
        "listening.PainPoint.hours_lost_per_week",
        "steering.Meeting.starts_at",
        "initiatives.Initiative.fte",
        "revenue.RevenueEntry.amount",
        "partnership.User.date_joined",
        "partnership.ApiToken.expires_at",
        "listening.PainPoint.description",
        "steering.Committee.name",
    ):
        assert label in seen


def test_a_constraint_made_for_a_validator_holds_its_range():
    (constraint,) = bounds.constraints("t", numbers={"people_affected": bounds.PEOPLE})
    assert constraint == bounds.range_constraint("t", "people_affected", 1, bounds.PEOPLE_MAX)
    assert constraint.violation_error_message == "Enter a number between 1 and 10,000,000."
