"""Login throttling (django-axes, partnership/security.py): every sign-in path, per (user, address)
and per user across addresses, never per address alone; the address from trusted proxies only;
counted in the database, so sign-in works without Redis. These tests run with the cache
production has (Redis at REDIS_URL), not the local-memory one of the other tests."""

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.db.models import F
from django.test import RequestFactory

import partnership.settings as production
from partnership.security import client_address

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
WRONG = "wrong-password-123"
LOAD_BALANCER = "10.0.0.2"



@pytest.fixture(autouse=True)
def _the_production_cache(_empty_cache, settings):
    """The cache configuration production has, read from the environment as the portal reads it
    (Redis when REDIS_URL is set, as in `make test`), in place of the tests' local-memory cache.
    A key prefix of each test's own keeps tests apart without flushing a Redis database."""
    settings.CACHES = {"default": {**production.CACHES["default"], "KEY_PREFIX": f"throttle-{uuid.uuid4().hex}"}}


def an_empty_cache(settings) -> None:
    """What a restarted or flushed cache looks like to the portal: none of the keys it had."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"throttle-{uuid.uuid4().hex}"}}


@pytest.fixture
def behind_the_load_balancer(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1


def login(client, username, password, address="127.0.0.1", forwarded=None, path="/accounts/login/"):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(path, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def move_failures_back(seconds: int) -> None:
    """What waiting does: every recorded failure becomes `seconds` older."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


# --- The portal's login page --------------------------------------------------------------------
def test_repeated_failed_logins_are_throttled_with_a_cool_off(client, alice, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", WRONG)
    response = login(client, "alice", password)  # even the right password waits
    assert response.status_code == 429
    assert "Too many failed attempts. Wait 15 minutes and try again." in response.content.decode()
    assert 'name="username"' in response.content.decode()  # the login form, with the reason as its error
    assert not signed_in(client)


def test_the_failure_that_reaches_the_limit_already_says_so(client, alice, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT - 1):
        assert login(client, "alice", WRONG).status_code == 200
    response = login(client, "alice", WRONG)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_the_message_says_how_many_minutes_are_left(client, alice, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", WRONG)
    move_failures_back(10 * 60)
    assert "Wait 5 minutes and try again." in login(client, "alice", password).content.decode()


def test_the_cool_off_ends_and_then_the_right_password_works(client, alice, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", WRONG)
    move_failures_back(settings.PORTAL_LOGIN_COOLOFF_SECONDS + 1)
    assert login(client, "alice", password).status_code == 302
    assert signed_in(client)


def test_a_refused_try_during_the_lockout_does_not_prolong_it(client, alice, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", WRONG)
    move_failures_back(settings.PORTAL_LOGIN_COOLOFF_SECONDS - 60)
    assert login(client, "alice", WRONG).status_code == 429  # refused, not counted
    move_failures_back(61)
    assert login(client, "alice", password).status_code == 302


def test_a_success_clears_the_failures_of_that_user_and_address(client, alice, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT - 1):
        login(client, "alice", WRONG)
    assert login(client, "alice", password).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT - 1):
        login(client, "alice", WRONG)
    assert login(client, "alice", password).status_code == 302


# --- Per (user, address) and per user, never per address alone -----------------------------------
def test_an_attacker_elsewhere_cannot_lock_a_user_out(client, alice, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", "guess-guess-123", address="203.0.113.9")
    assert login(client, "alice", password).status_code == 302  # from her own address


def test_twenty_failures_from_one_address_against_other_users_do_not_block_anyone_else(client, mallory, password):
    # A shared proxy or office NAT: 20 people mistyping (or one attacker spraying) from one address.
    for number in range(20):
        UserFactory(username=f"colleague{number}")
        assert login(client, f"colleague{number}", WRONG, address="198.51.100.1").status_code == 200
    assert login(client, "mallory", password, address="198.51.100.1").status_code == 302
    assert signed_in(client)


def test_a_spray_from_one_address_locks_only_the_pair_it_hammered(client, password, settings):
    # From one address: 20 users fail once each, and the first of them up to the pair's limit.
    office = "198.51.100.1"
    for number in range(20):
        UserFactory(username=f"colleague{number}")
        assert login(client, f"colleague{number}", WRONG, address=office).status_code == 200
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT - 1):
        login(client, "colleague0", WRONG, address=office)
    # That (user, address) pair waits, even with the right password ...
    assert login(client, "colleague0", password, address=office).status_code == 429
    # ... the same user from elsewhere does not (5 of the 20 failures allowed across addresses) ...
    assert login(client, "colleague0", password, address="203.0.113.50").status_code == 302
    client.post("/accounts/logout/")
    # ... and every other user signs in from the same address.
    for number in range(1, 20):
        assert login(client, f"colleague{number}", password, address=office).status_code == 302, number
        client.post("/accounts/logout/")


def test_the_per_user_limit_across_addresses_locks_that_user_and_only_them(client, alice, mallory, password, settings):
    for number in range(settings.PORTAL_LOGIN_USER_FAILURE_LIMIT):
        login(client, "alice", WRONG, address=f"203.0.113.{number + 1}")
    response = login(client, "alice", password, address="198.51.100.7")  # a new address: still locked
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert not signed_in(client)
    assert login(client, "mallory", password, address="203.0.113.1").status_code == 302


def test_a_success_leaves_the_count_of_the_user_across_addresses(client, alice, password, settings):
    # Else an attacker spreading guesses over addresses would get a fresh allowance at each of
    # alice's sign-ins.
    limit = settings.PORTAL_LOGIN_USER_FAILURE_LIMIT
    for number in range(limit - 2):
        login(client, "alice", WRONG, address=f"203.0.113.{number + 1}")
    assert login(client, "alice", password).status_code == 302
    client.post("/accounts/logout/")
    for number in range(2):
        login(client, "alice", WRONG, address=f"192.0.2.{number + 1}")
    assert login(client, "alice", password).status_code == 429


# --- Every sign-in path ---------------------------------------------------------------------------
def test_the_admin_login_locks_after_the_limit_and_refuses_the_right_password(client, root, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "root", WRONG, path="/admin/login/?next=/admin/")
    response = login(client, "root", password, path="/admin/login/?next=/admin/")
    assert response.status_code == 429
    assert "Too many failed attempts. Wait 15 minutes and try again." in response.content.decode()
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_the_admin_and_the_portal_login_share_one_count(client, root, password, settings):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "root", WRONG, path="/admin/login/")
    assert login(client, "root", password).status_code == 429


def test_api_tokens_work_while_their_user_is_locked_out(client, api, alice, settings):
    token_client = api(alice)
    for number in range(settings.PORTAL_LOGIN_USER_FAILURE_LIMIT):
        login(client, "alice", WRONG, address=f"203.0.113.{number + 1}")
    assert login(client, "alice", WRONG).status_code == 429  # locked out of signing in
    response = token_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_the_throttle_tests_run_on_the_production_cache(settings):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: production's cache here is the file cache (make test sets REDIS_URL)")
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.CACHES["default"]["LOCATION"] == production.CACHES["default"]["LOCATION"]
    cache.set("probe", "through Redis")
    assert cache.get("probe") == "through Redis"


def test_a_lockout_outlives_an_emptied_cache(client, alice, password, settings):
    # The counts are rows in the database: a restarted or flushed Redis gives no fresh guesses.
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", WRONG)
    an_empty_cache(settings)
    assert login(client, "alice", password).status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == settings.PORTAL_LOGIN_FAILURE_LIMIT


def test_sign_in_works_while_the_cache_is_unreachable(client, alice, password, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    from django.core.cache import cache

    with pytest.raises(Exception):  # noqa: B017 - whichever error the Redis client raises
        cache.get("anything")
    assert login(client, "alice", WRONG).status_code == 200  # the form's error, not a 500
    assert login(client, "alice", password).status_code == 302
    assert signed_in(client)


# --- The client address ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", LOAD_BALANCER),  # no trusted proxy: the header is ignored
        (1, "198.51.100.99, 203.0.113.7", "203.0.113.7"),  # the balancer appended the rightmost
        (2, "198.51.100.99, 203.0.113.7, 192.0.2.50", "203.0.113.7"),  # a CDN, then the balancer
        (2, "203.0.113.7", LOAD_BALANCER),  # fewer entries than proxies: the connection's address
        (1, "", LOAD_BALANCER),
        (1, "not-an-address", LOAD_BALANCER),
        (1, "203.0.113.7:51234", "203.0.113.7"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "2001:DB8:0::7", "2001:db8::7"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxies_only(settings, proxies, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_rotating_the_leftmost_forwarded_address_gives_no_more_guesses(client, alice, password, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    settings.PORTAL_TRUST_X_FORWARDED_FOR = True  # how the release before trusted the balancer
    for number in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", WRONG, address=LOAD_BALANCER, forwarded=f"198.51.100.{number + 1}, 203.0.113.7")
    response = login(client, "alice", password, address=LOAD_BALANCER, forwarded="198.51.100.200, 203.0.113.7")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_the_load_balancer_each_client_has_its_own_count(
    client, alice, password, settings, behind_the_load_balancer
):
    for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
        login(client, "alice", WRONG, address=LOAD_BALANCER, forwarded="203.0.113.7")
    assert login(client, "alice", password, address=LOAD_BALANCER, forwarded="198.51.100.20").status_code == 302


def _proxy_count(tmp_path, **env) -> int:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    clean.update(
        DJANGO_SETTINGS_MODULE="partnership.settings", DJANGO_READ_ENV_FILE="false", PORTAL_VAR_DIR=str(tmp_path), **env
    )
    dump = "import django; from django.conf import settings; django.setup(); print(settings.PORTAL_TRUSTED_PROXY_COUNT)"
    result = subprocess.run(
        [sys.executable, "-c", dump], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_old_trust_forwarded_for_switch_still_means_one_proxy(tmp_path):
    assert _proxy_count(tmp_path) == 0
    assert _proxy_count(tmp_path, PORTAL_TRUST_X_FORWARDED_FOR="true") == 1
    assert _proxy_count(tmp_path, PORTAL_TRUST_X_FORWARDED_FOR="true", PORTAL_TRUSTED_PROXY_COUNT="2") == 2


# --- Security events ----------------------------------------------------------------------------
def test_failures_lockouts_and_logins_are_logged_as_security_events(client, alice, mallory, password, caplog, settings):
    with caplog.at_level("INFO", logger="portal.security"):
        for _ in range(settings.PORTAL_LOGIN_FAILURE_LIMIT):
            login(client, "alice", WRONG, address="203.0.113.9")
        login(client, "mallory", password)
    messages = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert "login failed for 'alice' from 203.0.113.9" in messages
    assert "login of 'alice' from 203.0.113.9 refused: too many failed attempts" in messages
    assert "login of mallory from 127.0.0.1" in messages
