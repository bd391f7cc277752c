"""The four roles of the portal. They are Django groups, created by a data migration."""

from django.db import models


class Role(models.TextChoices):
    BUSINESS_MANAGER = "Business manager", "Business manager"
    IT_STAFF = "IT staff", "IT staff"
    CIO = "CIO", "CIO"
    INTEGRATION_CLIENT = "Integration client", "Integration client"


def role_names(user) -> frozenset[str]:
    """The role names of a user, read once per user object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_roles = cached
    return cached


def load_role_names(users) -> None:
    """Read the roles of many users in one query and cache them on each (see `role_names`)."""
    pending = {user.pk: user for user in users if user.pk and getattr(user, "_portal_roles", None) is None}
    if not pending:
        return
    through = next(iter(pending.values())).groups.through
    names = {pk: set() for pk in pending}
    for user_id, name in through.objects.filter(user_id__in=list(pending)).values_list("user_id", "group__name"):
        names[user_id].add(name)
    for pk, user in pending.items():
        user._portal_roles = frozenset(names[pk])


def is_cio(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.CIO in role_names(user)


def is_it_staff(user) -> bool:
    """IT staff and the CIO (IT leadership) see everything IT sees."""
    return is_cio(user) or Role.IT_STAFF in role_names(user)


def is_business_manager(user) -> bool:
    return Role.BUSINESS_MANAGER in role_names(user)


def is_integration_client(user) -> bool:
    return Role.INTEGRATION_CLIENT in role_names(user)


def primary_role(user) -> str:
    """The role that decides the home page: the most powerful one a user holds."""
    if is_cio(user):
        return Role.CIO
    if is_it_staff(user):
        return Role.IT_STAFF
    if is_business_manager(user):
        return Role.BUSINESS_MANAGER
    if is_integration_client(user):
        return Role.INTEGRATION_CLIENT
    return ""


PORTAL_APPS = ("partnership", "listening", "initiatives", "revenue", "steering")

# Django model permissions of each role, as "app_label.codename" shell patterns. They are
# (re)applied after every migrate, so a model added later gets its role permissions too.
# Visibility of single objects is decided by each model's `for_user()`, not by these.
ROLE_PERMISSIONS = {
    Role.CIO: [f"{app}.*" for app in PORTAL_APPS if app != "partnership"]
    + ["partnership.view_*", "partnership.add_apitoken", "partnership.change_apitoken"],
    Role.IT_STAFF: [
        f"{app}.{action}_*" for app in PORTAL_APPS if app != "partnership" for action in ("view", "add", "change")
    ]
    + ["partnership.view_businessunit", "partnership.add_apitoken", "partnership.change_apitoken"],
    Role.BUSINESS_MANAGER: [f"{app}.view_*" for app in PORTAL_APPS if app != "partnership"]
    + ["listening.add_*", "partnership.view_businessunit", "partnership.add_apitoken"],
    Role.INTEGRATION_CLIENT: ["listening.view_*", "listening.add_*", "listening.change_*", "partnership.view_businessunit"],
}


def sync_role_permissions(**kwargs):
    """Create the role groups if needed and give each its permissions (post_migrate).

    post_migrate is sent once per app, and auth creates each app's permissions in its own
    turn, so this waits for the last app to have them all.
    """
    from fnmatch import fnmatch

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if kwargs.get("app_config") is not list(apps.get_app_configs())[-1]:
        return

    permissions = list(
        Permission.objects.filter(content_type__app_label__in=PORTAL_APPS).select_related("content_type")
    )
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [
            p for p in permissions if any(fnmatch(f"{p.content_type.app_label}.{p.codename}", pat) for pat in patterns)
        ]
        group.permissions.set(wanted)
