from django.apps import AppConfig


class ScoreAppConfig(AppConfig):
    """The partnership score: indicators, weights and targets, snapshots, the business pulse."""

    name = "partnership.score"
    label = "score"
    verbose_name = "Partnership score"

    def ready(self):
        from . import reminders  # noqa: F401  (registers the quarterly pulse reminder)
