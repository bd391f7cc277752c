"""The audit trail: who changed which object, when, from what to what.

Every domain model inherits `AuditedModel`. Its `save()` and `delete()` write one
`AuditLogEntry` in the same transaction as the change itself, so a change without its audit row
(or the reverse) cannot be committed. The acting user comes from the current request (set by
`AuditActorMiddleware`, read lazily so that DRF token authentication is seen too) or from an
explicit `acting_as(user)` block in tasks and commands.
"""

import contextvars
import datetime
import decimal
import uuid
from contextlib import contextmanager

from django.apps import apps
from django.db import models, transaction

_current_request = contextvars.ContextVar("portal_audit_request", default=None)
_current_actor = contextvars.ContextVar("portal_audit_actor", default=None)
_current_channel = contextvars.ContextVar("portal_change_channel", default=None)


class Channel:
    """Where a change came from (the `changed_via` of outbound webhooks)."""

    PORTAL = "portal"  # a page, in a browser
    API = "api"  # the REST API, with a token or a session
    INTEGRATION = "integration"  # an inbound ticketing webhook; `source` names the integration source
    SYSTEM = "system"  # a scheduled task, a command, a data migration


class AuditActorMiddleware:
    """Remembers the request so that audit rows can name the user behind a change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


@contextmanager
def acting_as(user):
    """Attribute the changes made inside the block to `user` (tasks, commands, services)."""
    token = _current_actor.set(user)
    try:
        yield
    finally:
        _current_actor.reset(token)


@contextmanager
def changed_via(channel: str, source: str = ""):
    """Mark the changes made inside the block as coming from `channel` (and integration `source`)."""
    token = _current_channel.set((channel, source))
    try:
        yield
    finally:
        _current_channel.reset(token)


def current_channel() -> dict:
    """`{"channel": ..., "source": ...}` of the change being made: what `changed_via` set, else
    the request's kind (API under /api/, else a page), else the system (no request)."""
    chosen = _current_channel.get()
    if chosen is not None:
        return {"channel": chosen[0], "source": chosen[1] or None}
    request = _current_request.get()
    if request is None:
        return {"channel": Channel.SYSTEM, "source": None}
    channel = Channel.API if request.path.startswith("/api/") else Channel.PORTAL
    return {"channel": channel, "source": None}


def current_actor():
    actor = _current_actor.get()
    if actor is not None:
        return actor
    request = _current_request.get()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def _plain(value):
    """A JSON-safe copy of a field value."""
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return "<binary>"
    return value


def snapshot(instance) -> dict:
    """The concrete, non-relational-many field values of an instance, by attribute name."""
    return {
        field.attname: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.attname not in instance.audit_exclude
    }


class TimeStampedModel(models.Model):
    """Created and updated timestamps."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditedModel(TimeStampedModel):
    """A domain object whose every create, update and delete lands in the audit trail."""

    audit_exclude = frozenset({"created_at", "updated_at"})

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        creating = self._state.adding
        before = None if creating else self._audit_before()
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            after = snapshot(self)
            if creating:
                _write(self, AuditAction.CREATE, None, after)
            else:
                changed = {k for k, v in after.items() if before is None or before.get(k) != v}
                if changed:
                    _write(
                        self,
                        AuditAction.UPDATE,
                        {k: before.get(k) for k in changed} if before is not None else None,
                        {k: after[k] for k in changed},
                    )
        self._audit_loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args, **kwargs):
        before = snapshot(self)
        with transaction.atomic(using=kwargs.get("using")):
            _write(self, AuditAction.DELETE, before, None)
            return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Keep what was loaded so that an update can record "before" without another query.
        instance._audit_loaded = dict(zip(field_names, values, strict=True))
        return instance

    def _audit_before(self) -> dict | None:
        loaded = getattr(self, "_audit_loaded", None)
        if loaded is None:
            return None
        return {
            name: _plain(value) for name, value in loaded.items() if name not in self.audit_exclude
        }

    def audit_entries(self):
        """This object's change log, newest first, for object pages."""
        entry_model = apps.get_model("partnership", "AuditLogEntry")
        return entry_model.objects.for_object(self)


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"


def _write(instance, action, before, after):
    from django.contrib.contenttypes.models import ContentType

    entry_model = apps.get_model("partnership", "AuditLogEntry")
    actor = current_actor()
    entry_model.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
    )
