"""`{% audit_rows entries as rows %}`: a change history as a reader reads it.

The audit log stores attribute names and JSON values (`accepted_by_id: null -> 1`, UTC ISO
times). A page shows each field's label and readable values: a related object's name, a choice's
label, a local time, yes/no. Related objects are fetched in one query per related model for the
whole history (the trail is for the CIO and admins, who may see every name).
"""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime

register = template.Library()

EMPTY = "—"


def _fields_by_attname(model) -> dict:
    return {field.attname: field for field in model._meta.concrete_fields} if model is not None else {}


def _related_names(entries, fields_of) -> dict:
    """{(related model, pk): str(object)} for every foreign key value in the entries."""
    wanted: dict = {}
    for entry in entries:
        fields = fields_of(entry)
        for name, before, after in entry.changes():
            field = fields.get(name)
            if field is not None and field.is_relation and field.related_model is not None:
                wanted.setdefault(field.related_model, set()).update(v for v in (before, after) if v is not None)
    names = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def _local_time(value: str) -> str | None:
    moment = parse_datetime(value) if isinstance(value, str) and "T" in value else None
    if moment is None:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "Y-m-d H:i")


def readable_value(field, value, names) -> str:
    if value is None or value == "":
        return EMPTY
    if field is None:
        return str(value)
    if field.is_relation and field.related_model is not None:
        return names.get((field.related_model, value), f"#{value} (deleted)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field.get_internal_type() == "DateTimeField":
        return _local_time(value) or str(value)
    if field.get_internal_type() == "DateField" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            return value
    return str(value)


@register.simple_tag
def audit_rows(entries):
    """Each entry with `rows`: (label, before, after) in the reader's words."""
    entries = list(entries)
    models = {}

    def fields_of(entry):
        key = entry.content_type_id
        if key not in models:
            models[key] = _fields_by_attname(entry.content_type.model_class())
        return models[key]

    names = _related_names(entries, fields_of)
    for entry in entries:
        fields = fields_of(entry)
        entry.rows = []
        for name, before, after in entry.changes():
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else name
            entry.rows.append(
                (label[:1].upper() + label[1:], readable_value(field, before, names), readable_value(field, after, names))
            )
    return entries
