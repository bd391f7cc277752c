"""Moves stored values outside the bounds of partnership/bounds.py to the nearest bound, so the
range constraints of the next migration can be added to an existing database. The limits are
written out: a later change in bounds.py must not change what this migration did.

A receiver's response code outside 100-599 is cleared rather than clamped (delivery.py now
keeps such a code in the delivery's error only): 599 would name an answer it never gave.
"""

from django.db import migrations
from django.db.models import Q

from partnership.bounds import clamp, clamp_datetime

NUMBERS = [
    ("InboundDelivery", "status_code", 100, 599),
    ("IdempotencyRecord", "status_code", 100, 599),
    ("WebhookDelivery", "attempts", 0, 1_000_000),
    ("WebhookSubscription", "consecutive_failures", 0, 1_000_000),
]
DATETIMES = [
    ("IntegrationSource", "previous_secret_valid_until"),
    ("InboundDelivery", "received_at"),
    ("IdempotencyRecord", "expires_at"),
    ("WebhookSubscription", "disabled_at"),
    ("WebhookDelivery", "last_attempt_at"),
    ("WebhookDelivery", "delivered_at"),
]


def clamp_out_of_range(apps, schema_editor):
    for model, field, low, high in NUMBERS:
        clamp(apps.get_model("integrations", model), field, low, high)
    for model, field in DATETIMES:
        clamp_datetime(apps.get_model("integrations", model), field)
    delivery = apps.get_model("integrations", "WebhookDelivery")
    delivery._base_manager.filter(Q(response_code__lt=100) | Q(response_code__gt=599)).update(response_code=None)


class Migration(migrations.Migration):
    dependencies = [("integrations", "0001_initial")]

    operations = [migrations.RunPython(clamp_out_of_range, migrations.RunPython.noop)]
