"""Fixtures of the partnership tests."""

import pytest

from partnership.notifications import registry

from .reminder_kinds import UNIT_REVIEW, register_only_the_test_kind


@pytest.fixture
def unit_review_kind():
    """The test-only reminder kind registered alone for the test; the real registry comes back after."""
    saved = dict(registry._REGISTRY)
    register_only_the_test_kind()
    yield UNIT_REVIEW
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)
