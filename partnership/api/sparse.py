"""`?fields=id,title,status`: a list or a detail answers only the fields it names (a sync client
that needs no long text leaves out descriptions and nested history). An unknown name answers 400
naming `fields` and the unknown name, with the fields there are. Only reads (GET, HEAD) of
`list` and `retrieve`: a write validates and answers with its whole serializer."""

from rest_framework.exceptions import ValidationError
from rest_framework.serializers import ListSerializer

PARAM = "fields"
ACTIONS = ("list", "retrieve")


def requested_fields(request) -> list[str] | None:
    if request is None or request.method not in ("GET", "HEAD") or PARAM not in request.query_params:
        return None
    names = [name.strip() for name in request.query_params[PARAM].split(",") if name.strip()]
    if not names:
        raise ValidationError({PARAM: ["Name at least one field, e.g. fields=id,title."]})
    return names


def keep_only_requested(serializer, request):
    """Drop the fields `?fields=` leaves out, in place; the serializer's own order stays."""
    names = requested_fields(request)
    if names is None:
        return serializer
    target = serializer.child if isinstance(serializer, ListSerializer) else serializer
    known = list(target.fields)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValidationError({PARAM: [f"Unknown field {', '.join(map(repr, unknown))}; the fields are {', '.join(known)}."]})
    for name in known:
        if name not in names:
            target.fields.pop(name)
    return serializer


SCHEMA_DESCRIPTION = (
    "Comma-separated names of the fields to answer with, e.g. `id,title,status,updated_at`; the others "
    "are left out. An unknown name answers 400."
)


def offered_by(view) -> bool:
    """Whether `view` (a list or detail of a portal viewset, which says `takes_fields`) takes `?fields=`."""
    return getattr(view, "takes_fields", False) and getattr(view, "action", None) in ACTIONS
