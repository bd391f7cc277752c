"""Time travel through the reminder sweep and sender, shared by the tests of each app's kinds."""

import datetime

from django.utils import timezone

from partnership.notifications import registered_kinds
from partnership.notifications.services import reminders_send, reminders_sweep


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """Noon (or `hour`) of `day` in the portal's time zone: the moment the tests travel to."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def sweep_and_send(now):
    """One sweep then one send at `now`; returns the number of reminders the sweep queued."""
    new = reminders_sweep(now=now)
    reminders_send(now=now)
    return new


def only_kinds(monkeypatch, prefix: str) -> None:
    """Let the sweep and the sender see only the kinds whose key starts with `prefix`: the other
    apps' kinds have their own tests, and would remind the fixtures' people of other things."""
    kinds = [k for k in registered_kinds() if k.key.startswith(prefix)]
    monkeypatch.setattr("partnership.notifications.services.registered_kinds", lambda: kinds)
