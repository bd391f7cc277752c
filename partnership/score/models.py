"""Score configuration versions, daily snapshots and the business pulse."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .. import bounds
from ..audit import AuditedModel
from ..roles import is_business_manager, is_cio, is_it_staff

__all__ = ["PulseResponse", "ScoreConfig", "ScoreSnapshot"]


class ScoreConfigQuerySet(models.QuerySet):
    def for_user(self, user):
        """IT staff and the CIO read the weights and targets (only the CIO writes them)."""
        return self if is_it_staff(user) else self.none()


class ScoreConfig(AuditedModel):
    """One version of the pillar weights and indicator targets, set by the CIO.

    Versions are never edited: a change is a new version, and every snapshot records the
    version it was computed with.
    """

    version = models.PositiveIntegerField(unique=True, validators=bounds.VERSION)
    weights = models.JSONField(default=dict, blank=True, help_text="Pillar key -> weight (default 1).")
    targets = models.JSONField(default=dict, blank=True, help_text="Indicator key -> target (default: the indicator's own).")
    note = models.CharField(max_length=200, blank=True, validators=bounds.SINGLE_LINE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScoreConfigQuerySet.as_manager()

    class Meta:
        db_table = "partnership_scoreconfig"  # kept from the partnership app (no table moved)
        ordering = ["-version"]
        constraints = bounds.constraints("partnership_scoreconfig", numbers={"version": bounds.VERSION})

    def __str__(self):
        return f"Score configuration v{self.version}"

    def clean(self):
        errors = {}
        for pillar, weight in (self.weights or {}).items():
            if not isinstance(weight, (int, float)) or weight < 0 or weight > 100:
                errors["weights"] = f"The weight of {pillar} must be a number from 0 to 100."
        for key, target in (self.targets or {}).items():
            if not isinstance(target, (int, float)) or target <= 0:
                errors["targets"] = f"The target of {key} must be a positive number."
        if errors:
            raise ValidationError(errors)


class ScoreSnapshotQuerySet(models.QuerySet):
    def for_user(self, user):
        """IT staff and the CIO see every snapshot; a business manager the company's and their unit's."""
        if is_it_staff(user):
            return self
        if is_business_manager(user):
            return self.filter(models.Q(business_unit__isnull=True) | models.Q(business_unit_id=user.business_unit_id))
        return self.none()


class ScoreSnapshot(models.Model):
    """The score of one day, overall (no business unit) or for one unit, with its details."""

    date = models.DateField(db_index=True, validators=bounds.YEARS)
    business_unit = models.ForeignKey("partnership.BusinessUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    window_days = models.PositiveIntegerField(default=90, validators=bounds.WINDOW_DAYS)
    overall = models.FloatField(null=True, blank=True, validators=bounds.PERCENT)
    band = models.CharField(max_length=40, validators=bounds.SINGLE_LINE)
    pillars = models.JSONField(default=dict)
    indicators = models.JSONField(default=dict, help_text="Indicator key -> {value, score, records}.")
    config = models.ForeignKey(ScoreConfig, null=True, blank=True, on_delete=models.PROTECT, related_name="snapshots")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScoreSnapshotQuerySet.as_manager()

    class Meta:
        db_table = "partnership_scoresnapshot"  # kept from the partnership app (no table moved)
        ordering = ["date"]
        constraints = [
            # One snapshot a day per unit and window, and one overall: the task may run twice.
            models.UniqueConstraint(
                fields=["date", "business_unit", "window_days"],
                condition=models.Q(business_unit__isnull=False),
                name="score_snapshot_once_a_day_per_unit",
            ),
            models.UniqueConstraint(
                fields=["date", "window_days"],
                condition=models.Q(business_unit__isnull=True),
                name="score_snapshot_once_a_day_overall",
            ),
            *bounds.constraints(
                "partnership_scoresnapshot",
                numbers={"window_days": bounds.WINDOW_DAYS, "overall": bounds.PERCENT},
                dates=["date"],
                nullable=["overall"],
            ),
        ]

    def __str__(self):
        return f"Score {self.date} {self.business_unit or 'overall'}: {self.overall}"


class PulseResponseQuerySet(models.QuerySet):
    def for_user(self, user):
        """IT staff and the CIO see every answer; a business manager sees their own."""
        if is_it_staff(user):
            return self
        if is_business_manager(user):
            return self.filter(respondent=user)
        return self.none()


class PulseResponse(AuditedModel):
    """A business manager's quarterly view of IT: three statements rated 1 (disagree) to 5 (agree)."""

    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulse_responses")
    business_unit = models.ForeignKey("partnership.BusinessUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quarter = models.CharField(max_length=7, help_text="For example 2026-Q4.", validators=bounds.SINGLE_LINE)
    understands = models.PositiveSmallIntegerField("IT understands our problems", validators=bounds.SCALE)
    delivers = models.PositiveSmallIntegerField("IT delivers what it promises", validators=bounds.SCALE)
    partner = models.PositiveSmallIntegerField("IT is a partner, not a supplier", validators=bounds.SCALE)
    comment = models.TextField(blank=True, max_length=2000, validators=bounds.LONG_TEXT)

    objects = PulseResponseQuerySet.as_manager()

    class Meta:
        db_table = "partnership_pulseresponse"  # kept from the partnership app (no table moved)
        ordering = ["-quarter", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["respondent", "quarter"], name="pulse_once_a_quarter"),
            *bounds.constraints(
                "partnership_pulseresponse",
                numbers={"understands": bounds.SCALE, "delivers": bounds.SCALE, "partner": bounds.SCALE},
            ),
        ]

    def __str__(self):
        return f"Pulse {self.quarter} by {self.respondent}"

    @property
    def average(self) -> float:
        return (self.understands + self.delivers + self.partner) / 3


def can_edit_score_config(user) -> bool:
    return is_cio(user)
