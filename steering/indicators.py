"""Indicators of the "Share with business" pillar, registered with the partnership score, and
what needs attention on the dashboard (overdue action items).

The average event rating and overdue action items are measures too (selectors.py) but not
score indicators. Each indicator also gives `measure_by_unit`, so that the score gathers every
business unit in a fixed number of queries.
"""

from partnership.score import Indicator
from partnership.score.registry import Attention, AttentionSource, Pillar

from . import selectors

# Collected by the score app when it is ready (partnership/declarations.py).
INDICATORS: list[Indicator] = []
ATTENTION: list[AttentionSource] = []

INDICATORS.append(
    Indicator(
        key="steering.business_attendance",
        pillar=Pillar.SHARING,
        label="Business attendance at steering meetings",
        unit="%",
        target=80,
        measure=selectors.business_attendance_rate,
        measure_by_unit=selectors.business_attendance_rate_by_unit,
        description="Share of the business members' recorded attendance at committee meetings that was “present”.",
    )
)
INDICATORS.append(
    Indicator(
        key="steering.decisions_with_buy_in",
        pillar=Pillar.SHARING,
        label="Decisions with business buy-in",
        unit="%",
        target=75,
        measure=selectors.decisions_with_buy_in_share,
        measure_by_unit=selectors.decisions_with_buy_in_share_by_unit,
        description=(
            "Share of the decisions closed in the window that enough of the business members who took "
            "a position support (STEERING_BUY_IN_SHARE, two thirds by default)."
        ),
    )
)
INDICATORS.append(
    Indicator(
        key="steering.events_held",
        pillar=Pillar.SHARING,
        label="IT open days, workshops and informal meetings held",
        unit="events",
        target=3,
        measure=selectors.events_held,
        measure_by_unit=selectors.events_held_by_unit,
        description="Events IT held for the business in the window (for a unit: those open to it).",
    )
)
INDICATORS.append(
    Indicator(
        key="steering.event_business_attendance",
        pillar=Pillar.SHARING,
        label="Business attendees per event",
        unit="people",
        target=8,
        measure=selectors.business_attendees_per_event,
        measure_by_unit=selectors.business_attendees_per_event_by_unit,
        description="Business people who attended, per event held in the window.",
    )
)


def _overdue_action_items(user, business_unit=None) -> Attention:
    """Open action items past their due date that `user` may see (one query)."""
    count = selectors.action_item_list(user=user, state="overdue", business_unit=business_unit).count()
    url = selectors.action_item_list_url(state="overdue", business_unit=business_unit)
    return Attention(count=count, url=url)


ATTENTION.append(
    AttentionSource(
        key="steering.overdue_action_items",
        label="Overdue steering action items",
        pillar=Pillar.SHARING,
        measure=_overdue_action_items,
    )
)
