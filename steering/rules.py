"""The business buy-in rule, a pure function over counts so that it can be tested from tables."""

from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def buy_in_share() -> Fraction:
    """STEERING_BUY_IN_SHARE as an exact fraction: "2/3" must mean two of three, not 0.6667."""
    raw = str(settings.STEERING_BUY_IN_SHARE).strip()
    try:
        share = Fraction(raw)
    except (ValueError, ZeroDivisionError) as exc:
        raise ImproperlyConfigured(f"STEERING_BUY_IN_SHARE must be a fraction like 2/3 or 0.75, got {raw!r}") from exc
    if not 0 < share <= 1:
        raise ImproperlyConfigured(f"STEERING_BUY_IN_SHARE must be above 0 and at most 1, got {raw!r}")
    return share


def has_buy_in(*, business_supporting: int, business_positions: int, share: Fraction | None = None) -> bool | None:
    """Whether the business members who took a position back a decision.

    A decision has business buy-in when at least `share` of the business members who took a
    position support it, with or without concerns. None when no business member took a
    position: buy-in is measured, never assumed.
    """
    share = buy_in_share() if share is None else share
    if business_positions <= 0:
        return None
    return business_supporting * share.denominator >= share.numerator * business_positions
