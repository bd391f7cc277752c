"""Who may do what with a pain point: the services' guards, the pages and the API ask here."""

from django.core.exceptions import PermissionDenied

from partnership.roles import is_it_staff


def can_change_status(user) -> bool:
    """Only IT staff and the CIO move pain points through the workflow."""
    return is_it_staff(user)


def require_it(actor, what: str) -> None:
    if not can_change_status(actor):
        raise PermissionDenied(f"Only IT staff can {what}.")
