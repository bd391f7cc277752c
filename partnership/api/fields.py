"""Serializer fields shared by every app's API."""

import datetime

from django.db import models
from rest_framework import serializers

EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


class PortalDateTimeField(serializers.DateTimeField):
    """A date-time from 1900 on. Earlier instants have no whole-minute offset in the portal's time
    zone (local mean time), so they could not be answered as RFC 3339; nothing in the portal is
    that old."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if parsed < EARLIEST:
            raise serializers.ValidationError("Enter a date and time from 1900 on.")
        return parsed


def install() -> None:
    """Every ModelSerializer maps model date-times to PortalDateTimeField."""
    serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = PortalDateTimeField
