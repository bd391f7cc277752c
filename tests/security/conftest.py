"""The world of the permission matrix is built once per module, inside a transaction that is
rolled back when the module is done; each test runs in a savepoint of it (pytest-django's `db`),
so a request that wrongly changes something cannot leak into the next test."""

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from .factories import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                world = build_world()
                world.client = Client()
                yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
