from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "listening"
    verbose_name = "Listen to business"

    def ready(self):
        from . import indicators, reminders  # noqa: F401  (register the pillar's indicators and reminder kinds)
