"""Who may do what with a pain point: the services' guards, the pages and the API ask here."""

from django.core.exceptions import PermissionDenied, ValidationError

from partnership.integrations.permissions import client_source_names
from partnership.roles import is_integration_client, is_it_staff

from .choices import Source

# What a pain point's external reference consists of, with the value of a pain point that has none.
REFERENCE_DEFAULTS = {"source": Source.PORTAL, "source_system": "", "external_ref": ""}


def can_change_status(user) -> bool:
    """Only IT staff and the CIO move pain points through the workflow."""
    return is_it_staff(user)


def require_it(actor, what: str) -> None:
    if not can_change_status(actor):
        raise PermissionDenied(f"Only IT staff can {what}.")


def is_own_source(user, pain_point) -> bool:
    """Whether `user` is the integration client of the source that created the pain point."""
    return bool(pain_point.source_system) and pain_point.source_system in client_source_names(user)


def can_edit(user, pain_point) -> bool:
    """IT staff edit every pain point; an integration client those of its own source."""
    return is_it_staff(user) or is_own_source(user, pain_point)


def claim_references(user, data: dict) -> dict:
    """External references belong to the integration source that created them: only IT staff and
    the source's integration client may set `source`, `source_system` or `external_ref` on a new
    pain point (400 on the field otherwise). An integration client's pain points are of source
    "ticketing" and, when it is the client of one source only, of that source system."""
    if is_it_staff(user):
        return data
    if not is_integration_client(user):
        errors = {
            name: f"Only IT staff and a source's integration client can set {name}."
            for name, default in REFERENCE_DEFAULTS.items()
            if name in data and data[name] != default
        }
        if errors:
            raise ValidationError(errors)
        return data
    names = client_source_names(user)
    data = {**data, "source": data.get("source", Source.TICKETING)}
    if not data.get("source_system") and len(names) == 1:
        data["source_system"] = names[0]
    errors = {}
    if data["source"] != Source.TICKETING:
        errors["source"] = "An integration client's pain points come from a ticketing system (source 'ticketing')."
    if data.get("source_system") and data["source_system"] not in names:
        errors["source_system"] = (
            f"Use the source system of your own integration source: {', '.join(names)}."
            if names
            else "No integration source names you as its client: ask an admin to set one."
        )
    if errors:
        raise ValidationError(errors)
    return data
