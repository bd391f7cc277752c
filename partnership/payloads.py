"""Pieces shared by the webhook payloads of every app (each app's `payloads.py` builds its own
objects' data): a business unit as the REST API shows it (`/api/v1/me/`), by id and slug."""


def unit_ref(unit) -> dict | None:
    """`{"id", "slug", "name"}` of a business unit, None without one."""
    if unit is None:
        return None
    return {"id": unit.pk, "slug": unit.slug, "name": unit.name}


def unit_refs(units) -> list[dict]:
    """`unit_ref` of each unit of a queryset or list, by slug."""
    return [unit_ref(unit) for unit in sorted(units, key=lambda u: u.slug)]
