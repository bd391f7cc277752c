"""Fixtures shared by every test: the cast of users, API clients and the browser."""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from partnership.roles import Role
from partnership.services import api_token_create

from .factories import PASSWORD, BusinessUnitFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SQLITE_REFUSAL = (
    "The tests run on PostgreSQL, as production does, and the configured database is SQLite "
    "(DATABASE_URL is not set, or names SQLite). Run `make test` (it starts a PostgreSQL of its own), "
    "or set DATABASE_URL=postgres://..., or set PORTAL_TESTS_ALLOW_SQLITE=true to run on SQLite anyway "
    "(many tests then fail: they need PostgreSQL's locking and full-text search)."
)


def pytest_configure(config):
    """Refuse to run on SQLite unless asked: a plain `pytest` without DATABASE_URL would otherwise
    run on the laptop default of `make run` and fail a hundred tests for reasons that are not bugs.
    The tests of the SQLite default itself run the portal in subprocesses, so they are not affected."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    allowed = os.environ.get("PORTAL_TESTS_ALLOW_SQLITE", "").strip().lower() in {"true", "1", "yes", "on"}
    if engine == "django.db.backends.sqlite3" and not allowed:
        raise pytest.UsageError(SQLITE_REFUSAL)


# No test depends on how fast the machine is: Hypothesis' per-example deadline and its "input
# generation is slow" check failed the score's property tests on a loaded CI machine.
hypothesis_settings.register_profile("portal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("portal")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every user a test makes hashes its password: the production hasher (PBKDF2, a million
    rounds) takes most of a second each, MD5 a microsecond. No rule a test checks depends on it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test gets an empty cache of its own (the score rollup lives there), and never
    flushes a Redis database that a broker may share."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()


@pytest.fixture(autouse=True)
def _no_api_rate_limits(settings):
    """The suite makes thousands of API requests from one address; the limits have their own
    tests (tests/integrations/test_rate_limits.py), which set them."""
    settings.API_RATE_LIMIT_PER_TOKEN = ""
    settings.API_RATE_LIMIT_PER_ADDRESS = ""


@pytest.fixture(autouse=True)
def _plain_static_names_for_the_live_server(request, settings):
    """The live test server serves static files from their sources, which know no hashed
    (manifest) names: pages under a browser test link the plain names, so scripts load."""
    if "live_server" in request.fixturenames:
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def sales(db):
    return BusinessUnitFactory(name="Sales", slug="sales")


@pytest.fixture
def finance(db):
    return BusinessUnitFactory(name="Finance", slug="finance")


@pytest.fixture
def alice(sales):
    """Alice, the business manager of Sales."""
    return UserFactory(username="alice", first_name="Alice", business_unit=sales, role=Role.BUSINESS_MANAGER)


@pytest.fixture
def mallory(finance):
    """Mallory, a business manager of another unit (Finance)."""
    return UserFactory(username="mallory", first_name="Mallory", business_unit=finance, role=Role.BUSINESS_MANAGER)


@pytest.fixture
def ivan(db):
    """Ivan, the IT engineer."""
    return UserFactory(username="ivan", first_name="Ivan", role=Role.IT_STAFF)


@pytest.fixture
def carla(db):
    """Carla, the CIO."""
    return UserFactory(username="carla", first_name="Carla", role=Role.CIO)


@pytest.fixture
def tess(db):
    """Tess, the ticketing system's integration account."""
    return UserFactory(username="tess", first_name="Tess", role=Role.INTEGRATION_CLIENT)


@pytest.fixture
def root(db):
    """A superuser made with createsuperuser: no group, no business unit."""
    from partnership.models import User

    return User.objects.create_superuser("root", "root@example.com", PASSWORD)


@pytest.fixture
def api():
    """`api(user)` is an API client authenticated with a fresh token of that user."""

    def make(user=None, **token_options):
        client = APIClient()
        if user is not None:
            _, key = api_token_create(user=user, name="test", **token_options)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make
