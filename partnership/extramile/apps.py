from django.apps import AppConfig


class ExtraMileConfig(AppConfig):
    """'Take the extra mile': actions and ratings, maintenance check-ins, proposals, surveys."""

    name = "partnership.extramile"
    label = "extramile"
    verbose_name = "Take the extra mile"
