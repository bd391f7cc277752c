from django.apps import AppConfig


class ExtraMileConfig(AppConfig):
    """'Take the extra mile': actions and ratings, maintenance check-ins, proposals, surveys."""

    name = "partnership.extramile"
    label = "extramile"
    verbose_name = "Take the extra mile"

    def ready(self):
        from . import indicators, reminders  # noqa: F401  (registers the pillar's indicators and reminder kinds)
