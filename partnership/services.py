"""Writes of the partnership app. Views, API and commands all call these."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, TokenScope, User


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


def home_visit_record(*, user, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The user opens their home page: return when their previous visit began (None on the first).

    Views closer together than PORTAL_VISIT_GAP_MINUTES are one visit, so reloading the page
    keeps showing what changed since the visit before rather than nothing. One UPDATE; a visit is
    no domain change, so it is not audited.
    """
    now = now or timezone.now()
    gap = datetime.timedelta(minutes=settings.PORTAL_VISIT_GAP_MINUTES)
    if user.home_visited_at is None or now - user.home_visited_at >= gap:
        user.previous_home_visited_at = user.home_visited_at
    user.home_visited_at = now
    User.objects.filter(pk=user.pk).update(
        home_visited_at=user.home_visited_at, previous_home_visited_at=user.previous_home_visited_at
    )
    return user.previous_home_visited_at
