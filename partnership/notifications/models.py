"""The in-app inbox, the reminder ledger and the notification preferences."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .. import bounds
from ..audit import AuditedModel
from .choices import DeliveryChannel, EmailState, ReminderStatus

__all__ = ["Notification", "NotificationPreference", "Reminder"]


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A notification is seen by its recipient only."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a user's in-app inbox, linking to the object it is about."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(
        max_length=60, db_index=True, help_text="What it is about, e.g. 'pain_point.declined'.",
        validators=bounds.SINGLE_LINE,
    )
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    # Unbounded: notify() writes it from other records' (bounded) texts, unvalidated.
    body = models.TextField(blank=True)
    url = models.CharField(
        max_length=500, blank=True, help_text="Where the object is, a path inside the portal.",
        validators=bounds.SINGLE_LINE,
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True, validators=bounds.SINGLE_LINE)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    done_at = models.DateTimeField(
        null=True, blank=True, validators=bounds.YEARS,
        help_text="When the task it asked for was done (a rating recorded, a survey answered).",
    )
    reminder = models.OneToOneField(
        "Reminder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification",
        help_text="The ledger row this notification delivered; unique, so a reminder reaches the inbox once.",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "partnership_notification"  # kept from the partnership app (no table moved)
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        constraints = bounds.constraints(
            "partnership_notification", datetimes=["read_at", "done_at"], nullable=["read_at", "done_at"]
        )

    def __str__(self):
        return f"{self.title} → {self.recipient}"


class ReminderQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user sees the reminders addressed to them; superusers see the whole ledger."""
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def pending(self):
        return self.filter(status=ReminderStatus.PENDING)


class Reminder(models.Model):
    """One reminder in the ledger: who is reminded of what (kind, target) for which period.

    The unique constraint is what makes a reminder exactly-once: the sweep inserts due rows with
    ON CONFLICT DO NOTHING, so running it twice (or in two beats) adds nothing; the sender claims
    pending rows with SELECT ... FOR UPDATE SKIP LOCKED and marks them sent in the same
    transaction as the notification it creates, so a killed worker leaves them pending.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(
        max_length=60, help_text="A key of the reminder-kind registry, e.g. 'listening.ack_overdue'.",
        validators=bounds.SINGLE_LINE,
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64, validators=bounds.SINGLE_LINE)
    period = models.CharField(
        max_length=40, help_text="Which occurrence: 'once', a date, a week '2026-W48', a month '2026-11'...",
        validators=bounds.SINGLE_LINE,
    )
    status = models.CharField(max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    email_state = models.CharField(max_length=20, choices=EmailState.choices, default=EmailState.NONE)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a sender last took this row.", validators=bounds.YEARS
    )
    sent_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    # At most REMINDER_MAX_ATTEMPTS in normal operation: the row is failed then, far below COUNTER_MAX.
    attempts = models.PositiveIntegerField(default=0, help_text="Failed delivery attempts.", validators=bounds.COUNTER)
    last_error = models.TextField(blank=True, validators=bounds.LONG_TEXT)  # the sender keeps 2,000 characters

    objects = ReminderQuerySet.as_manager()

    class Meta:
        db_table = "partnership_reminder"  # kept from the partnership app (no table moved)
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id", "period"], name="reminder_once_per_period"
            ),
            *bounds.constraints(
                "partnership_reminder",
                numbers={"attempts": bounds.COUNTER},
                datetimes=["claimed_at", "sent_at"],
                nullable=["claimed_at", "sent_at"],
            ),
        ]
        indexes = [
            # The sender's claim (pending rows in id order) reads only this small partial index.
            models.Index(fields=["id"], condition=models.Q(status="pending"), name="reminder_pending_idx"),
            models.Index(fields=["recipient"], condition=models.Q(email_state="digest_pending"), name="reminder_digest_idx"),
            # The e-mail outbox (reminders in the inbox whose e-mail is still to go) reads only this one.
            models.Index(fields=["id"], condition=models.Q(email_state="queued"), name="reminder_email_queued_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_id} ({self.period}) → {self.recipient_id}"


class NotificationPreferenceQuerySet(models.QuerySet):
    def for_user(self, user):
        """Preferences are personal: each user sees and changes their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class NotificationPreference(AuditedModel):
    """How one user wants one kind of reminder. No row means the kind's default channel."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=60, validators=bounds.SINGLE_LINE)
    channel = models.CharField(max_length=20, choices=DeliveryChannel.choices)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        db_table = "partnership_notificationpreference"  # kept from the partnership app (no table moved)
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once_per_kind")]

    def __str__(self):
        return f"{self.user}: {self.kind} = {self.get_channel_display()}"
