"""What a domain event (partnership/events.py) sends out: the outbound webhook of its name."""

from ..audit import current_actor, current_channel
from ..roles import primary_role
from .choices import WebhookEvent
from .events import emit


def person(user) -> dict | None:
    """Who made a change, in a payload: id, user name and role (None for the system)."""
    if user is None or getattr(user, "pk", None) is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "role": str(primary_role(user)) or None}


def webhooks(event) -> None:
    """Queue the webhook named like the event, for subscribers who may see its target.

    The delivery rows commit with the change; the requests leave after the commit."""
    if event.name not in WebhookEvent.values:
        return
    payload = event.data()
    if payload is None:
        raise ValueError(f"Event {event.name!r} is a webhook event: publish it with its payload.")
    # Who and where from, so that a two-way sync can drop the echoes of its own changes.
    payload["changed_by"] = person(event.actor if event.actor is not None else current_actor())
    payload["changed_via"] = current_channel()
    emit(event.name, payload, target=event.target if event.reveals is None else event.reveals)


HANDLERS = (webhooks,)
