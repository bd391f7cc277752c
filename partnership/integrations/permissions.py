"""Who may do what with the integrations: the services' guards, the pages and the API ask here."""

from ..roles import is_integration_client, is_it_staff


def can_subscribe(user) -> bool:
    """IT staff and integration clients manage webhook subscriptions."""
    return is_it_staff(user) or is_integration_client(user)


def client_source_names(user) -> list[str]:
    """The names of the integration sources `user` is the integration client of (their API
    account): the source systems whose references and pain points are theirs."""
    from .models import IntegrationSource

    if not is_integration_client(user):
        return []
    cached = getattr(user, "_portal_client_sources", None)
    if cached is None:
        cached = list(IntegrationSource.objects.filter(client=user).order_by("name").values_list("name", flat=True))
        user._portal_client_sources = cached
    return cached
