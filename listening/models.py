"""Models of the listening app: pain points the business raises, IT's evaluations of them and
the listening sessions where IT heard them.

Visibility (one rule, used by every page, API endpoint, search and export through `for_user`):
- IT staff, the CIO and superusers see every pain point;
- everybody else who is signed in sees every non-confidential pain point;
- a confidential pain point is seen only by the members of its business unit, by the person who
  submitted it (who may have raised it for another unit), by the integration client of the source
  that created it and by IT;
- votes, watches, comments, status history and evaluations follow their pain point;
- a listening session is seen by IT, by the members of the unit IT listened to and by its
  business attendees.
"""

import datetime
from decimal import Decimal, InvalidOperation, localcontext

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from partnership import bounds
from partnership.audit import AuditedModel
from partnership.integrations.permissions import client_source_names
from partnership.models import BusinessUnit
from partnership.roles import is_it_staff

from .choices import (
    INTEGRATION_SOURCES,
    OPEN_STATUSES,
    STATUS_BADGES,
    Category,
    PainPointStatus,
    Risk,
    SessionKind,
    Source,
)


def _bounded(value, low, high) -> Decimal | None:
    try:
        number = Decimal(str(value or 0).strip())
    except (InvalidOperation, ValueError):
        return None
    return min(max(number, Decimal(low)), Decimal(high)) if number.is_finite() else None


def yearly_cost(hours_lost_per_week, people_affected) -> Decimal | None:
    """Hours lost a week x people x hourly rate x working weeks, rounded to cents.

    It cannot raise: the form's live estimate passes what was typed, so text that is no number
    gives None, and a number past its bounds counts as the bound; the arithmetic runs with room
    for any rate (the default context's 28 digits overflowed when quantizing a huge product).
    """
    hours = _bounded(hours_lost_per_week, 0, bounds.HOURS_PER_WEEK_MAX)
    people = _bounded(people_affected, 0, bounds.PEOPLE_MAX)
    if hours is None or people is None:
        return None
    with localcontext(prec=60):
        rate = Decimal(str(settings.LISTENING_HOURLY_RATE))
        weeks = Decimal(settings.LISTENING_WORKING_WEEKS)
        return (hours * people * rate * weeks).quantize(Decimal("0.01"))


class PainPointQuerySet(models.QuerySet):
    def for_user(self, user):
        """See the module docstring: confidential ones only for their unit, submitter and IT."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_it_staff(user):
            return self
        allowed = Q(confidential=False) | Q(submitted_by=user)
        if user.business_unit_id:
            allowed |= Q(business_unit_id=user.business_unit_id)
        own_sources = client_source_names(user)
        if own_sources:
            # An integration client sees what its own source created (the ticket is its own).
            allowed |= Q(source_system__in=own_sources)
        return self.filter(allowed)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class PainPoint(AuditedModel):
    """A sore point or defunct process raised by the business, and where IT is with it."""

    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    description = models.TextField(
        help_text="What hurts, who it hits, since when, and how you work around it today.", validators=bounds.LONG_TEXT
    )
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="pain_points")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_pain_points",
        help_text="Empty for pain points created by an integration (check-in, ticketing system).",
    )
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.PROCESS)
    severity = models.PositiveSmallIntegerField(
        default=3,
        validators=bounds.SCALE,
        help_text="1 = an annoyance, 5 = work stops.",
    )
    people_affected = models.PositiveIntegerField(default=1, validators=bounds.PEOPLE)
    hours_lost_per_week = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=bounds.HOURS_PER_WEEK,
        help_text="Per person affected.",
    )
    confidential = models.BooleanField(
        default=False, help_text="Only your business unit, IT staff and the CIO will see it."
    )
    status = models.CharField(max_length=20, choices=PainPointStatus.choices, default=PainPointStatus.NEW)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PORTAL)
    source_system = models.CharField(
        max_length=50, blank=True, validators=bounds.SINGLE_LINE,
        help_text="The system an integration wrote it from, e.g. 'jira'.",
    )
    external_ref = models.CharField(
        max_length=200, blank=True, validators=bounds.SINGLE_LINE,
        help_text="The item's key in its source system; unique per source system.",
    )
    listening_session = models.ForeignKey(
        "ListeningSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="pain_points"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_pain_points"
    )
    decline_reason = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    plan_note = models.TextField(blank=True, help_text="The plan as the business reads it.", validators=bounds.LONG_TEXT)
    ack_due_on = models.DateField(
        help_text="IT acknowledges it by this day (the SLA, in business days).", validators=bounds.YEARS
    )
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text="IT's first response.", validators=bounds.YEARS
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)

    objects = PainPointQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "ack_due_on"]),
            models.Index(fields=["business_unit", "status"]),
            # The lists' order, newest first, whole and per unit: a page of 50 reads 50 index
            # entries instead of sorting every row (docs/benchmarks.md).
            models.Index(fields=["-created_at", "-id"], name="listening_pp_recent_idx"),
            # The sync cursor's order and `updated_after` (partnership/api/pagination.py).
            models.Index(fields=["updated_at", "id"], name="listening_pp_updated_idx"),
            models.Index(fields=["business_unit", "-created_at", "-id"], name="listening_pp_unit_recent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "external_ref"],
                condition=~Q(external_ref=""),
                name="listening_painpoint_unique_external_ref",
                violation_error_message="This source system already has a pain point with this external reference.",
            ),
            *bounds.constraints(
                "listening_painpoint",
                numbers={
                    "severity": bounds.SCALE,
                    "people_affected": bounds.PEOPLE,
                    "hours_lost_per_week": bounds.HOURS_PER_WEEK,
                },
                dates=["ack_due_on"],
                datetimes=["acknowledged_at", "status_changed_at"],
                nullable=["acknowledged_at", "status_changed_at"],
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("listening:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.external_ref and not self.source_system:
            errors["source_system"] = "Name the source system of the external reference."
        if self.source == Source.LISTENING_SESSION and not self.listening_session_id:
            errors["listening_session"] = "A pain point from a listening session names that session."
        if self.submitted_by_id is None and self.source not in INTEGRATION_SOURCES:
            errors["submitted_by"] = "Only a check-in or a ticketing system may create a pain point without a submitter."
        if self.status == PainPointStatus.DECLINED and not self.decline_reason.strip():
            errors["decline_reason"] = "Say why the pain point is declined: the submitter will read it."
        if self.status == PainPointStatus.MERGED and not self.merged_into_id:
            errors["merged_into"] = "A merged pain point names the one it was merged into."
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = "A pain point cannot be merged into itself."
        if errors:
            raise ValidationError(errors)

    @property
    def estimated_yearly_cost(self) -> Decimal:
        return yearly_cost(self.hours_lost_per_week, self.people_affected)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_read_only(self) -> bool:
        """A merged pain point lives on in its target; it takes no votes, comments or changes."""
        return self.status == PainPointStatus.MERGED

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-secondary")

    @property
    def is_overdue(self) -> bool:
        """Still waiting for an acknowledgement after its SLA due day."""
        return self.status == PainPointStatus.NEW and timezone.localdate() > self.ack_due_on

    @property
    def acknowledged_within_sla(self) -> bool | None:
        if self.acknowledged_at is None:
            return None
        return timezone.localdate(self.acknowledged_at) <= self.ack_due_on


class _FollowsPainPointQuerySet(models.QuerySet):
    """Rows that belong to a pain point are visible to whoever sees the pain point."""

    def for_user(self, user):
        return self.filter(pain_point__in=PainPoint.objects.for_user(user))


class Vote(AuditedModel):
    """A "me too" of one person on a pain point."""

    pain_point = models.ForeignKey(PainPoint, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pain_point_votes")

    objects = _FollowsPainPointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pain_point", "user"],
                name="listening_vote_once_per_user",
                violation_error_message="You already voted for this pain point.",
            )
        ]

    def __str__(self):
        return f"{self.user} on {self.pain_point}"


class Watch(AuditedModel):
    """Someone who wants to hear about every status change of a pain point."""

    pain_point = models.ForeignKey(PainPoint, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pain_point_watches")

    objects = _FollowsPainPointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "watches"
        constraints = [
            models.UniqueConstraint(fields=["pain_point", "user"], name="listening_watch_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} watches {self.pain_point}"


class Comment(AuditedModel):
    """A remark on a pain point, by the business or by IT."""

    pain_point = models.ForeignKey(PainPoint, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="pain_point_comments"
    )
    body = models.TextField(validators=bounds.LONG_TEXT)

    objects = _FollowsPainPointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Comment by {self.author} on {self.pain_point}"


class PainPointStatusChange(AuditedModel):
    """One step of a pain point's workflow: when, who, from which status to which, and why."""

    pain_point = models.ForeignKey(PainPoint, on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField(default=timezone.now, validators=bounds.YEARS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=PainPointStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PainPointStatus.choices)
    note = models.TextField(blank=True, validators=bounds.LONG_TEXT)

    objects = _FollowsPainPointQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = bounds.constraints("listening_painpointstatuschange", datetimes=["at"])

    def __str__(self):
        return f"{self.pain_point}: {self.from_status or '—'} → {self.to_status}"


class Evaluation(AuditedModel):
    """IT's weighing of a pain point: the options with their pros and cons, and the plan."""

    pain_point = models.OneToOneField(PainPoint, on_delete=models.CASCADE, related_name="evaluation")
    summary = models.TextField(
        blank=True, help_text="What IT found: causes, constraints, who else is affected.", validators=bounds.LONG_TEXT
    )
    plan = models.TextField(
        blank=True, help_text="The recommended plan: steps, owner, timeline.", validators=bounds.LONG_TEXT
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = _FollowsPainPointQuerySet.as_manager()

    def __str__(self):
        return f"Evaluation of {self.pain_point}"

    def get_absolute_url(self):
        return reverse("listening:evaluation", args=[self.pain_point_id])

    @property
    def recommended_option(self):
        # Iterates the prefetched options when there are any, without another query.
        return next((option for option in self.options.all() if option.is_recommended), None)


class EvaluationOptionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(evaluation__pain_point__in=PainPoint.objects.for_user(user))


class EvaluationOption(AuditedModel):
    """One way of solving a pain point, with its pros, cons, rough cost and risk."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0, validators=bounds.POSITION)
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    description = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    pros = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    cons = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    rough_cost = models.DecimalField(**bounds.MONEY_FIELD, null=True, blank=True, validators=bounds.MONEY)
    risk = models.CharField(max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    is_recommended = models.BooleanField(default=False)

    objects = EvaluationOptionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(is_recommended=True),
                name="listening_one_recommended_option",
                violation_error_message="Recommend one option only.",
            ),
            *bounds.constraints(
                "listening_evaluationoption",
                numbers={"position": bounds.POSITION, "rough_cost": bounds.MONEY},
                nullable=["rough_cost"],
            ),
        ]

    def __str__(self):
        return self.title


class ListeningSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        """IT sees every session; the business sees its own unit's and the ones it attended."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_it_staff(user):
            return self
        attended = ListeningSession.business_attendees.through.objects.filter(
            listeningsession_id=OuterRef("pk"), user_id=user.pk
        )
        allowed = Q(Exists(attended))
        if user.business_unit_id:
            allowed |= Q(business_unit_id=user.business_unit_id)
        return self.filter(allowed)


class ListeningSession(AuditedModel):
    """A moment where IT listened to the business: a meeting, a day at the front line, a coffee."""

    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    title = models.CharField(
        max_length=200, help_text="e.g. 'Weekly sales meeting, region North'.", validators=bounds.SINGLE_LINE
    )
    held_on = models.DateField(default=datetime.date.today, validators=bounds.YEARS)
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="listening_sessions")
    it_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="listening_sessions_as_it"
    )
    business_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="attended_listening_sessions"
    )
    other_attendees = models.CharField(
        max_length=500, blank=True, help_text="People without a portal account, comma separated.",
        validators=bounds.SINGLE_LINE,
    )
    notes = models.TextField(blank=True, help_text="What was said, what bothers them.", validators=bounds.LONG_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ListeningSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["business_unit", "-held_on"])]
        constraints = bounds.constraints("listening_listeningsession", dates=["held_on"])

    def __str__(self):
        return f"{self.title} ({self.held_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("listening:session-detail", args=[self.pk])
