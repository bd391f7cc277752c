"""IT events (open days, workshops, trainings) the business may join, and their registrations.

Visibility: events are seen by all staff; a registration by its person, the event's host and IT.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnership import bounds
from partnership.audit import AuditedModel
from partnership.roles import is_it_staff

from ..choices import EventKind
from .committees import is_staff_person


class EventQuerySet(models.QuerySet):
    def for_user(self, user):
        """Events are open to all staff."""
        if not is_staff_person(user):
            return self.none()
        return self

    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def held(self):
        return self.filter(starts_at__lt=timezone.now())


class Event(AuditedModel):
    """An IT open day, creative workshop, informal meeting or training the business may join."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    description = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    starts_at = models.DateTimeField(validators=bounds.YEARS)
    ends_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    location = models.CharField(max_length=200, blank=True, validators=bounds.SINGLE_LINE)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_steering_events")
    audience_units = models.ManyToManyField(
        "partnership.BusinessUnit", blank=True, related_name="steering_events",
        help_text="The business units invited; leave empty for everyone.",
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, validators=bounds.SEATS, help_text="Seats; leave empty for no limit."
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = bounds.constraints(
            "steering_event",
            numbers={"capacity": bounds.SEATS},
            datetimes=["starts_at", "ends_at"],
            nullable=["capacity", "ends_at"],
        )

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("steering:event-detail", args=[self.pk])

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "An event must end after it starts."})

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class RegistrationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Your own registrations; the host and IT see everyone's."""
        if not is_staff_person(user):
            return self.none()
        if is_it_staff(user):
            return self
        return self.filter(Q(user=user) | Q(event__host=user))

    def attended(self):
        return self.filter(attended_at__isnull=False)


class Registration(AuditedModel):
    """A person registered for an event; whether they came, and their feedback afterwards."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="steering_registrations")
    registered_at = models.DateTimeField(default=timezone.now, validators=bounds.YEARS)
    attended_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, validators=bounds.SCALE)
    comment = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    rated_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="steering_one_registration_per_person"),
            *bounds.constraints(
                "steering_registration",
                numbers={"rating": bounds.SCALE},
                datetimes=["registered_at", "attended_at", "rated_at"],
                nullable=["rating", "attended_at", "rated_at"],
            ),
        ]

    def __str__(self):
        return f"{self.user} at {self.event}"

    def get_absolute_url(self):
        return self.event.get_absolute_url()

    @property
    def attended(self) -> bool:
        return self.attended_at is not None
