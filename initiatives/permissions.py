"""Who may do what with an initiative: the services' guards, the pages' buttons and the API ask here."""

from django.core.exceptions import PermissionDenied

from partnership.roles import is_cio, is_it_staff

from .models import Initiative


def can_manage(user) -> bool:
    """IT staff and the CIO create, edit and run initiatives."""
    return is_it_staff(user)


def can_decide(user) -> bool:
    """Only the CIO approves and rejects."""
    return is_cio(user)


def is_sponsor(user, initiative: Initiative) -> bool:
    return bool(getattr(user, "pk", None)) and initiative.sponsor_id == user.pk


def can_accept_risk(user, initiative: Initiative) -> bool:
    """The CIO or the initiative's business sponsor accepts the risk of failure."""
    return is_cio(user) or is_sponsor(user, initiative)


def can_review_benefits(user, initiative: Initiative) -> bool:
    return is_it_staff(user) or is_sponsor(user, initiative)


def can_add_benefit(user, initiative: Initiative) -> bool:
    return is_it_staff(user) or is_sponsor(user, initiative)


def require(allowed: bool, message: str) -> None:
    """Refuse with PermissionDenied(message) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)
