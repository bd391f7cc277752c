"""Serializer fields shared by every app's API."""

from django.db import models
from rest_framework import serializers

from partnership.bounds import YEAR_MAX, YEAR_MESSAGE, YEAR_MIN


class PortalDateTimeField(serializers.DateTimeField):
    """A date-time in the years 1900 to 2100, read in the portal's time zone, refused with the
    model's own message (partnership/bounds.py). Checked here, before the model's validator,
    because a year such as 1 cannot even be converted for the answer: nothing is that old."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not YEAR_MIN <= parsed.year <= YEAR_MAX:
            raise serializers.ValidationError(YEAR_MESSAGE, code="year_out_of_range")
        return parsed


def install() -> None:
    """Every ModelSerializer maps model date-times to PortalDateTimeField."""
    serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = PortalDateTimeField
