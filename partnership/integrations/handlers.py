"""What a domain event (partnership/events.py) sends out: the outbound webhook of its name."""

from .choices import WebhookEvent
from .events import emit


def webhooks(event) -> None:
    """Queue the webhook named like the event, for subscribers who may see its target.

    The delivery rows commit with the change; the requests leave after the commit."""
    if event.name not in WebhookEvent.values:
        return
    payload = event.data()
    if payload is None:
        raise ValueError(f"Event {event.name!r} is a webhook event: publish it with its payload.")
    emit(event.name, payload, target=event.target if event.reveals is None else event.reveals)


HANDLERS = (webhooks,)
