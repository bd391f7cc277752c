"""Login throttling and security event logging.

Failed logins are counted per (user name, client address) and per client address in the cache
(Redis in production, so every web process sees the same counts). Past the limit, that pair or
that address must wait for a cool-off period; nobody is ever locked out for good, and an attacker
elsewhere cannot lock a user out (the count for the user's own address is separate).
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

logger = logging.getLogger("portal.security")


def client_address(request) -> str:
    # REMOTE_ADDR is set by gunicorn from the proxy connection; a trusted proxy's
    # X-Forwarded-For is only used when the operator says there is one.
    if request is None:
        return "unknown"
    if settings.PORTAL_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _keys(username: str, address: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{(username or '').lower()}|{address}".encode()).hexdigest()
    return f"login-fail:pair:{digest}", f"login-fail:addr:{address}"


def login_blocked(username: str, request) -> bool:
    pair_key, addr_key = _keys(username, client_address(request))
    counts = cache.get_many([pair_key, addr_key])
    return (
        counts.get(pair_key, 0) >= settings.PORTAL_LOGIN_FAILURE_LIMIT
        or counts.get(addr_key, 0) >= settings.PORTAL_LOGIN_FAILURE_LIMIT * 4
    )


def _increment(key: str) -> None:
    cooloff = settings.PORTAL_LOGIN_COOLOFF_SECONDS
    if not cache.add(key, 1, cooloff):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, cooloff)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    address = client_address(request)
    for key in _keys(username, address):
        _increment(key)
    logger.warning("login failed for %r from %s", username, address)


@receiver(user_logged_in)
def _clear_failures(sender, request, user, **kwargs):
    address = client_address(request)
    cache.delete(_keys(user.get_username(), address)[0])
    logger.info("login of %s from %s", user.get_username(), address)


@receiver(user_logged_out)
def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        logger.info("logout of %s", user.get_username())
