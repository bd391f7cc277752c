"""Domain events: the one way a change becomes an inbox entry, a webhook or a cancelled reminder.

A service that changes something publishes one event, inside its transaction, after the change
is saved:

    publish(
        "pain_point.status_changed", pain_point, actor=actor,
        payload=pain_point_payload(pain_point, previous_status=from_status),
        notice=Notice(recipients=followers, title=f"Pain point planned: {pain_point.title}",
                      kind="pain_point.planned"),
    )

- `name` says what happened ("<object>.<verb>"), `target` to which object, `actor` by whom;
- `payload` is the JSON-safe description of the object that leaves the portal, built by the
  app that owns the object (its `payloads.py`); a function of no argument that returns it is
  called only if a handler needs it (most events are no webhook event);
- `notice` is what the inbox says and to whom (before the visibility filter);
- `done` says which inbox prompts the change fulfils (a rating recorded: that recipient's
  "please confirm and rate" entries about the action are marked done).

The dispatchers are the `HANDLERS` of each installed app's `handlers` module, run in app order:
the inbox (partnership.notifications: one entry per recipient who may see the target now,
through its `for_user`; the prompts an event fulfils are marked done), the reminders (partnership.notifications: pending reminders of the
target that are no longer due are cancelled at once), the outbound webhooks
(partnership.integrations: delivery rows in this transaction, the sending queued after commit,
only to subscribers who may see the target). What stays in the database is written in the
service's transaction; what leaves it (webhook requests, e-mails) goes after the commit.

The audit trail is not a handler: `AuditedModel.save()` writes it in the same transaction as
the row itself, so that every write (admin, imports, migrations' data fixes) is audited, not only
those that publish an event.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .discovery import declared


@dataclass(frozen=True)
class Notice:
    """What the inbox says about an event, and to whom (before the visibility filter)."""

    recipients: Iterable = ()
    title: str = ""
    body: str = ""
    # The inbox kind (also the key of the notification preferences); the event's name if empty.
    kind: str = ""
    # Where the entry leads; the target's page if empty.
    url: str = ""


@dataclass(frozen=True)
class Done:
    """The task some inbox entries asked of `recipient` is done: its entries about `targets`
    ("please confirm and rate", "please answer") are marked done."""

    recipient: object
    targets: tuple = ()


@dataclass(frozen=True)
class DomainEvent:
    name: str
    target: object
    actor: object = None
    payload: Mapping | Callable[[], Mapping] | None = None
    notice: Notice | None = None
    # The object the payload reveals, whose `for_user` decides who may receive it outside the
    # portal; the target itself if None (a failed check-in reveals the pain point it raised).
    reveals: object = None
    done: Done | None = None

    def data(self) -> dict | None:
        """The payload, built now if it was given as a function."""
        payload = self.payload() if callable(self.payload) else self.payload
        return None if payload is None else dict(payload)

    @property
    def notice_kind(self) -> str:
        return (self.notice.kind if self.notice is not None else "") or self.name


Handler = Callable[[DomainEvent], None]


def handlers() -> tuple[Handler, ...]:
    """`handlers.HANDLERS` of each of the portal's apps (settings.PORTAL_APPS), in that order."""
    return declared("handlers", "HANDLERS")


def publish(
    name: str, target, *, actor=None, payload=None, notice: Notice | None = None, reveals=None, done: Done | None = None
) -> DomainEvent:
    """Dispatch one event to every handler; call it inside the service's transaction."""
    if target is None or getattr(target, "pk", None) is None:
        raise ValueError(f"Event {name!r} needs a saved target.")
    event = DomainEvent(name=name, target=target, actor=actor, payload=payload, notice=notice, reveals=reveals, done=done)
    for handler in handlers():
        handler(event)
    return event


def followers(people: Iterable, *, exclude=None) -> list:
    """`people` without None and without `exclude` (the person who caused the change)."""
    skip = getattr(exclude, "pk", None)
    return [p for p in people if p is not None and (skip is None or p.pk != skip)]
