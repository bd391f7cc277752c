"""The scoring rules, from tables of plain cases and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnership.score.engine import IndicatorInput, compute, indicator_score, maturity_band
from partnership.score.registry import Direction, Pillar

LOWER = Direction.LOWER_IS_BETTER


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (None, 10, Direction.HIGHER_IS_BETTER, None),  # no data stays no data
        (0, 10, Direction.HIGHER_IS_BETTER, 0.0),  # a measured zero is a zero
        (5, 10, Direction.HIGHER_IS_BETTER, 50.0),
        (10, 10, Direction.HIGHER_IS_BETTER, 100.0),
        (25, 10, Direction.HIGHER_IS_BETTER, 100.0),  # capped
        (-3, 10, Direction.HIGHER_IS_BETTER, 0.0),  # never below zero
        (4, 2, LOWER, 50.0),
        (2, 2, LOWER, 100.0),
        (1, 2, LOWER, 100.0),  # better than target is capped
        (0, 2, LOWER, 100.0),
        (None, 2, LOWER, None),
    ],
)
def test_indicator_score(value, target, direction, expected):
    assert indicator_score(value, target, direction) == expected


def test_a_target_must_be_positive():
    with pytest.raises(ValueError, match="target must be positive"):
        indicator_score(1, 0)


@pytest.mark.parametrize(
    ("score", "band"),
    [(None, "no data"), (0, "ad hoc"), (19.9, "ad hoc"), (20, "order taker"), (39, "order taker"),
     (40, "service provider"), (60, "trusted advisor"), (79.99, "trusted advisor"), (80, "strategic partner"),
     (100, "strategic partner")],
)
def test_maturity_band(score, band):
    assert maturity_band(score) == band


def inp(key, pillar, value, target=100, direction=Direction.HIGHER_IS_BETTER):
    return IndicatorInput(key=key, pillar=pillar, value=value, target=target, direction=direction)


def test_no_data_at_all_gives_no_score():
    result = compute([inp("a", Pillar.LISTENING, None)])
    assert result.overall is None
    assert result.band == "no data"
    assert result.pillars[Pillar.LISTENING] is None


def test_a_pillar_is_the_mean_of_its_indicators_with_data_and_no_data_is_left_out():
    result = compute([inp("a", Pillar.LISTENING, 80), inp("b", Pillar.LISTENING, 40), inp("c", Pillar.LISTENING, None)])
    assert result.pillars[Pillar.LISTENING] == 60
    assert result.overall == 60
    assert result.indicators[2].score is None and result.indicators[2].contribution is None


def test_the_overall_is_the_weighted_mean_of_pillars_with_data():
    inputs = [inp("a", Pillar.LISTENING, 100), inp("b", Pillar.REVENUE, 40), inp("c", Pillar.SHARING, None)]
    assert compute(inputs).overall == 70
    assert compute(inputs, {Pillar.LISTENING: 3, Pillar.REVENUE: 1}).overall == 85
    # a pillar weighted 0 is left out
    assert compute(inputs, {Pillar.REVENUE: 0}).overall == 100


def test_contributions_add_up_to_the_overall_score():
    inputs = [inp("a", Pillar.LISTENING, 100), inp("b", Pillar.LISTENING, 50), inp("c", Pillar.REVENUE, 20),
              inp("d", Pillar.SHARING, 70, target=50)]
    result = compute(inputs, {Pillar.LISTENING: 2})
    assert sum(i.contribution for i in result.indicators) == pytest.approx(result.overall)


values = st.one_of(st.none(), st.floats(min_value=-10, max_value=1e6, allow_nan=False))
targets = st.floats(min_value=0.01, max_value=1e5, allow_nan=False)
pillars = st.sampled_from(Pillar.ALL)
directions = st.sampled_from([Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER])
inputs_strategy = st.lists(st.builds(IndicatorInput, key=st.text(min_size=1, max_size=5), pillar=pillars,
                                     value=values, target=targets, direction=directions), max_size=12)
weights_strategy = st.dictionaries(pillars, st.floats(min_value=0, max_value=10, allow_nan=False))


@given(inputs_strategy, weights_strategy)
def test_every_score_stays_within_0_and_100(inputs, weights):
    result = compute(inputs, weights)
    for score in [result.overall, *result.pillars.values(), *(i.score for i in result.indicators)]:
        assert score is None or 0 <= score <= 100 + 1e-9


@given(inputs_strategy, weights_strategy, st.integers(min_value=0, max_value=11), st.floats(min_value=0, max_value=1e4))
def test_improving_one_indicator_never_lowers_the_score(inputs, weights, index, improvement):
    if not inputs:
        return
    index %= len(inputs)
    item = inputs[index]
    if item.value is None:
        return
    better = item.value + improvement if item.direction == Direction.HIGHER_IS_BETTER else max(0, item.value - improvement)
    improved = [*inputs[:index], IndicatorInput(item.key, item.pillar, better, item.target, item.direction), *inputs[index + 1:]]
    before, after = compute(inputs, weights).overall, compute(improved, weights).overall
    assert before is None or after >= before - 1e-9
