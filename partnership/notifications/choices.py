"""Choices of the partnership app's reminders and notification preferences."""

from django.db import models


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled (no longer due)"
    FAILED = "failed", "Failed (gave up)"


class DeliveryChannel(models.TextChoices):
    """How a user wants one kind of reminder: the inbox always gets it."""

    IN_APP = "in_app", "In the app only"
    EMAIL = "email", "In the app and by e-mail"
    DIGEST = "digest", "In the app and in a daily e-mail digest"


class EmailState(models.TextChoices):
    """Where a delivered reminder stands on the e-mail side."""

    NONE = "none", "No e-mail"
    QUEUED = "queued", "E-mail about to be sent"
    SENT = "sent", "E-mailed"
    DIGEST_PENDING = "digest_pending", "Waiting for the daily digest"
    DIGEST_SENT = "digest_sent", "Sent in a daily digest"
