"""The business buy-in rule, from tables: the pure function, the queryset annotation, the setting."""

from fractions import Fraction

import pytest
from django.core.exceptions import ImproperlyConfigured

from steering.choices import MemberRole, Side, Stance
from steering.models import Decision
from steering.rules import buy_in_share, has_buy_in

from .factories import CommitteeFactory, DecisionFactory, MembershipFactory, PositionFactory

S, SC, OP, AB = Stance.SUPPORT, Stance.SUPPORT_WITH_CONCERNS, Stance.OPPOSE, Stance.ABSTAIN
TWO_THIRDS = Fraction(2, 3)


@pytest.mark.parametrize(
    ("supporting", "positions", "share", "expected"),
    [
        (0, 0, TWO_THIRDS, None),  # nobody from the business took a position: not measured
        (1, 1, TWO_THIRDS, True),
        (0, 1, TWO_THIRDS, False),
        (2, 3, TWO_THIRDS, True),  # exactly two thirds is enough (no 0.6667 rounding)
        (1, 2, TWO_THIRDS, False),
        (3, 4, TWO_THIRDS, True),
        (4, 6, TWO_THIRDS, True),
        (3, 5, TWO_THIRDS, False),
        (1, 2, Fraction(1, 2), True),
        (2, 3, Fraction(3, 4), False),
        (3, 4, Fraction(3, 4), True),
        (5, 5, Fraction(1), True),
        (4, 5, Fraction(1), False),
    ],
)
def test_the_buy_in_rule(supporting, positions, share, expected):
    assert has_buy_in(business_supporting=supporting, business_positions=positions, share=share) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2/3", Fraction(2, 3)), ("0.75", Fraction(3, 4)), (" 1/2 ", Fraction(1, 2)), ("1", Fraction(1))],
)
def test_the_share_setting_is_read_exactly(settings, raw, expected):
    settings.STEERING_BUY_IN_SHARE = raw
    assert buy_in_share() == expected


@pytest.mark.parametrize("raw", ["0", "1.5", "two thirds", "1/0", "-1/3"])
def test_a_nonsensical_share_setting_fails_loudly(settings, raw):
    settings.STEERING_BUY_IN_SHARE = raw
    with pytest.raises(ImproperlyConfigured):
        buy_in_share()


# (business stances, IT stances, observer stances, expected buy-in)
CASES = [
    ([S, S], [], [], True),
    ([S, SC], [], [], True),  # support with concerns still supports
    ([S, OP], [], [], False),
    ([S, S, OP], [], [], True),
    ([S, OP, AB], [], [], False),  # an abstention is a position taken without support
    ([SC, SC, OP], [OP, OP], [], True),  # IT positions do not count for business buy-in
    ([], [S, S], [], None),
    ([OP], [S, S, S], [], False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("business", "it", "observers", "expected"), CASES)
def test_the_register_annotation_agrees_with_the_rule(business, it, observers, expected):
    committee = CommitteeFactory()
    decision = DecisionFactory(committee=committee)
    for stance in business:
        PositionFactory(decision=decision, member=MembershipFactory(committee=committee, side=Side.BUSINESS), stance=stance)
    for stance in it:
        PositionFactory(decision=decision, member=MembershipFactory(committee=committee, side=Side.IT), stance=stance)
    for stance in observers:
        member = MembershipFactory(committee=committee, side=Side.BUSINESS, role=MemberRole.OBSERVER)
        PositionFactory(decision=decision, member=member, stance=stance)
    annotated = Decision.objects.with_buy_in().get(pk=decision.pk)
    assert annotated.buy_in() is expected
    assert Decision.objects.get(pk=decision.pk).buy_in() is expected  # from the positions themselves
    assert annotated.has_buy_in is bool(expected)
    assert annotated.business_positions == len(business)


@pytest.mark.django_db
def test_a_stricter_share_setting_changes_the_register(settings):
    committee = CommitteeFactory()
    decision = DecisionFactory(committee=committee)
    for stance in (S, S, OP):
        PositionFactory(decision=decision, member=MembershipFactory(committee=committee), stance=stance)
    assert Decision.objects.with_buy_in().filter(has_buy_in=True).count() == 1
    settings.STEERING_BUY_IN_SHARE = "3/4"
    assert Decision.objects.with_buy_in().filter(has_buy_in=True).count() == 0
