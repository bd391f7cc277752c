"""What the installed apps declare for the shared registries.

An app declares its score indicators and attention items in `indicators.py` (`INDICATORS`,
`ATTENTION`) and its reminder kinds in `reminders.py` (`REMINDER_KINDS`). The registries collect
those lists once, when their own app is ready, so no app imports a module only for what importing
it does.
"""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def declared(module_name: str, attribute: str) -> list:
    """Every installed app's `<app>.<module_name>.<attribute>` (a list), in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, module_name):
            found.extend(getattr(import_module(f"{config.name}.{module_name}"), attribute, ()))
    return found
