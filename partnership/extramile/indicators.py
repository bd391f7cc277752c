"""The extra-mile pillar's indicators and attention items, registered with the partnership score.

Imported from `ExtraMileConfig.ready()`.
"""

from ..score import Indicator
from ..score.registry import Attention, AttentionSource, Pillar
from . import measures, selectors

# Collected by the score app when it is ready (partnership/declarations.py).
INDICATORS: list[Indicator] = []
ATTENTION: list[AttentionSource] = []

INDICATORS.append(
    Indicator(
        key="extra_mile.actions_per_resolved",
        pillar=Pillar.EXTRA_MILE,
        label="Extra-mile actions per resolved pain point",
        unit="per resolved",
        target=0.5,
        measure=measures.measure_actions_per_resolved,
        measure_by_unit=measures.measure_actions_per_resolved_by_unit,
        description=(
            "Extra-mile actions done in the window for every pain point resolved in it. An action no "
            "recipient has confirmed counts EXTRAMILE_UNCONFIRMED_WEIGHT; at most "
            "EXTRAMILE_MAX_ACTIONS_PER_WEEK count per person a week."
        ),
    )
)
INDICATORS.append(
    Indicator(
        key="extra_mile.average_rating",
        pillar=Pillar.EXTRA_MILE,
        label="Recipients' rating of extra-mile actions",
        unit="/ 5",
        target=4,
        measure=measures.measure_average_rating,
        measure_by_unit=measures.measure_average_rating_by_unit,
        description="Average rating (1-5) the business gave the confirmed actions performed in the window.",
    )
)
INDICATORS.append(
    Indicator(
        key="extra_mile.check_ins_on_time",
        pillar=Pillar.EXTRA_MILE,
        label="Check-ins after downtime done on time",
        unit="%",
        target=90,
        measure=measures.measure_check_ins_on_time,
        measure_by_unit=measures.measure_check_ins_on_time_by_unit,
        description="Share of the check-ins due in the window that the key user (or IT) answered by the due time.",
    )
)
INDICATORS.append(
    Indicator(
        key="extra_mile.survey_average",
        pillar=Pillar.EXTRA_MILE,
        label="Satisfaction after resolution",
        unit="/ 5",
        target=4,
        measure=measures.measure_survey_average,
        measure_by_unit=measures.measure_survey_average_by_unit,
        description="Average post-resolution survey rating (1-5) of the pain points resolved in the window.",
    )
)


def _overdue_check_ins(user, business_unit=None) -> Attention:
    from django.urls import reverse

    url = reverse("extramile:checkin-list") + "?state=overdue"
    if business_unit is not None:
        url += f"&unit={business_unit.pk}"
    return Attention(count=selectors.overdue_check_in_count(user, business_unit), url=url)


ATTENTION.append(
    AttentionSource(
        key="extra_mile.overdue_check_ins",
        label="Overdue check-ins after downtime",
        pillar=Pillar.EXTRA_MILE,
        measure=_overdue_check_ins,
    )
)
