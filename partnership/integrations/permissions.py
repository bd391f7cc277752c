"""Who may do what with the integrations: the services' guards, the pages and the API ask here."""

from ..roles import is_integration_client, is_it_staff


def can_subscribe(user) -> bool:
    """IT staff and integration clients manage webhook subscriptions."""
    return is_it_staff(user) or is_integration_client(user)
