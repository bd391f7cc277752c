from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Proactivity"

    def ready(self):
        from . import indicators, reminders  # noqa: F401  (register the pillar's indicators and reminder kinds)
