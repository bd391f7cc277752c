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
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from partnership import bounds
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

MONEY = {**bounds.MONEY_FIELD, "validators": bounds.MONEY}
LONG = {"validators": bounds.LONG_TEXT}
YEARS = {"validators": bounds.YEARS}


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


_DATETIMES = ["status_changed_at", "proposed_at", "decided_at", "business_case_confirmed_at"]


class Initiative(AuditedModel):
    """An opportunity IT creates, or a business initiative IT says "YES" to."""

    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    problem = models.TextField(help_text="What the business cannot do today, or what it loses.", **LONG)
    proposal = models.TextField(help_text="What IT proposes to build or change, and how.", **LONG)
    alternative_considered = models.TextField(
        blank=True,
        **LONG,
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
        validators=bounds.FTE,
        help_text="Full-time equivalents IT puts on it.",
    )
    start_date = models.DateField(null=True, blank=True, **YEARS)
    target_date = models.DateField(null=True, blank=True, **YEARS)
    delivered_on = models.DateField(null=True, blank=True, **YEARS)
    status = models.CharField(max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.IDEA)
    status_changed_at = models.DateTimeField(null=True, blank=True, **YEARS)
    proposed_at = models.DateTimeField(null=True, blank=True, help_text="When it was proposed for a decision.", **YEARS)
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When the CIO approved or rejected it.", **YEARS)
    closing_reason = models.TextField(blank=True, help_text="Why it was rejected or cancelled.", **LONG)
    business_case_confirmed_at = models.DateTimeField(null=True, blank=True, **YEARS)
    business_case_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    benefits_review_summary = models.TextField(blank=True, **LONG)
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
            # The sync cursor's order and `updated_after` (partnership/api/pagination.py).
            models.Index(fields=["updated_at", "id"], name="initiatives_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(target_date__isnull=True) | Q(target_date__gte=F("start_date")),
                name="initiatives_target_not_before_start",
                violation_error_message="The target date cannot be before the start.",
            ),
            *bounds.constraints(
                "initiatives_initiative",
                numbers={"one_off_cost": bounds.MONEY, "yearly_running_cost": bounds.MONEY, "fte": bounds.FTE},
                dates=["start_date", "target_date", "delivered_on"],
                datetimes=_DATETIMES,
                nullable=["start_date", "target_date", "delivered_on", *_DATETIMES],
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
    description = models.TextField(**LONG)
    probability = models.PositiveSmallIntegerField(validators=bounds.SCALE, help_text="1 (rare) to 5 (almost certain).")
    impact = models.PositiveSmallIntegerField(validators=bounds.SCALE, help_text="1 (minor) to 5 (severe).")
    score = models.PositiveSmallIntegerField(
        editable=False, validators=bounds.RISK_SCORE, help_text="Probability x impact, 1 to 25."
    )
    mitigation = models.TextField(blank=True, **LONG)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiative_risks"
    )

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            *bounds.constraints(
                "initiatives_risk",
                numbers={"probability": bounds.SCALE, "impact": bounds.SCALE, "score": bounds.RISK_SCORE},
            ),
        ]

    def __str__(self):
        return f"{self.description[:60]} ({self.score})"

    def save(self, *args, **kwargs):
        self.score = (self.probability or 0) * (self.impact or 0)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#risks"

    def clean(self):
        # The range of each is its field's validator; the score follows them.
        if isinstance(self.probability, int) and isinstance(self.impact, int):
            self.score = self.probability * self.impact


class RiskAcceptance(AuditedModel):
    """Who accepted the risk of failure of an initiative, when, and in which words.

    `highest_score` keeps the highest risk score at the time: an acceptance covers the risks
    as they were, so a worse risk added later needs a new acceptance before approval.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="risk_acceptances")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_as = models.CharField(max_length=10, choices=AcceptedAs.choices)
    accepted_at = models.DateTimeField(default=timezone.now, **YEARS)
    statement = models.TextField(help_text="In your words: which risk you accept, and why it is worth it.", **LONG)
    highest_score = models.PositiveSmallIntegerField(
        help_text="The highest risk score it covered.", validators=bounds.RISK_SCORE
    )

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["accepted_at", "id"]
        constraints = bounds.constraints(
            "initiatives_riskacceptance", numbers={"highest_score": bounds.RISK_SCORE}, datetimes=["accepted_at"]
        )

    def __str__(self):
        return f"Risk of {self.initiative} accepted by {self.accepted_by}"

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#risks"


class Milestone(AuditedModel):
    """A step of an initiative with its due date; done when `done_on` is set."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    due_on = models.DateField("due", **YEARS)
    done_on = models.DateField("done on", null=True, blank=True, **YEARS)

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]
        constraints = bounds.constraints("initiatives_milestone", dates=["due_on", "done_on"], nullable=["done_on"])

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
    description = models.TextField(help_text="e.g. 'Month-end close two days shorter'.", **LONG)
    expected_amount = models.DecimalField(
        null=True, blank=True, help_text="Optional: the yearly value in money.", **MONEY
    )
    realised = models.TextField(blank=True, help_text="What was realised, entered at the benefits review.", **LONG)
    realised_amount = models.DecimalField(null=True, blank=True, **MONEY)
    reviewed_at = models.DateTimeField(null=True, blank=True, **YEARS)

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = bounds.constraints(
            "initiatives_benefit",
            numbers={"expected_amount": bounds.MONEY, "realised_amount": bounds.MONEY},
            datetimes=["reviewed_at"],
            nullable=["expected_amount", "realised_amount", "reviewed_at"],
        )

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
    body = models.TextField(**LONG)

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
    at = models.DateTimeField(default=timezone.now, **YEARS)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    from_status = models.CharField(max_length=20, choices=InitiativeStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=InitiativeStatus.choices, blank=True)
    note = models.TextField(blank=True, **LONG)

    objects = _FollowsInitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = bounds.constraints("initiatives_decisionrecord", datetimes=["at"])

    def __str__(self):
        return f"{self.initiative}: {self.get_kind_display()}"
