"""Who may do what in "Take the extra mile": the services' guards, the pages and the API ask here."""

from django.core.exceptions import PermissionDenied

from ..roles import is_it_staff


def can_manage(user) -> bool:
    """IT staff (and the CIO) log and complete extra-mile actions, record maintenance windows and
    decide on repeated-problem proposals."""
    return is_it_staff(user)


def require_it(user, what: str) -> None:
    """Refuse with PermissionDenied("Only IT staff can <what>.") unless `user` is IT staff."""
    if not can_manage(user):
        raise PermissionDenied(f"Only IT staff can {what}.")


def can_answer_check_in(user, check_in) -> bool:
    """The key user answers their check-in; IT may answer on their behalf, after a call."""
    return getattr(user, "pk", None) == check_in.key_user_id or can_manage(user)
