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

BOUNDED_APPS = {
    "listening", "initiatives", "steering", "revenue", "extramile", "score", "integrations", "notifications",
}
# partnership's own models (the extra mile, score, integrations and notifications have apps,
# and labels, of their own).
PARTNERSHIP_MODULE = "partnership.models"
# Written by the clock or by Django, never typed: the time stamps and the password hash.
SYSTEM_FIELDS = {"created_at", "updated_at", "password"}
# Texts the portal writes itself, unvalidated, from what a sender or receiver sent or from an
# error: a text bound there could only make the system fail (refuse to log a delivery, to record
# why a subscription was disabled, or, on the next full_clean(), to let its owner edit it). The
# column's max_length (where there is one) is what bounds them; the code truncates to it.
MACHINE_WRITTEN = {
    # The inbound delivery log keeps what the ticketing system sent, verbatim, and why it was refused.
    "integrations.InboundDelivery.source_name",
    "integrations.InboundDelivery.delivery_id",
    "integrations.InboundDelivery.event",
    "integrations.InboundDelivery.external_ref",
    "integrations.InboundDelivery.reason",
    # The client's Idempotency-Key header and the request path, as received.
    "integrations.IdempotencyRecord.key",
    "integrations.IdempotencyRecord.path",
    # A receiver's error (its reason phrase, a network error), and the reason it disabled a subscription.
    "integrations.WebhookDelivery.last_error",
    "integrations.WebhookSubscription.disabled_reason",
    # notify() composes it from other records' texts, which are bounded where they are typed.
    "notifications.Notification.body",
}
NUMBERS = (models.IntegerField, models.DecimalField, models.FloatField)
DATES = (models.DateField,)  # DateTimeField is a DateField


def _bounded_models():
    for model in apps.get_models():
        label = model._meta.app_label
        if label in BOUNDED_APPS or (
            label == "partnership" and model.__module__ == PARTNERSHIP_MODULE
        ):
            yield model


def _fields(kinds) -> list:
    return [
        pytest.param(model, field, id=f"{model._meta.label}.{field.name}")
        for model in _bounded_models()
        for field in model._meta.concrete_fields
        if isinstance(field, kinds)
        and not (field.primary_key or field.is_relation or field.name in SYSTEM_FIELDS)
        and f"{model._meta.label}.{field.name}" not in MACHINE_WRITTEN
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
        "extramile.ExtraMileAction.effort_hours",
        "extramile.MaintenanceWindow.starts_at",
        "score.ScoreSnapshot.overall",
        "score.PulseResponse.understands",
        "integrations.WebhookDelivery.response_code",
        "notifications.Reminder.attempts",
    ):
        assert label in seen


def test_the_machine_written_exemptions_name_real_unbounded_texts():
    """An exemption that no longer names a field, or names one that got its bound, is stale."""
    for label in MACHINE_WRITTEN:
        app_model, name = label.rsplit(".", 1)
        field = apps.get_model(app_model)._meta.get_field(name)
        assert isinstance(field, (models.CharField, models.TextField)), label
        bounded = [v for v in field.validators if v in (bounds.validate_single_line, bounds.LongTextValidator())]
        assert not bounded, label


def test_a_constraint_made_for_a_validator_holds_its_range():
    (constraint,) = bounds.constraints("t", numbers={"people_affected": bounds.PEOPLE})
    assert constraint == bounds.range_constraint("t", "people_affected", 1, bounds.PEOPLE_MAX)
    assert constraint.violation_error_message == "Enter a number between 1 and 10,000,000."
