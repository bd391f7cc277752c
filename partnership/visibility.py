"""Who may see an object, asked at the moment something about it is sent or shown.

Each model decides its visibility once, in its queryset's `for_user(user)`. Everything that
tells a person about an object (inbox notifications, reminder e-mails, digest lines, surveys,
the owner of an outbound webhook subscription) asks here, when it sends, not when the person
started following: a pain point merged into, or edited to become, a confidential one of another
unit stops reaching its old watchers at once. An inbox entry whose object the reader may no
longer see keeps its date but shows no title or body (`hide_unseeable`).

A model without `for_user` (a user, the rows of a many-to-many table) has no visibility rule of
its own: whoever is addressed may see it.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

HIDDEN_TITLE = "An item you can no longer see"


def _rule(model):
    return getattr(model._default_manager, "for_user", None)


def visible_pks(user, model, pks: Iterable) -> set[str]:
    """The primary keys among `pks` (as text) of the `model` rows `user` may see. One query at
    most; none when the rule lets the user see every row (IT staff) or the model has no rule."""
    wanted = {}
    for pk in pks:
        if pk in (None, ""):
            continue
        try:
            wanted[str(pk)] = model._meta.pk.to_python(pk)
        except (ValidationError, TypeError, ValueError):
            continue  # not a key of this model: nothing to see
    if not wanted:
        return set()
    for_user = _rule(model)
    if for_user is None:
        return set(wanted)
    queryset = for_user(user)
    if not queryset.query.where.children:
        return set(wanted)  # the rule filters nothing for this user (`.none()` adds a condition)
    return {str(pk) for pk in queryset.filter(pk__in=list(wanted.values())).values_list("pk", flat=True)}


def can_see(user, obj) -> bool:
    """May `user` see `obj` now, by its model's `for_user`?"""
    if obj is None or obj.pk is None:
        return False
    return str(obj.pk) in visible_pks(user, type(obj), [obj.pk])


def who_can_see(obj, users: Iterable) -> list:
    """The people of `users` who may see `obj` now, in order (each asked through `for_user`)."""
    return [user for user in users if can_see(user, obj)]


def hide_unseeable(user, notifications: Iterable) -> list:
    """`user`'s notifications, with the title, body and link of those whose object they may no
    longer see replaced by "An item you can no longer see" (in memory, never saved), and
    `hidden` set on each. One query per kind of object in the list at most."""
    notifications = list(notifications)
    wanted = defaultdict(set)
    for note in notifications:
        if note.target_type_id and note.target_id:
            wanted[note.target_type_id].add(note.target_id)
    visible = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        visible[type_id] = visible_pks(user, model, ids) if model is not None else set()
    for note in notifications:
        note.hidden = bool(note.target_type_id and note.target_id) and note.target_id not in visible[note.target_type_id]
        if note.hidden:
            note.title, note.body, note.url = HIDDEN_TITLE, "", ""
    return notifications
