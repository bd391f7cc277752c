"""The proactivity pillar's indicators, registered with the partnership score, and what needs
attention on the dashboard (overdue milestones)."""

from django.urls import reverse

from partnership.score import Indicator
from partnership.score.registry import Attention, AttentionSource, Direction, Pillar

from . import selectors

# Collected by the score app when it is ready (partnership/declarations.py).
INDICATORS: list[Indicator] = []
ATTENTION: list[AttentionSource] = []

INDICATORS.append(
    Indicator(
        key="initiatives.yes_rate",
        pillar=Pillar.PROACTIVITY,
        label="YES rate on business requests",
        unit="%",
        target=75,
        measure=selectors.measure_yes_rate,
        measure_by_unit=selectors.measure_yes_rate_by_unit,
        description=(
            "Share of the business requests (business request or from pain points) decided in the window "
            "that were approved rather than rejected."
        ),
    )
)
INDICATORS.append(
    Indicator(
        key="initiatives.it_originated",
        pillar=Pillar.PROACTIVITY,
        label="IT-originated initiatives",
        unit="%",
        target=40,
        measure=selectors.measure_it_originated,
        measure_by_unit=selectors.measure_it_originated_by_unit,
        description="Share of the initiatives proposed in the window that IT thought of first.",
    )
)
INDICATORS.append(
    Indicator(
        key="initiatives.on_time_delivery",
        pillar=Pillar.PROACTIVITY,
        label="Initiatives delivered on time",
        unit="%",
        target=80,
        measure=selectors.measure_on_time_delivery,
        measure_by_unit=selectors.measure_on_time_delivery_by_unit,
        direction=Direction.HIGHER_IS_BETTER,
        description="Share of the initiatives delivered in the window on or before their target date.",
    )
)


def _overdue_milestones(user, business_unit=None) -> Attention:
    url = reverse("initiatives:index") + "?late_milestones=true"
    if business_unit is not None:
        url += f"&business_unit={business_unit.pk}"
    count = selectors.overdue_milestones(user=user, business_unit=business_unit).count()
    return Attention(count=count, url=url)


ATTENTION.append(
    AttentionSource(
        key="initiatives.overdue_milestones",
        label="Overdue initiative milestones",
        pillar=Pillar.PROACTIVITY,
        measure=_overdue_milestones,
    )
)
