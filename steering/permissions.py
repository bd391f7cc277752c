"""Who may do what in the steering app. Pages hide buttons with these; views and API enforce them.

Visibility is the models' `for_user()`; these predicates decide actions on what a user sees.
"""

from partnership.roles import is_it_staff

MANAGE_MESSAGE = "Only the committee's chair and IT staff can do this."


def can_create_committee(user) -> bool:
    return is_it_staff(user)


_UNREAD = object()


def can_manage_committee(user, committee, *, membership=_UNREAD) -> bool:
    """The chair and IT staff schedule meetings, record them, propose and close decisions.
    A page that has read the user's membership already passes it (no second query)."""
    if is_it_staff(user):
        return True
    if membership is _UNREAD:
        membership = committee.membership_of(user)
    return membership is not None and membership.is_chair


def can_create_event(user) -> bool:
    return is_it_staff(user)


def can_manage_event(user, event) -> bool:
    """The host and IT staff edit an event and record who attended."""
    return is_it_staff(user) or event.host_id == getattr(user, "pk", None)


def can_complete_action_item(user, item) -> bool:
    """The owner marks their own action item done; so may whoever manages the committee."""
    return item.owner_id == getattr(user, "pk", None) or can_manage_committee(user, item.meeting.committee)
