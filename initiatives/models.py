"""Models of the initiatives app: opportunities IT creates and business initiatives IT says
"YES" to, with their costs, risks and the acceptance of the risk of failure, the less
traditional alternative that made "YES" possible, milestones, benefits and the decision record.

Visibility (one rule, used by every page, API endpoint and export through `for_user`):
- IT staff, the CIO and superusers see every initiative;
- a business manager sees the initiatives that concern their business unit and the ones they
  sponsor, whatever their status;
- every signed-in user sees every initiative that is approved or later (approved, in progress,
  delivered, benefits reviewed): a "YES" is news for the whole company;
- risks, acceptances, milestones, benefits, comments and the decision record follow their
  initiative.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from partnership.audit import AuditedModel
from partnership.models import BusinessUnit
from partnership.roles import is_it_staff

from .choices import (
    APPROVED_OR_LATER,
    OPEN_STATUSES,
    STATUS_BADGES,
    UNDECIDED_STATUSES,
    AcceptedAs,
    DecisionKind,
    InitiativeStatus,
    Origin,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class InitiativeQuerySet(models.QuerySet):
    def for_user(self, user):
        """See the module docstring: IT sees all; the business its units', its sponsored ones
        and every approved-or-later one."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_it_staff(user):
            return self
        allowed = Q(status__in=APPROVED_OR_LATER) | Q(sponsor_id=user.pk)
        if user.business_unit_id:
            concerned = Initiative.business_units.through.objects.filter(
                initiative_id=OuterRef("pk"), businessunit_id=user.business_unit_id
            )
            allowed |= Q(Exists(concerned))
        return self.filter(allowed)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def concerning(self, business_unit):
        """Initiatives that concern a business unit (an Exists, so rows never multiply)."""
        unit_id = getattr(business_unit, "pk", business_unit)
        concerned = Initiative.business_units.through.objects.filter(
            initiative_id=OuterRef("pk"), businessunit_id=unit_id
        )
        return self.filter(Exists(concerned))


class Initiative(AuditedModel):
    """An opportunity IT creates, or a business initiative IT says "YES" to."""

    title = models.CharField(max_length=200)
    problem = models.TextField(help_text="What the business cannot do today, or what it loses.")
    proposal = models.TextField(help_text="What IT proposes to build or change, and how.")
    alternative_considered = models.TextField(
        blank=True,
        help_text="The less traditional concept that makes “YES” possible (cloud instead of a new "
        "server cluster, a pilot, a partner...), and why.",
    )
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.IT_PROPOSED)
    pain_points = models.ManyToManyField(
        "listening.PainPoint",
        blank=True,
        related_name="initiatives",
        help_text="The pain points it answers; they are planned when it is approved.",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_initiatives",
        help_text="The business manager who sponsors it and confirms the business case.",
    )
    it_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_initiatives",
        verbose_name="IT owner",
    )
    business_units = models.ManyToManyField(
        BusinessUnit, blank=True, related_name="initiatives", help_text="The business units concerned."
    )
    one_off_cost = models.DecimalField("one-off cost", default=Decimal("0"), help_text="Investment, once.", **MONEY)
    yearly_running_cost = models.DecimalField(default=Decimal("0"), help_text="Licences, hosting, support a year.", **MONEY)
    fte = models.DecimalField(
        "people (FTE)",
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Full-time equivalents IT puts on it.",
    )
    start_date = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.IDEA)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True, help_text="When it was proposed for a decision.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When the CIO approved or rejected it.")
    closing_reason = models.TextField(blank=True, help_text="Why it was rejected or cancelled.")
    business_case_confirmed_at = models.DateTimeField(null=True, blank=True)
    business_case_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    benefits_review_summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "target_date"]),
            models.Index(fields=["decided_at"]),
            models.Index(fields=["proposed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(one_off_cost__gte=0) & Q(yearly_running_cost__gte=0) & Q(fte__gte=0),
                name="initiatives_costs_not_negative",
                violation_error_message="Costs and people cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(target_date__isnull=True) | Q(target_date__gte=F("start_date")),
                name="initiatives_target_not_before_start",
                violation_error_message="The target date cannot be before the start.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.target_date and self.target_date < self.start_date:
            errors["target_date"] = "The target date cannot be before the start."
        if self.start_date and self.delivered_on and self.delivered_on < self.start_date:
            errors["delivered_on"] = "It cannot be delivered before it started."
        for name in ("one_off_cost", "yearly_running_cost", "fte"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = "Cannot be negative."
        if self.status in (InitiativeStatus.REJECTED, InitiativeStatus.CANCELLED) and not self.closing_reason.strip():
            errors["closing_reason"] = "Say why: the sponsor and the owner will read it."
        if errors:
            raise ValidationError(errors)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-secondary")

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_late(self) -> bool:
        """Past its target date and not delivered."""
        return self.is_open and self.target_date is not None and self.target_date < timezone.localdate()

    @property
    def delivered_on_time(self) -> bool | None:
        if self.delivered_on is None or self.target_date is None:
            return None
        return self.delivered_on <= self.target_date

    @property
    def business_case_confirmed(self) -> bool:
        return self.business_case_confirmed_at is not None

    @property
    def three_year_cost(self) -> Decimal:
        """One-off cost plus three years of running cost: the figure a board compares."""
        return self.one_off_cost + 3 * self.yearly_running_cost


class _FollowsInitiativeQuerySet(models.QuerySet):
    """Rows that belong to an initiative are visible to whoever sees the initiative."""

    def for_user(self, user):
        return self.filter(initiative__in=Initiative.objects.for_user(user))


class Risk(AuditedModel):
    """A risk of failure of an initiative: probability x impact on a 1-5 scale each."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    probability = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE, help_text="1 (rare) to 5 (almost certain).")
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE, help_text="1 (minor) to 5 (severe).")
    score = models.PositiveSmallIntegerField(editable=False, help_text="Probability x impact, 1 to 25.")
    mitigation = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiative_risks"
    )

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=5, impact__gte=1, impact__lte=5),
                name="initiatives_risk_1_to_5",
                violation_error_message="Probability and impact go from 1 to 5.",
            )
        ]

    def __str__(self):
        return f"{self.description[:60]} ({self.score})"

    def save(self, *args, **kwargs):
        self.score = (self.probability or 0) * (self.impact or 0)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#risks"

    def clean(self):
        errors = {}
        for name in ("probability", "impact"):
            value = getattr(self, name)
            if value is None or not 1 <= value <= 5:
                errors[name] = f"The {name} goes from 1 to 5."
        if errors:
            raise ValidationError(errors)
        self.score = self.probability * self.impact


class RiskAcceptance(AuditedModel):
    """Who accepted the risk of failure of an initiative, when, and in which words.

    `highest_score` keeps the highest risk score at the time: an acceptance covers the risks
    as they were, so a worse risk added later needs a new acceptance before approval.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="risk_acceptances")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_as = models.CharField(max_length=10, choices=AcceptedAs.choices)
    accepted_at = models.DateTimeField(default=timezone.now)
    statement = models.TextField(help_text="In your words: which risk you accept, and why it is worth it.")
    highest_score = models.PositiveSmallIntegerField(help_text="The highest risk score it covered.")

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["accepted_at", "id"]

    def __str__(self):
        return f"Risk of {self.initiative} accepted by {self.accepted_by}"

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#risks"


class Milestone(AuditedModel):
    """A step of an initiative with its due date; done when `done_on` is set."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField("due")
    done_on = models.DateField("done on", null=True, blank=True)

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self):
        return f"{self.title} ({self.due_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#milestones"

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()

    @property
    def done_on_time(self) -> bool | None:
        return None if self.done_on is None else self.done_on <= self.due_on


class Benefit(AuditedModel):
    """A benefit expected of an initiative and, after the benefits review, what was realised."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="benefits")
    description = models.TextField(help_text="e.g. 'Month-end close two days shorter'.")
    expected_amount = models.DecimalField(
        null=True, blank=True, help_text="Optional: the yearly value in money.", **MONEY
    )
    realised = models.TextField(blank=True, help_text="What was realised, entered at the benefits review.")
    realised_amount = models.DecimalField(null=True, blank=True, **MONEY)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#benefits"


class InitiativeComment(AuditedModel):
    """A remark on an initiative: the sponsor's view of the business case, IT's answers."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="initiative_comments"
    )
    body = models.TextField()

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Comment by {self.author} on {self.initiative}"

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#comments"


class DecisionRecord(AuditedModel):
    """One entry of an initiative's decision record: who decided what, when, and why."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="decisions")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    from_status = models.CharField(max_length=20, choices=InitiativeStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=InitiativeStatus.choices, blank=True)
    note = models.TextField(blank=True)

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.initiative}: {self.get_kind_display()}"
