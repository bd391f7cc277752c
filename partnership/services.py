"""Writes of the partnership app. Views, API and commands all call these."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, TokenScope


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
