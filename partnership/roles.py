"""The four roles of the portal (Django groups) and the model permissions of each."""

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


# --- Django model permissions of each role ------------------------------------------------------
# One table: every model of every portal app -> the actions each role may take on it. It is
# applied after every migrate (`sync_role_permissions`, a post_migrate receiver), so each group
# holds exactly these permissions; a test fails when a model is missing here. Visibility of single
# objects is still decided by each model's `for_user()`, and the services' guards decide the rest:
# these permissions are what the admin and `user.has_perm()` read.

V, VA, VC, VAC, VACD = "view", "view add", "view change", "view add change", "view add change delete"
CIO, IT, BM, IC = Role.CIO, Role.IT_STAFF, Role.BUSINESS_MANAGER, Role.INTEGRATION_CLIENT

PILLAR = {CIO: VACD, IT: VAC, BM: V}  # IT runs the pillar, the business reads it
LISTENING = {CIO: VACD, IT: VAC, BM: VA, IC: VAC}  # the business and the ticketing tools write pain points
IT_ONLY = {CIO: VACD, IT: VAC}
CIO_READS = {CIO: V}
OWN = {CIO: VAC, IT: VAC, BM: VAC, IC: VAC}  # personal rows (inbox, preferences): `for_user` keeps them apart

PERMISSION_TABLE: dict[str, dict[str, str]] = {
    "partnership.businessunit": {CIO: V, IT: V, BM: V, IC: V},
    "partnership.user": CIO_READS,
    "partnership.auditlogentry": CIO_READS,
    "partnership.apitoken": {CIO: VAC, IT: "add change", BM: "add"},
    "notifications.notification": {CIO: VC, IT: VC, BM: VC, IC: VC},  # change: mark as read
    "notifications.notificationpreference": OWN,
    "notifications.reminder": CIO_READS,
    "score.scoreconfig": {CIO: VA, IT: V},  # a new version, never an edit
    "score.scoresnapshot": {CIO: V, IT: V, BM: V},
    "score.pulseresponse": {CIO: V, IT: V, BM: VA},
    "integrations.integrationsource": CIO_READS,
    "integrations.inbounddelivery": CIO_READS,
    "integrations.inboundticket": {CIO: VC, IT: VC},  # IT assigns a unit to a parked ticket
    "integrations.idempotencyrecord": CIO_READS,
    "integrations.webhooksubscription": {CIO: VACD, IC: VACD},
    "integrations.webhookdelivery": {CIO: V, IC: V},
    "extramile.extramileaction": PILLAR,
    "extramile.extramilerating": {CIO: VACD, IT: V, BM: VA},  # recipients rate what IT did
    "extramile.maintenancewindow": PILLAR,
    "extramile.checkin": {CIO: VACD, IT: VAC, BM: VC},  # key users answer theirs
    "extramile.problemsuggestion": IT_ONLY,
    "extramile.resolutionsurvey": {CIO: VACD, IT: V, BM: VC},  # respondents answer theirs
    **{f"listening.{model}": LISTENING for model in (
        "painpoint", "vote", "watch", "comment", "painpointstatuschange", "evaluation", "evaluationoption",
        "listeningsession",
    )},
    **{f"initiatives.{model}": PILLAR for model in (
        "initiative", "risk", "riskacceptance", "milestone", "benefit", "initiativecomment", "decisionrecord",
    )},
    **{f"revenue.{model}": PILLAR for model in ("revenueproject", "revenuestagechange", "revenueentry")},
    **{f"steering.{model}": PILLAR for model in (
        "committee", "membership", "meeting", "agendaitem", "attendance", "actionitem", "decision", "position",
        "event", "registration",
    )},
}

PORTAL_APPS = tuple(dict.fromkeys(key.partition(".")[0] for key in PERMISSION_TABLE))


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """Role name -> its (app label, codename) pairs, read from `PERMISSION_TABLE`."""
    wanted = {role.value: set() for role in Role}
    for key, actions_of in PERMISSION_TABLE.items():
        app_label, _, model = key.partition(".")
        for role, actions in actions_of.items():
            wanted[role].update((app_label, f"{action}_{model}") for action in actions.split())
    return wanted


def sync_role_permissions(**kwargs):
    """Create the role groups if needed and give each exactly its permissions (post_migrate).

    post_migrate is sent once per app, and auth creates each app's permissions in its own
    turn, so this waits for the last app to have them all.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if kwargs.get("app_config") is not list(apps.get_app_configs())[-1]:
        return

    using = kwargs.get("using", "default")
    by_key = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.using(using).filter(content_type__app_label__in=PORTAL_APPS).select_related(
            "content_type"
        )
    }
    for role, keys in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([by_key[key] for key in sorted(keys) if key in by_key])
