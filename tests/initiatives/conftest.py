"""Fixtures of the initiatives tests."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every test makes a handful of users: hash their passwords quickly (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
