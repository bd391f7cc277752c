"""Serializer fields shared by every app's API."""

from django.db import models
from rest_framework import serializers

from partnership.bounds import YEAR_MAX, YEAR_MESSAGE, YEAR_MIN
from partnership.visibility import reference_to


class PortalDateTimeField(serializers.DateTimeField):
    """A date-time in the years 1900 to 2100, read in the portal's time zone, refused with the
    model's own message (partnership/bounds.py). Checked here, before the model's validator,
    because a year such as 1 cannot even be converted between time zones (DRF's own check of a
    naive 0001-01-01T00:00 overflowed into a 500): nothing in the portal is that old."""

    def enforce_timezone(self, value):
        # As sent, before any conversion can overflow. A year of slack: output passes here too,
        # in UTC, where a stored local 1900-01-01 00:00 is still 1899.
        _check_year(value, slack=1)
        return super().enforce_timezone(value)

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        _check_year(parsed)  # in the portal's time zone
        return parsed


def read_only_choice_or_blank(choices, help_text: str) -> serializers.ChoiceField:
    """A read-only model field with choices and `blank=True` (a history's first "from" status):
    DRF drops `allow_blank` from read-only fields, so the schema would type "" as the enum and a
    generated client refuse the answer. Declared with this, the schema allows the blank."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, help_text=help_text)


def _check_year(value, slack: int = 0) -> None:
    if not YEAR_MIN - slack <= value.year <= YEAR_MAX + slack:
        raise serializers.ValidationError(YEAR_MESSAGE, code="year_out_of_range")


def install() -> None:
    """Every ModelSerializer maps model date-times to PortalDateTimeField."""
    serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = PortalDateTimeField


class ReferenceField(serializers.CharField):
    """One part ("title" or "url") of a reference to another object, as the requesting user may
    see it (`partnership.visibility.reference_to`): the title, or "An item you cannot see" and a
    null url when they may not see it; null without one. The holder's own `<relation>_id` column
    stays as it is: an id says which item it was, not what it says."""

    def __init__(self, relation: str, part: str = "title", **kwargs):
        assert part in ("title", "url")
        self.relation, self.part = relation, part
        kwargs.update(source="*", read_only=True, allow_null=True)
        super().__init__(**kwargs)

    def to_representation(self, holder):
        request = self.context.get("request")
        found = reference_to(getattr(request, "user", None), holder, self.relation)
        return None if found is None else getattr(found, self.part)
