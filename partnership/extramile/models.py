"""Models of "Take the extra mile" (the extramile app; the tables keep their partnership_ names).

Links to the pillar apps:
- an action's subject is a generic relation (`subject_type` + `subject_id`, limited to pain points,
  initiatives and revenue projects), or an external ticket reference;
- a check-in, a repeated-problem suggestion and a survey name their pain point by a foreign key
  (`pain_point`), so this app's migrations depend on listening's.

Visibility (`for_user`, used by every page, endpoint and export):
- IT staff, the CIO and superusers see everything;
- an action: its recipients and the members of its business unit;
- a maintenance window: its key users and the members of the units it affected;
- a check-in: its key user and the members of the key user's unit;
- a survey: its respondent only, while they may see its pain point;
- a repeated-problem suggestion: IT only.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from .. import bounds
from ..audit import AuditedModel
from ..roles import is_it_staff
from .choices import (
    ActionKind,
    ActionStatus,
    CheckInStatus,
    SuggestionStatus,
    SuggestionTrigger,
    SurveyRole,
)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


class ExtraMileActionQuerySet(models.QuerySet):
    def for_user(self, user):
        """IT sees every action; the business sees its unit's actions and those addressed to it."""
        if not _signed_in(user):
            return self.none()
        if is_it_staff(user):
            return self
        addressed = ExtraMileAction.recipients.through.objects.filter(extramileaction_id=OuterRef("pk"), user_id=user.pk)
        allowed = Q(Exists(addressed))
        if user.business_unit_id:
            allowed |= Q(business_unit_id=user.business_unit_id)
        return self.filter(allowed)

    def done(self):
        return self.filter(status=ActionStatus.DONE)


class ExtraMileAction(AuditedModel):
    """Something IT did beyond the request, for whom, with what effort, and after what."""

    kind = models.CharField(max_length=30, choices=ActionKind.choices)
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    description = models.TextField(
        blank=True, help_text="What was done beyond the request, in a sentence or two.", validators=bounds.LONG_TEXT
    )
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.DONE, db_index=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="extra_mile_actions", verbose_name="performed by"
    )
    performed_on = models.DateField(
        default=timezone.localdate, verbose_name="date", help_text="When it was done (or is planned, for a planned action).",
        validators=bounds.YEARS,
    )
    effort_hours = models.DecimalField(
        max_digits=6, decimal_places=1, default=0, validators=bounds.EFFORT_HOURS,
        verbose_name="effort (hours)",
    )
    business_unit = models.ForeignKey("partnership.BusinessUnit", on_delete=models.PROTECT, related_name="extra_mile_actions")
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="received_extra_mile_actions",
        help_text="The business people it was done for; they are asked to confirm and rate it.",
    )
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True, validators=bounds.ID)
    subject = GenericForeignKey("subject_type", "subject_id")
    external_ref = models.CharField(
        max_length=200, blank=True, verbose_name="external ticket", help_text="A ticket it followed, e.g. 'JIRA-1234'.",
        validators=bounds.SINGLE_LINE,
    )
    evidence_url = models.URLField(max_length=500, blank=True, verbose_name="evidence link", validators=bounds.SINGLE_LINE)

    objects = ExtraMileActionQuerySet.as_manager()

    class Meta:
        db_table = "partnership_extramileaction"  # kept from the partnership app (no table moved)
        ordering = ["-performed_on", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            # The sync cursor's order and `updated_after` (partnership/api/pagination.py).
            models.Index(fields=["updated_at", "id"], name="extramile_action_updated_idx"),
            models.Index(fields=["business_unit", "performed_on"]),
            models.Index(fields=["performed_by", "performed_on"]),
            # The rating reminder: done actions by date.
            models.Index(fields=["performed_on"], condition=Q(status="done"), name="extramile_action_done_idx"),
        ]
        constraints = bounds.constraints(
            "partnership_extramileaction",
            numbers={"effort_hours": bounds.EFFORT_HOURS, "subject_id": bounds.ID},
            dates=["performed_on"],
            nullable=["subject_id"],
        )

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("extramile:action-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if (self.subject_type_id is None) != (self.subject_id is None):
            errors["subject"] = "Name both the kind of subject and which one it is."
        if self.subject_type_id and self.external_ref.strip():
            errors["external_ref"] = "Name either a portal subject or an external ticket, not both."
        if errors:
            raise ValidationError(errors)

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    # What an action followed is shown through partnership.visibility.reference_to(reader, action,
    # "subject") only (never the raw `subject`, which ignores the reader); lists prefetch it with
    # selectors.action_annotate.


class ExtraMileRatingQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(action__in=ExtraMileAction.objects.for_user(user))


class ExtraMileRating(AuditedModel):
    """A recipient's confirmation of an action, with a rating from 1 to 5 and a comment."""

    action = models.ForeignKey(ExtraMileAction, on_delete=models.CASCADE, related_name="ratings")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extra_mile_ratings")
    rating = models.PositiveSmallIntegerField(validators=bounds.SCALE)
    comment = models.TextField(blank=True, validators=bounds.LONG_TEXT)

    objects = ExtraMileRatingQuerySet.as_manager()

    class Meta:
        db_table = "partnership_extramilerating"  # kept from the partnership app (no table moved)
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "rated_by"],
                name="extramile_rating_once_per_recipient",
                violation_error_message="You already rated this action.",
            ),
            *bounds.constraints("partnership_extramilerating", numbers={"rating": bounds.SCALE}),
        ]

    def __str__(self):
        return f"{self.rated_by} rated {self.action}: {self.rating}"


class MaintenanceWindowQuerySet(models.QuerySet):
    def for_user(self, user):
        """IT sees every window; the business sees those it is a key user of or its unit was hit by."""
        if not _signed_in(user):
            return self.none()
        if is_it_staff(user):
            return self
        keyed = MaintenanceWindow.key_users.through.objects.filter(maintenancewindow_id=OuterRef("pk"), user_id=user.pk)
        allowed = Q(Exists(keyed))
        if user.business_unit_id:
            hit = MaintenanceWindow.business_units.through.objects.filter(
                maintenancewindow_id=OuterRef("pk"), businessunit_id=user.business_unit_id
            )
            allowed |= Q(Exists(hit))
        return self.filter(allowed)


class MaintenanceWindow(AuditedModel):
    """Planned downtime of a system; once it ends, its key users are asked whether all runs."""

    system = models.CharField(
        max_length=200, help_text="e.g. 'SAP ERP' or 'CRM and web shop'.", validators=bounds.SINGLE_LINE
    )
    description = models.TextField(
        blank=True, help_text="What was done, and what users might notice.", validators=bounds.LONG_TEXT
    )
    starts_at = models.DateTimeField(verbose_name="start", validators=bounds.YEARS)
    ends_at = models.DateTimeField(verbose_name="end", validators=bounds.YEARS)
    business_units = models.ManyToManyField(
        "partnership.BusinessUnit", related_name="maintenance_windows", verbose_name="business units affected"
    )
    key_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="maintenance_windows_as_key_user",
        help_text="Each gets a check-in when the window has ended.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_ins_created_at = models.DateTimeField(
        null=True, blank=True, help_text="When the check-ins were created (empty until the window has ended).",
        validators=bounds.YEARS,
    )

    objects = MaintenanceWindowQuerySet.as_manager()

    class Meta:
        db_table = "partnership_maintenancewindow"  # kept from the partnership app (no table moved)
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["ends_at"], condition=Q(check_ins_created_at__isnull=True), name="extramile_window_due_idx")]
        constraints = bounds.constraints(
            "partnership_maintenancewindow",
            datetimes=["starts_at", "ends_at", "check_ins_created_at"],
            nullable=["check_ins_created_at"],
        )

    def __str__(self):
        return f"{self.system} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("extramile:window-detail", args=[self.pk])

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The window must end after it starts."})

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()


class CheckInQuerySet(models.QuerySet):
    def for_user(self, user):
        """IT sees every check-in; the business sees its own and those of its unit's key users."""
        if not _signed_in(user):
            return self.none()
        if is_it_staff(user):
            return self
        allowed = Q(key_user=user)
        if user.business_unit_id:
            allowed |= Q(key_user__business_unit_id=user.business_unit_id)
        return self.filter(allowed)

    def pending(self):
        return self.filter(status=CheckInStatus.PENDING)

    def overdue(self, now=None):
        return self.pending().filter(due_at__lt=now or timezone.now())


class CheckIn(AuditedModel):
    """After a maintenance window, one key user's answer: do the systems run correctly?

    Unique per (window, key user): the task that creates check-ins may run twice, or in two
    workers at once, and still creates each check-in once.
    """

    window = models.ForeignKey(MaintenanceWindow, on_delete=models.CASCADE, related_name="check_ins")
    key_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    due_at = models.DateTimeField(
        help_text="Answer by then; EXTRAMILE_CHECKIN_DUE_HOURS after the window ended.", validators=bounds.YEARS
    )
    status = models.CharField(max_length=10, choices=CheckInStatus.choices, default=CheckInStatus.PENDING, db_index=True)
    systems_ok = models.BooleanField(null=True, blank=True, verbose_name="systems running correctly")
    problem = models.TextField(blank=True, verbose_name="what is wrong", validators=bounds.LONG_TEXT)
    answered_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The key user, or IT answering on their behalf after a call.",
    )
    # SET_NULL: the key user's answer stays on record when the pain point it raised is deleted.
    pain_point = models.ForeignKey(
        "listening.PainPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins",
        help_text="The pain point a 'no' created.",
    )
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the key user was asked.", validators=bounds.YEARS
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        db_table = "partnership_checkin"  # kept from the partnership app (no table moved)
        ordering = ["due_at", "id"]
        verbose_name = "check-in"
        constraints = [
            models.UniqueConstraint(fields=["window", "key_user"], name="extramile_checkin_once_per_key_user"),
            *bounds.constraints(
                "partnership_checkin",
                datetimes=["due_at", "answered_at", "notified_at"],
                nullable=["answered_at", "notified_at"],
            ),
        ]
        indexes = [models.Index(fields=["due_at"], condition=Q(status="pending"), name="extramile_checkin_pending_idx")]

    def __str__(self):
        return f"Check-in of {self.key_user} after {self.window.system}"

    def get_absolute_url(self):
        return reverse("extramile:checkin-detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == CheckInStatus.PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.due_at < timezone.now()

    @property
    def answered_on_time(self) -> bool | None:
        return None if self.answered_at is None else self.answered_at <= self.due_at


class SuggestionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Proposals to IT: IT only."""
        return self if is_it_staff(user) else self.none()


class ProblemSuggestion(AuditedModel):
    """The portal's proposal to write a manual or FAQ, or to offer a training, for a repeated
    problem: N pain points of one category and unit resolved within a few weeks, or one pain point
    with many votes. `key` makes each proposal once (the refresh runs periodically)."""

    key = models.CharField(max_length=100, unique=True, validators=bounds.SINGLE_LINE)
    trigger = models.CharField(max_length=20, choices=SuggestionTrigger.choices)
    business_unit = models.ForeignKey("partnership.BusinessUnit", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(
        max_length=20, help_text="The pain points' category (listening).", validators=bounds.SINGLE_LINE
    )
    # SET_NULL: IT's decision on the proposal (and its evidence) stays when the pain point goes.
    pain_point = models.ForeignKey(
        "listening.PainPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeat_suggestions",
        help_text="The pain point with many votes.",
    )
    evidence = models.JSONField(default=list, help_text="Primary keys of the pain points behind the proposal.")
    proposed_kind = models.CharField(max_length=30, choices=ActionKind.choices, default=ActionKind.MANUAL_FAQ)
    reason = models.CharField(max_length=300, validators=bounds.SINGLE_LINE)
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    dismiss_reason = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    action = models.OneToOneField(
        ExtraMileAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestion",
        help_text="The planned action created when IT accepted the proposal.",
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        db_table = "partnership_problemsuggestion"  # kept from the partnership app (no table moved)
        ordering = ["-created_at", "-id"]
        constraints = bounds.constraints("partnership_problemsuggestion", datetimes=["decided_at"], nullable=["decided_at"])

    def __str__(self):
        return self.reason

    def get_absolute_url(self):
        return reverse("extramile:suggestion-detail", args=[self.pk])


class SurveyQuerySet(models.QuerySet):
    def for_user(self, user):
        """A survey is seen by the person asked while they may see its pain point; IT sees them all."""
        if not _signed_in(user):
            return self.none()
        if is_it_staff(user):
            return self
        pain_points = self.model.pain_point.field.related_model.objects.for_user(user)
        return self.filter(Exists(pain_points.filter(pk=OuterRef("pain_point_id"))), respondent=user)

    def answered(self):
        return self.filter(answered_at__isnull=False)


class ResolutionSurvey(AuditedModel):
    """After a pain point is resolved: its submitter and voters rate the result from 1 to 5.

    Unique per (pain point, respondent), so the task that creates surveys may run again freely.
    """

    # CASCADE: a survey is about its pain point and means nothing without it.
    pain_point = models.ForeignKey("listening.PainPoint", on_delete=models.CASCADE, related_name="resolution_surveys")
    business_unit = models.ForeignKey(
        "partnership.BusinessUnit", on_delete=models.CASCADE, related_name="+", help_text="The pain point's unit."
    )
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resolution_surveys")
    role = models.CharField(max_length=10, choices=SurveyRole.choices)
    resolved_at = models.DateTimeField(validators=bounds.YEARS)
    due_at = models.DateTimeField(help_text="Answers are taken until then.", validators=bounds.YEARS)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, validators=bounds.SCALE)
    comment = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    answered_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    notified_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        db_table = "partnership_resolutionsurvey"  # kept from the partnership app (no table moved)
        ordering = ["-resolved_at", "-id"]
        verbose_name = "post-resolution survey"
        # The survey reminder: unanswered surveys by deadline.
        indexes = [models.Index(fields=["due_at"], condition=Q(answered_at__isnull=True), name="extramile_survey_open_idx")]
        constraints = [
            models.UniqueConstraint(fields=["pain_point", "respondent"], name="extramile_survey_once_per_person"),
            *bounds.constraints(
                "partnership_resolutionsurvey",
                numbers={"rating": bounds.SCALE},
                datetimes=["resolved_at", "due_at", "answered_at", "notified_at"],
                nullable=["rating", "answered_at", "notified_at"],
            ),
        ]

    def __str__(self):
        return f"Survey of {self.respondent} on pain point {self.pain_point_id}"

    def get_absolute_url(self):
        return reverse("extramile:survey-detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_closed(self) -> bool:
        return self.due_at < timezone.now()


__all__ = ["ExtraMileAction", "ExtraMileRating", "MaintenanceWindow", "CheckIn", "ProblemSuggestion", "ResolutionSurvey"]
