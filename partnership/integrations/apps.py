from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Inbound ticketing webhooks, idempotency records of API writes, outbound webhooks."""

    name = "partnership.integrations"
    label = "integrations"
    verbose_name = "Integrations"
