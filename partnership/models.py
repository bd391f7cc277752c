"""Business units, people, API tokens and the audit trail."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import bounds
from .audit import AuditAction, AuditedModel
from .roles import is_cio, is_it_staff


class BusinessUnitQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every signed-in user may see the list of business units (names are not secret)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self


class BusinessUnit(AuditedModel):
    """A part of the company that IT partners with: Sales, Finance, Operations..."""

    name = models.CharField(max_length=100, unique=True, validators=bounds.SINGLE_LINE)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, validators=bounds.LONG_TEXT)
    is_active = models.BooleanField(default=True)

    objects = BusinessUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_delivered_url(self):
        """The page "What IT delivered for <unit>" (partnership/delivered.py)."""
        return reverse("delivered-unit", args=[self.slug])


class User(AbstractUser):
    """A person using the portal. Business people belong to one business unit."""

    business_unit = models.ForeignKey(
        BusinessUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="Required for business managers; IT staff may leave it empty.",
    )
    job_title = models.CharField(max_length=120, blank=True, validators=bounds.SINGLE_LINE)
    # Django's own fields, again with the portal's bounds.
    first_name = models.CharField("first name", max_length=150, blank=True, validators=bounds.SINGLE_LINE)
    last_name = models.CharField("last name", max_length=150, blank=True, validators=bounds.SINGLE_LINE)
    email = models.EmailField("email address", blank=True, validators=bounds.SINGLE_LINE)
    date_joined = models.DateTimeField("date joined", default=timezone.now, validators=bounds.YEARS)
    last_login = models.DateTimeField("last login", blank=True, null=True, validators=bounds.YEARS)
    # "Since your last visit" on the home page: the visit going on, and the one before it.
    home_visited_at = models.DateTimeField(
        blank=True, null=True, validators=bounds.YEARS, help_text="When the current visit of the home page began."
    )
    previous_home_visited_at = models.DateTimeField(
        blank=True, null=True, validators=bounds.YEARS, help_text="When the previous visit of the home page began."
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = bounds.constraints(
            "partnership_user",
            datetimes=["date_joined", "last_login", "home_visited_at", "previous_home_visited_at"],
            nullable=["last_login", "home_visited_at", "previous_home_visited_at"],
        )

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_cio(self) -> bool:
        return is_cio(self)

    @property
    def is_it_staff(self) -> bool:
        return is_it_staff(self)


class AuditLogEntryQuerySet(models.QuerySet):
    def for_object(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
            object_id=str(instance.pk),
        ).select_related("actor", "content_type")

    def for_user(self, user):
        """The full change log is for IT leadership and admins."""
        if is_cio(user) or getattr(user, "is_staff", False):
            return self
        return self.none()


class AuditLogEntry(models.Model):
    """One create, update or delete of a domain object: who, when, before and after."""

    at = models.DateTimeField(default=timezone.now, db_index=True, validators=bounds.YEARS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, validators=bounds.SINGLE_LINE)
    object_repr = models.CharField(max_length=200, validators=bounds.SINGLE_LINE)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name_plural = "audit log entries"
        constraints = bounds.constraints("partnership_auditlogentry", datetimes=["at"])

    def __str__(self):
        return f"{self.get_action_display()} {self.content_type.model} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) rows for display."""
        keys = sorted(set(self.before or {}) | set(self.after or {}))
        return [(k, (self.before or {}).get(k), (self.after or {}).get(k)) for k in keys]


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


_TOKEN_TIMES = ["expires_at", "last_used_at", "revoked_at"]


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the key is shown once."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, validators=bounds.SINGLE_LINE)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True, validators=bounds.SINGLE_LINE)
    key_hash = models.CharField(max_length=64, unique=True, validators=bounds.SINGLE_LINE)
    scope = models.CharField(max_length=20, choices=TokenScope.choices, default=TokenScope.READ_WRITE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    last_used_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)
    revoked_at = models.DateTimeField(null=True, blank=True, validators=bounds.YEARS)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = bounds.constraints(
            "partnership_apitoken", datetimes=_TOKEN_TIMES, nullable=_TOKEN_TIMES
        )

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self):
        return reverse("profile")

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
