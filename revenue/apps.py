from django.apps import AppConfig


class RevenueConfig(AppConfig):
    name = "revenue"
    verbose_name = "IT-driven revenue"

    def ready(self):
        # Registers the revenue pillar's score indicators, attention item and reminder kinds.
        from . import indicators, reminders  # noqa: F401
