"""Who may do what with a revenue project: the services' guards, the pages' buttons and the API ask here."""

from partnership.roles import is_business_manager, is_it_staff

MANAGE_MESSAGE = "Only IT staff and the CIO manage revenue projects and record revenue."
ACCEPT_MESSAGE = "Only a business partner or a business manager of the project's units accepts it."


def can_manage(user) -> bool:
    """Create and edit projects, move them between stages, record revenue: IT staff and the CIO."""
    return is_it_staff(user)


def is_eligible_acceptor(project, user) -> bool:
    """The business acceptance comes from a business partner of the project or a business
    manager of one of its units."""
    if user is None or not user.pk:
        return False
    if project.business_partners.filter(pk=user.pk).exists():
        return True
    return (
        is_business_manager(user)
        and user.business_unit_id is not None
        and project.business_units.filter(pk=user.business_unit_id).exists()
    )


def may_record_acceptance(user, project) -> bool:
    """IT records an acceptance given by the business; an eligible business manager records their own."""
    return can_manage(user) or is_eligible_acceptor(project, user)


def can_accept(user, project) -> bool:
    """Whether the page offers `user` to record the acceptance now (in Acceptance, not yet accepted)."""
    from .choices import Stage

    if project.stage != Stage.ACCEPTANCE or project.is_accepted:
        return False
    return may_record_acceptance(user, project)
