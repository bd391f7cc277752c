"""Writes of the partnership app. Views, API and commands all call these."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, Notification, TokenScope
from .visibility import who_can_see


@transaction.atomic
def api_token_create(
    *, user, name: str, scope: str = TokenScope.READ_WRITE, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never shown again."""
    key = ApiToken.generate_key()
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        expires_at=(
            timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
        ),
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", target=None) -> list[Notification]:
    """Put a notification in each recipient's inbox (one bulk insert, duplicates folded).

    With a `target`, only the recipients who may see it now (its model's `for_user`) get one:
    following an object does not outlast the right to see it. Call it from inside a service's
    transaction: the notifications commit with the change.
    """
    unique = {r.pk: r for r in recipients if r is not None and r.pk}
    if target is not None:
        unique = {r.pk: r for r in who_can_see(target, unique.values())}
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    rows = [
        Notification(
            recipient=recipient,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            target_type=target_type,
            target_id=str(target.pk) if target is not None else "",
        )
        for recipient in unique.values()
    ]
    return Notification.objects.bulk_create(rows)


def notification_mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one notification, or all of the user's unread ones, as read."""
    queryset = Notification.objects.for_user(user).unread()
    if notification is not None:
        queryset = queryset.filter(pk=notification.pk)
    return queryset.update(read_at=timezone.now())
