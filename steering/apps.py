from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "steering"
    verbose_name = "Share with business"

    def ready(self):
        # Registers the pillar's score indicators, its attention item and its reminder kinds.
        from . import indicators, reminders  # noqa: F401
