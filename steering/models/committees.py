"""Steering committees, their meetings and decisions with measured business buy-in.

Visibility (one `for_user()` per model, used by pages, API and exports):
- a committee and everything in it (members, meetings, agenda, attendance, action items, open
  decisions) is seen by its members, IT staff and the CIO;
- a closed decision is seen by all staff (transparency).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone

from partnership import bounds
from partnership.audit import AuditedModel
from partnership.roles import Role, is_it_staff, role_names

from ..choices import (
    SUPPORTING_STANCES,
    VOTING_ROLES,
    AttendanceStatus,
    Cadence,
    DecisionStatus,
    MemberRole,
    Side,
    Stance,
    Topic,
)
from ..rules import buy_in_share, has_buy_in


def is_staff_person(user) -> bool:
    """A signed-in person of the company; an integration account alone is not one."""
    if not getattr(user, "is_authenticated", False):
        return False
    return role_names(user) != {Role.INTEGRATION_CLIENT.value}


def _member_committee_ids(user):
    return Membership.objects.filter(user=user).values("committee_id")


class CommitteeQuerySet(models.QuerySet):
    def for_user(self, user):
        """Members, IT staff and the CIO see a committee."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_it_staff(user):
            return self
        return self.filter(pk__in=_member_committee_ids(user))


class Committee(AuditedModel):
    """A steering committee on decisions that affect the whole company, with IT and business members."""

    name = models.CharField(max_length=150, unique=True, validators=bounds.SINGLE_LINE)
    scope = models.CharField(max_length=30, choices=Topic.choices, default=Topic.OTHER)
    purpose = models.TextField(
        blank=True, help_text="What the committee decides and why the business is in it.", validators=bounds.LONG_TEXT
    )
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    is_active = models.BooleanField(default=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("steering:committee-detail", args=[self.pk])

    def membership_of(self, user):
        """The user's membership, from prefetched members when available (no query then)."""
        if not getattr(user, "is_authenticated", False):
            return None
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "memberships" in cache:
            return next((m for m in cache["memberships"] if m.user_id == user.pk), None)
        return self.memberships.filter(user=user).first()


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(committee__in=Committee.objects.for_user(user).values("pk"))

    def voting(self):
        return self.filter(role__in=VOTING_ROLES)


class Membership(AuditedModel):
    """A person on a committee: from IT or the business, as chair, member or observer."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="steering_memberships")
    side = models.CharField(max_length=10, choices=Side.choices)
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        # chair, member, observer happen to sort alphabetically.
        ordering = ["committee", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "user"], name="steering_one_membership_per_user")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.get_side_display()})"

    def get_absolute_url(self):
        return self.committee.get_absolute_url()

    @property
    def is_voting(self) -> bool:
        return self.role in VOTING_ROLES

    @property
    def is_chair(self) -> bool:
        return self.role == MemberRole.CHAIR


class CommitteeContentQuerySet(models.QuerySet):
    """Content of a committee: visible to whoever sees the committee."""

    committee_path = "committee"

    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_it_staff(user):
            return self
        return self.filter(**{f"{self.committee_path}_id__in": _member_committee_ids(user)})


class MeetingQuerySet(CommitteeContentQuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")


class Meeting(AuditedModel):
    """A committee meeting: when and where, its agenda, who attended and the minutes."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    starts_at = models.DateTimeField(validators=bounds.YEARS)
    place = models.CharField(
        max_length=200, blank=True, help_text="A room, or leave empty for an online meeting.", validators=bounds.SINGLE_LINE
    )
    link = models.URLField(blank=True, help_text="A video-call link, if any.", validators=bounds.SINGLE_LINE)
    minutes = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        # starts_at alone: the "upcoming meeting" reminder looks across every committee.
        indexes = [models.Index(fields=["committee", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = bounds.constraints("steering_meeting", datetimes=["starts_at"])

    def __str__(self):
        return f"{self.committee}: {self.title}"

    def get_absolute_url(self):
        return reverse("steering:meeting-detail", args=[self.pk])

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at).date()


class AgendaItemQuerySet(CommitteeContentQuerySet):
    committee_path = "meeting__committee"


class AgendaItem(AuditedModel):
    """One point on a meeting's agenda."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(default=0, validators=bounds.POSITION)
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True, validators=bounds.LONG_TEXT)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = bounds.constraints("steering_agendaitem", numbers={"order": bounds.POSITION})

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class AttendanceQuerySet(CommitteeContentQuerySet):
    committee_path = "meeting__committee"


class Attendance(AuditedModel):
    """Whether one committee member was present at, excused from or absent from a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "member__role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="steering_one_attendance_per_member")]
        verbose_name_plural = "attendance"

    def __str__(self):
        return f"{self.member.user} {self.get_status_display().lower()} at {self.meeting}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class ActionItemQuerySet(CommitteeContentQuerySet):
    committee_path = "meeting__committee"

    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class ActionItem(AuditedModel):
    """Something a meeting asked someone to do by a date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="steering_action_items")
    due_date = models.DateField(validators=bounds.YEARS)
    done_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    notes = models.TextField(blank=True, validators=bounds.LONG_TEXT)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["done_at", "due_date"])]
        constraints = bounds.constraints(
            "steering_actionitem", dates=["due_date"], datetimes=["done_at"], nullable=["done_at"]
        )

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    def clean(self):
        if self.meeting_id and self.due_date and self.due_date < self.meeting.local_date:
            raise ValidationError({"due_date": "An action item cannot be due before its meeting."})

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_date < timezone.localdate()


class DecisionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Committee content, except that a closed decision is visible to all staff."""
        if not is_staff_person(user):
            return self.none()
        if is_it_staff(user):
            return self
        return self.filter(Q(status=DecisionStatus.CLOSED) | Q(committee_id__in=_member_committee_ids(user)))

    def with_buy_in(self, share=None):
        """Annotate the business positions, how many support, and `has_buy_in` (the rule of rules.py).

        The counts are aggregates over the positions join, so do not add other to-many joins
        to the same queryset: filter through `pk__in` subqueries instead.
        """
        share = buy_in_share() if share is None else share
        business = Q(positions__member__side=Side.BUSINESS)
        return self.annotate(
            business_positions=Count("positions", filter=business),
            business_support=Count("positions", filter=business & Q(positions__stance__in=SUPPORTING_STANCES)),
            business_dissent=Count(
                "positions", filter=business & Q(positions__stance__in=[Stance.OPPOSE, Stance.SUPPORT_WITH_CONCERNS])
            ),
        ).annotate(
            has_buy_in=Case(
                When(
                    Q(business_positions__gt=0)
                    & GreaterThanOrEqual(
                        F("business_support") * Value(share.denominator),
                        F("business_positions") * Value(share.numerator),
                    ),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def review_due(self, today=None, notice_days=None):
        """Closed decisions whose review date has come or comes within the notice period."""
        today = today or timezone.localdate()
        notice_days = settings.STEERING_REVIEW_NOTICE_DAYS if notice_days is None else notice_days
        return self.filter(
            status=DecisionStatus.CLOSED, review_date__lte=today + datetime.timedelta(days=notice_days)
        )


class Decision(AuditedModel):
    """A decision that affects the company, proposed to a committee; its members state positions."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions",
        help_text="The meeting where it was proposed, if any.",
    )
    title = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    topic = models.CharField(max_length=30, choices=Topic.choices, default=Topic.OTHER)
    context = models.TextField(help_text="Why a decision is needed, and what it affects.", validators=bounds.LONG_TEXT)
    options = models.TextField(
        "Options considered", blank=True, help_text="The options weighed, with pros and cons.",
        validators=bounds.LONG_TEXT,
    )
    outcome = models.TextField(
        blank=True, help_text="What was decided; required when the decision is closed.", validators=bounds.LONG_TEXT
    )
    status = models.CharField(max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateField(null=True, blank=True, validators=bounds.YEARS)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_date = models.DateField(
        null=True, blank=True, help_text="When the decision should be looked at again.", validators=bounds.YEARS
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "decided_at"]), models.Index(fields=["review_date"])]
        constraints = bounds.constraints(
            "steering_decision", dates=["decided_at", "review_date"], nullable=["decided_at", "review_date"]
        )

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("steering:decision-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.meeting_id and self.committee_id and self.meeting.committee_id != self.committee_id:
            errors["meeting"] = "The meeting belongs to another committee."
        if self.status == DecisionStatus.CLOSED and not self.outcome.strip():
            errors["outcome"] = "Record the outcome before closing the decision."
        if self.review_date and self.decided_at and self.review_date < self.decided_at:
            errors["review_date"] = "The review date cannot be before the decision date."
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status == DecisionStatus.OPEN

    def buy_in(self) -> bool | None:
        """Business buy-in, from the annotation when present, else from (prefetched) positions."""
        if hasattr(self, "business_positions"):
            positions, supporting = self.business_positions, self.business_support
        else:
            business = [p for p in self.positions.all() if p.member.side == Side.BUSINESS]
            positions = len(business)
            supporting = sum(1 for p in business if p.stance in SUPPORTING_STANCES)
        return has_buy_in(business_supporting=supporting, business_positions=positions)


class PositionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(decision__in=Decision.objects.for_user(user).values("pk"))


class Position(AuditedModel):
    """A voting member's position on a decision, with a comment. Dissent stays on record."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="positions")
    stance = models.CharField(max_length=30, choices=Stance.choices)
    comment = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    recorded_at = models.DateTimeField(default=timezone.now, validators=bounds.YEARS)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "member__side", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="steering_one_position_per_member"),
            *bounds.constraints("steering_position", datetimes=["recorded_at"]),
        ]

    def __str__(self):
        return f"{self.member.user}: {self.get_stance_display()} on {self.decision}"

    def get_absolute_url(self):
        return self.decision.get_absolute_url()

    @property
    def is_dissent(self) -> bool:
        return self.stance in (Stance.OPPOSE, Stance.SUPPORT_WITH_CONCERNS)
