"""What the portal's apps declare for the shared services, read from their modules.

The shared apps (notifications, score, the domain events) never import a pillar: they read a
named table from a named module of each of the portal's apps (`settings.PORTAL_APPS`, in that
order), the way Celery finds `tasks.py`. Nothing is registered by importing a module for its side
effects, so what a pillar contributes is visible in one place in its own code:

    declared("handlers", "HANDLERS")          # partnership/events.py
    declared("reminders", "REMINDER_KINDS")   # partnership/notifications/registry.py
    declared("indicators", "INDICATORS")      # partnership/score/registry.py
"""

from functools import cache
from importlib import import_module, util

from django.conf import settings


@cache
def declared(module: str, table: str) -> tuple:
    """The items of `<app>.<module>.<table>` for each portal app that has that module."""
    found = []
    for app in settings.PORTAL_APPS:
        name = f"{app}.{module}"
        if util.find_spec(name) is None:
            continue
        found.extend(getattr(import_module(name), table, ()))
    return tuple(found)
