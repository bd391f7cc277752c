"""Writes of listening sessions: where and when IT listened to a business unit (IT staff only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ListeningSession
from .permissions import require_it


@transaction.atomic
def listening_session_create(
    *,
    actor,
    kind: str,
    title: str,
    held_on=None,
    business_unit,
    it_attendees=(),
    business_attendees=(),
    other_attendees: str = "",
    notes: str = "",
) -> ListeningSession:
    """Record where IT listened. The recorder counts as an IT attendee."""
    require_it(actor, "record listening sessions")
    held_on = timezone.localdate() if held_on is None else held_on
    session = ListeningSession(
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        business_unit=business_unit,
        other_attendees=other_attendees.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    session.full_clean()
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Record a session once it has taken place."})
    session.save()
    session.it_attendees.set({*it_attendees, actor} if actor is not None else set(it_attendees))
    session.business_attendees.set(business_attendees)
    return session


@transaction.atomic
def listening_session_update(*, session: ListeningSession, actor, **changes) -> ListeningSession:
    require_it(actor, "edit listening sessions")
    it_attendees = changes.pop("it_attendees", None)
    business_attendees = changes.pop("business_attendees", None)
    allowed = {"kind", "title", "held_on", "business_unit", "other_attendees", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    for name, value in changes.items():
        setattr(session, name, value)
    session.full_clean()
    if session.held_on > timezone.localdate():
        raise ValidationError({"held_on": "Record a session once it has taken place."})
    session.save()
    if it_attendees is not None:
        session.it_attendees.set(it_attendees)
    if business_attendees is not None:
        session.business_attendees.set(business_attendees)
    return session
