from django.apps import AppConfig


class ScoreAppConfig(AppConfig):
    """The partnership score: indicators, weights and targets, snapshots, the business pulse."""

    name = "partnership.score"
    label = "score"
    verbose_name = "Partnership score"

    def ready(self):
        from ..declarations import declared
        from .registry import register, register_attention

        for indicator in declared("indicators", "INDICATORS"):
            register(indicator)
        for source in declared("indicators", "ATTENTION"):
            register_attention(source)
