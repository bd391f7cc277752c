"""The cast of a steering committee: Chris (a business chair), Alice and Bert (business members),
Ivan (IT member), Olga (observer). Mallory (Finance) is on no committee."""

import pytest

from partnership.roles import Role
from steering.choices import MemberRole, Side

from ..factories import UserFactory
from .factories import CommitteeFactory, MembershipFactory


@pytest.fixture
def chris(sales):
    return UserFactory(username="chris", first_name="Chris", business_unit=sales, role=Role.BUSINESS_MANAGER)


@pytest.fixture
def bert(sales):
    return UserFactory(username="bert", first_name="Bert", business_unit=sales, role=Role.BUSINESS_MANAGER)


@pytest.fixture
def olga(sales):
    return UserFactory(username="olga", first_name="Olga", business_unit=sales, role=Role.BUSINESS_MANAGER)


@pytest.fixture
def committee(chris, alice, bert, ivan, olga):
    committee = CommitteeFactory(name="BYOD steering committee")
    MembershipFactory(committee=committee, user=chris, side=Side.BUSINESS, role=MemberRole.CHAIR)
    MembershipFactory(committee=committee, user=alice, side=Side.BUSINESS, role=MemberRole.MEMBER)
    MembershipFactory(committee=committee, user=bert, side=Side.BUSINESS, role=MemberRole.MEMBER)
    MembershipFactory(committee=committee, user=ivan, side=Side.IT, role=MemberRole.MEMBER)
    MembershipFactory(committee=committee, user=olga, side=Side.BUSINESS, role=MemberRole.OBSERVER)
    return committee


def member(committee, user):
    return committee.memberships.get(user=user)
