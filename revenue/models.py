"""Models of the revenue app: projects IT sponsors that directly make money, and their revenue."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from partnership import bounds
from partnership.audit import AuditedModel
from partnership.models import BusinessUnit
from partnership.roles import is_it_staff

from .choices import STAGE_ORDER, Category, Stage, next_stage

MONEY = {**bounds.MONEY_FIELD, "validators": bounds.MONEY}
YEARS = {"validators": bounds.YEARS}
LONG = {"validators": bounds.LONG_TEXT}
_DATES = ["stage_changed_on", "executed_on", "accepted_on", "revenue_expected_from"]


class RevenueProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        """IT staff and the CIO see every project; business people see their units' projects
        and the projects they are a business partner of."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_it_staff(user):
            return self
        # Exists() rather than a join: no duplicate rows, and aggregates stay correct.
        partner_rows = RevenueProject.business_partners.through.objects.filter(
            revenueproject=OuterRef("pk"), user_id=user.pk
        )
        condition = Exists(partner_rows)
        if user.business_unit_id:
            unit_rows = RevenueProject.business_units.through.objects.filter(
                revenueproject=OuterRef("pk"), businessunit_id=user.business_unit_id
            )
            condition = condition | Exists(unit_rows)
        return self.filter(condition)

    def active(self):
        return self.exclude(stage=Stage.ABANDONED)


class RevenueProject(AuditedModel):
    """A project sponsored and executed by IT that directly makes money: a new payment method,
    customer loyalty, a digital product for direct sale. It walks identify -> develop ->
    acceptance -> execute -> support one stage at a time, or is abandoned with a reason."""

    name = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    category = models.CharField(max_length=30, choices=Category.choices, default=Category.OTHER)
    description = models.TextField(blank=True, help_text="What it sells, to whom, and why IT runs it.", **LONG)
    it_sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sponsored_revenue_projects",
        verbose_name="IT sponsor",
    )
    it_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_revenue_projects",
        verbose_name="IT lead",
    )
    business_partners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="revenue_partnerships"
    )
    business_units = models.ManyToManyField(BusinessUnit, related_name="revenue_projects")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDENTIFY, db_index=True)
    stage_changed_on = models.DateField(help_text="When the project entered its current stage.", **YEARS)
    executed_on = models.DateField(
        null=True, blank=True, db_index=True, help_text="When the project reached execute (the yearly commitment).",
        **YEARS,
    )
    abandoned_reason = models.TextField(blank=True, **LONG)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revenue_acceptances",
        help_text="The business manager who accepted the project.",
    )
    accepted_on = models.DateField(null=True, blank=True, **YEARS)
    acceptance_statement = models.TextField(blank=True, **LONG)
    investment = models.DecimalField(**MONEY, default=Decimal("0"), help_text="One-off investment.")
    yearly_running_cost = models.DecimalField(**MONEY, default=Decimal("0"))
    expected_yearly_revenue = models.DecimalField(**MONEY, default=Decimal("0"))
    revenue_expected_from = models.DateField(
        null=True,
        blank=True,
        **YEARS,
        help_text="First month with expected revenue and running cost. Empty: the month the project reached execute.",
    )

    objects = RevenueProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        # The sync cursor's order and `updated_after` (partnership/api/pagination.py).
        indexes = [models.Index(fields=["updated_at", "id"], name="revenue_project_updated_idx")]
        constraints = bounds.constraints(
            "revenue_revenueproject",
            numbers=dict.fromkeys(("investment", "yearly_running_cost", "expected_yearly_revenue"), bounds.MONEY),
            dates=_DATES,
            nullable=_DATES[1:],
        )

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("revenue:project-detail", args=[self.pk])

    @property
    def next_stage(self) -> str | None:
        return next_stage(self.stage)

    @property
    def next_stage_label(self) -> str:
        following = next_stage(self.stage)
        return Stage(following).label if following else ""

    @property
    def is_accepted(self) -> bool:
        return self.accepted_by_id is not None and self.accepted_on is not None

    @property
    def plan_start(self):
        """The first month of the plan: expected revenue and running cost count from it."""
        start = self.revenue_expected_from or self.executed_on
        return start.replace(day=1) if start else None

    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage) if self.stage in STAGE_ORDER else -1


class RevenueStageChangeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(project__in=RevenueProject.objects.for_user(user))


class RevenueStageChange(AuditedModel):
    """One move of a project from a stage to another, with its date: the stage history."""

    project = models.ForeignKey(RevenueProject, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_on = models.DateField(db_index=True, **YEARS)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, **LONG)

    objects = RevenueStageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_on", "id"]
        constraints = bounds.constraints("revenue_revenuestagechange", dates=["changed_on"])

    def __str__(self):
        return f"{self.project}: {self.get_from_stage_display() or 'new'} → {self.get_to_stage_display()}"


class RevenueEntryQuerySet(models.QuerySet):
    def for_user(self, user):
        """An entry is seen by whoever may see its project."""
        if is_it_staff(user):
            return self
        return self.filter(project__in=RevenueProject.objects.for_user(user))


class RevenueEntry(AuditedModel):
    """The revenue a project realised in one month. One per project and month; a correction is
    an edit, kept in the audit trail."""

    project = models.ForeignKey(RevenueProject, on_delete=models.CASCADE, related_name="entries")
    month = models.DateField(help_text="The first day of the month the revenue was realised in.", **YEARS)
    amount = models.DecimalField(
        **bounds.MONEY_FIELD, validators=bounds.SIGNED_MONEY, help_text="Negative for a month of refunds or chargebacks."
    )
    note = models.CharField(max_length=300, blank=True, validators=bounds.SINGLE_LINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RevenueEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "id"]
        verbose_name_plural = "revenue entries"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="revenue_entry_one_per_project_and_month",
                violation_error_message="This project already has revenue recorded for that month; edit it instead.",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="revenue_entry_month_is_first_day"),
            *bounds.constraints("revenue_revenueentry", numbers={"amount": bounds.SIGNED_MONEY}, dates=["month"]),
        ]

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m}: {self.amount}"

    def get_absolute_url(self):
        return f"{self.project.get_absolute_url()}#entries"
