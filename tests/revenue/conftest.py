"""Fixtures of the revenue tests."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The factories hash a password per user; a fast hasher keeps the many-project tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
