"""Who may see an object, asked at the moment something about it is sent or shown.

Each model decides its visibility once, in its queryset's `for_user(user)`. Everything that
tells a person about an object (inbox notifications, reminder e-mails, digest lines, surveys,
the owner of an outbound webhook subscription) asks here, when it sends, not when the person
started following: a pain point merged into, or edited to become, a confidential one of another
unit stops reaching its old watchers at once. An inbox entry whose object the reader may no
longer see keeps its date but shows no title or body (`hide_unseeable`).

A model without `for_user` (a user, the rows of a many-to-many table) has no visibility rule of
its own: whoever is addressed may see it.

References. What a page, an API answer or an export says about ANOTHER object than the one shown
(an extra-mile action's subject, the pain point a merged one continues in, the listening session a
pain point came from, the pain point a check-in raised) goes through `reference_to(user, holder,
relation)`: a `Reference` with the object's title and page when `user` may see it by its model's
`for_user`, else "An item you cannot see" with no link (the id stays, as on the holder's own
column). Templates use `{% reference holder "relation" %}` (partnership/templatetags/references.py),
the API `ReferenceField` (partnership/api/fields.py). A list prefetches the relation with
`readable(user, "relation")` so that it costs one query per kind of object, whatever its length;
an object the reader may not see is then never even loaded.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.db.models import IntegerField, Prefetch, Value
from django.utils.html import format_html

from .roles import load_role_names

HIDDEN_TITLE = "An item you can no longer see"
# What a page or answer says instead of the title of an object it refers to that the reader may
# not see (an extra-mile action's subject): no title, no link.
UNSEEN_TITLE = "An item you cannot see"


# Parts of one UNION ALL: SQLite allows 500 terms in a compound SELECT.
UNION_CHUNK = 100


def _rule(model):
    return getattr(model._default_manager, "for_user", None)


def _keys(model, pks) -> dict:
    """{pk as text: pk as the model's type} of the valid keys among `pks`."""
    keys = {}
    for pk in pks:
        if pk in (None, ""):
            continue
        try:
            keys[str(pk)] = model._meta.pk.to_python(pk)
        except (ValidationError, TypeError, ValueError):
            continue  # not a key of this model: nothing to see
    return keys


def visible_to_each(model, wanted, *, everyone=()) -> dict[int, set[str]]:
    """{user id: the primary keys (as text) among theirs of the `model` rows they may see}.

    `wanted` pairs each user with the keys asked about (a mapping or (user, keys) pairs). Each
    user is asked through `model`'s `for_user`; the questions go to the database together, one
    UNION ALL query per hundred users whose rule filters anything (none for IT staff, whose rule
    lets them see every row, nor for a model without a rule), so sending to many costs no more
    queries than sending to a few. When the rule reads roles, the roles of all these users (and
    of `everyone`, the other people about to be asked, such as the rest of a batch) are read in
    one query.
    """
    pairs = list(wanted.items() if hasattr(wanted, "items") else wanted)
    for_user = _rule(model)
    seen, parts, roles_read = {}, [], False
    for user, pks in pairs:
        keys = _keys(model, pks)
        seen.setdefault(user.pk, set())
        if not keys:
            continue
        if for_user is None:
            seen[user.pk] |= set(keys)
            continue
        had_roles = getattr(user, "_portal_roles", None) is not None
        queryset = for_user(user)
        if not roles_read and not had_roles and getattr(user, "_portal_roles", None) is not None:
            # This rule reads the user's roles: read everybody else's in one query, not one each.
            load_role_names([*(other for other, _ in pairs), *everyone])
            roles_read = True
        if queryset.query.is_empty():
            continue
        if not queryset.query.where.children:
            seen[user.pk] |= set(keys)  # the rule filters nothing for this user
            continue
        parts.append(
            queryset.filter(pk__in=list(keys.values()))
            .order_by()
            .annotate(_viewer=Value(user.pk, output_field=IntegerField()))
            .values_list("_viewer", "pk")
        )
    for start in range(0, len(parts), UNION_CHUNK):
        first, *others = parts[start : start + UNION_CHUNK]
        for viewer, pk in first.union(*others, all=True) if others else first:
            seen[viewer].add(str(pk))
    return seen


def visible_pks(user, model, pks: Iterable) -> set[str]:
    """The primary keys among `pks` (as text) of the `model` rows `user` may see."""
    return visible_to_each(model, [(user, pks)])[user.pk]


def can_see(user, obj) -> bool:
    """May `user` see `obj` now, by its model's `for_user`?"""
    if obj is None or obj.pk is None:
        return False
    return str(obj.pk) in visible_pks(user, type(obj), [obj.pk])


def who_can_see(obj, users: Iterable) -> list:
    """The people of `users` who may see `obj` now, in order, asked through `for_user` together."""
    users = list(users)
    if obj is None or obj.pk is None:
        return []
    seen = visible_to_each(type(obj), [(user, [obj.pk]) for user in users])
    return [user for user in users if str(obj.pk) in seen[user.pk]]


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


# --- References to other objects -------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """What a reader is told about an object another one refers to: its title and page when they
    may see it; otherwise UNSEEN_TITLE, no page (`visible` False). `pk` is the referenced id."""

    pk: object
    title: str
    url: str | None
    visible: bool

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        """A link to the object (its title when it has no page), or a muted "An item you cannot
        see" without one: what a page shows (`{{ ref.link }}`)."""
        if self.visible and self.url:
            return format_html('<a href="{}">{}</a>', self.url, self.title)
        if self.visible:
            return format_html("{}", self.title)
        return format_html('<span class="text-body-secondary">{}</span>', self.title)

    def __html__(self) -> str:  # `{% reference holder "relation" %}` without `as` shows the link
        return self.link


def reader_attr(relation: str) -> str:
    """Where `readable` puts the object a relation leads to as the reader may see it."""
    return f"{relation}_for_reader"


def _relation(model, relation: str):
    return model._meta.get_field(relation)


def _raw_id(holder, field):
    return getattr(holder, field.fk_field if isinstance(field, GenericForeignKey) else field.attname)


def readable(user, relation: str, model=None, *, models: Iterable = ()):
    """A prefetch of `relation` (a foreign key, or a generic relation with the `models` it may
    lead to) through each target model's `for_user(user)`, for `reference_to` on a list: one query
    per kind of object, and an object the user may not see is never loaded. Pass the holder
    `model` for a foreign key."""
    if models:
        querysets = [target.objects.for_user(user) for target in models]
        return GenericPrefetch(relation, querysets, to_attr=reader_attr(relation))
    target = _relation(model, relation).related_model
    return Prefetch(relation, queryset=target.objects.for_user(user), to_attr=reader_attr(relation))


def _shown(obj, pk) -> Reference:
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    return Reference(pk=pk, title=str(obj), url=url or None, visible=True)


def reference_to(user, holder, relation: str) -> Reference | None:
    """`holder.<relation>` as `user` is told of it: None without one; its title and page when the
    target model's `for_user(user)` holds it; UNSEEN_TITLE without a link otherwise. No query when
    the list prefetched the relation with `readable`; one (through `for_user`, so nothing unseen
    is loaded) otherwise."""
    field = _relation(type(holder), relation)
    pk = _raw_id(holder, field)
    if pk is None:
        return None
    hidden = Reference(pk=pk, title=UNSEEN_TITLE, url=None, visible=False)
    attr = reader_attr(relation)
    if hasattr(holder, attr):  # prefetched through for_user(user) by `readable`
        obj = getattr(holder, attr)
        return hidden if obj is None else _shown(obj, pk)
    if user is None:
        return hidden
    if isinstance(field, GenericForeignKey):
        content_type = getattr(holder, field.ct_field)
        target = content_type.model_class() if content_type is not None else None
    else:
        target = field.related_model
    if target is None:
        return hidden
    rule = _rule(target)
    queryset = rule(user) if rule is not None else target._default_manager.all()
    obj = queryset.filter(pk=pk).first()
    return hidden if obj is None else _shown(obj, pk)
