"""The listening pillar's indicators and attention item, registered with the partnership score."""

from partnership.score import Indicator
from partnership.score.registry import AttentionSource, Pillar

from . import selectors

# Collected by the score app when it is ready (partnership/declarations.py).
INDICATORS: list[Indicator] = []
ATTENTION: list[AttentionSource] = []

INDICATORS.append(
    Indicator(
        key="listening.units_listened",
        pillar=Pillar.LISTENING,
        label="Business units with a listening session",
        unit="%",
        target=80,
        measure=selectors.measure_units_listened,
        measure_by_unit=selectors.measure_units_listened_by_unit,
        description="Share of active business units IT met in a listening session during the window.",
    )
)
INDICATORS.append(
    Indicator(
        key="listening.acknowledged_within_sla",
        pillar=Pillar.LISTENING,
        label="Pain points acknowledged within SLA",
        unit="%",
        target=90,
        measure=selectors.measure_acknowledged_within_sla,
        measure_by_unit=selectors.measure_acknowledged_within_sla_by_unit,
        description=(
            "Share of the pain points submitted in the window, and due, that IT answered within "
            "LISTENING_ACK_SLA_DAYS business days."
        ),
    )
)
INDICATORS.append(
    Indicator(
        key="listening.old_pain_points_planned",
        pillar=Pillar.LISTENING,
        label="Pain points older than 30 days with a plan",
        unit="%",
        target=75,
        measure=selectors.measure_old_pain_points_planned,
        measure_by_unit=selectors.measure_old_pain_points_planned_by_unit,
        description="Share of the pain points at least 30 days old that are planned, resolved or closed.",
    )
)
ATTENTION.append(
    AttentionSource(
        key="listening.past_sla",
        label="Pain points past their acknowledgement SLA",
        pillar=Pillar.LISTENING,
        measure=selectors.attention_past_sla,
    )
)
