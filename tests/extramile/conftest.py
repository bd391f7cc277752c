"""Fixtures of the extra-mile tests."""

import pytest

from ..factories import BusinessUnitFactory, UserFactory
from .factories import clock  # noqa: F401  (the time-travel fixture)


@pytest.fixture
def sam(sales):
    """Sam, a second business manager of Sales (alice's colleague)."""
    from partnership.roles import Role

    return UserFactory(username="sam", first_name="Sam", business_unit=sales, role=Role.BUSINESS_MANAGER)


@pytest.fixture
def operations(db):
    return BusinessUnitFactory(name="Operations", slug="operations")


@pytest.fixture
def greta_it(db):
    """Greta, a second IT engineer."""
    from partnership.roles import Role

    return UserFactory(username="greta", first_name="Greta", role=Role.IT_STAFF)
