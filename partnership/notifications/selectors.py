"""Reads of reminders: each user's effective channel per kind."""

from dataclasses import dataclass

from .models import NotificationPreference
from .registry import ReminderKind, get_kind, registered_kinds


@dataclass(frozen=True)
class EffectivePreference:
    """A user's channel for one kind: their own choice, or the kind's default."""

    kind: ReminderKind
    channel: str
    is_default: bool

    @property
    def key(self) -> str:
        return self.kind.key


def preferences_for(user) -> list[EffectivePreference]:
    """Every registered kind with the user's channel for it (one query)."""
    chosen = dict(NotificationPreference.objects.for_user(user).values_list("kind", "channel"))
    return [
        EffectivePreference(kind=kind, channel=chosen.get(kind.key, kind.default_channel), is_default=kind.key not in chosen)
        for kind in registered_kinds()
    ]


def preference_for(user, key: str) -> EffectivePreference | None:
    kind = get_kind(key)
    if kind is None:
        return None
    chosen = NotificationPreference.objects.for_user(user).filter(kind=key).values_list("channel", flat=True).first()
    return EffectivePreference(kind=kind, channel=chosen or kind.default_channel, is_default=chosen is None)


def channels_of(user_ids, kinds) -> dict[tuple[int, str], str]:
    """{(user id, kind): channel} of the users' explicit choices, for a batch (one query)."""
    rows = NotificationPreference.objects.filter(user_id__in=set(user_ids), kind__in=set(kinds))
    return {(user_id, kind): channel for user_id, kind, channel in rows.values_list("user_id", "kind", "channel")}
