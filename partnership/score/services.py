"""Writes of the score: configuration versions, daily snapshots, pulse answers."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import BusinessUnit
from ..roles import is_business_manager, is_cio
from .models import PulseResponse, ScoreConfig, ScoreSnapshot
from .registry import Pillar, Window, registered_indicators
from .scoring import current_config, gather_measures, score_scope
from .selectors import quarter_of


@transaction.atomic
def score_config_create(*, actor, weights: dict, targets: dict, note: str = "") -> ScoreConfig:
    """A new version of weights and targets. Only the CIO sets them."""
    if not is_cio(actor):
        raise PermissionDenied("Only the CIO sets the score's weights and targets.")
    unknown_pillars = set(weights) - set(Pillar.ALL)
    if unknown_pillars:
        raise ValidationError({"weights": f"Unknown pillar: {', '.join(sorted(unknown_pillars))}."})
    known = {i.key for i in registered_indicators()}
    unknown_keys = set(targets) - known
    if unknown_keys:
        raise ValidationError({"targets": f"Unknown indicator: {', '.join(sorted(unknown_keys))}."})
    previous = ScoreConfig.objects.select_for_update().order_by("-version").first()
    config = ScoreConfig(
        version=(previous.version + 1) if previous else 1,
        weights={k: float(v) for k, v in weights.items()},
        targets={k: float(v) for k, v in targets.items()},
        note=note,
        created_by=actor,
    )
    config.full_clean()
    config.save()
    return config


def _snapshot_row(scope, day, window_days, config) -> ScoreSnapshot:
    return ScoreSnapshot(
        date=day,
        business_unit=scope.business_unit,
        window_days=window_days,
        overall=scope.overall,
        band=scope.band,
        pillars=scope.pillars,
        indicators={
            row.key: {"value": row.value, "score": row.score, "records": row.records, "url": row.url}
            for row in scope.indicators
        },
        config=config,
    )


def score_snapshot_take(*, day: datetime.date | None = None, window_days: int = 90) -> int:
    """Store the day's score overall and for each unit; a second run the same day adds nothing."""
    day = day or timezone.localdate()
    window = Window(start=day - datetime.timedelta(days=window_days - 1), end=day)
    config = current_config()
    units = list(BusinessUnit.objects.filter(is_active=True))
    gathered = gather_measures(window, units)
    rows = [_snapshot_row(score_scope(gathered, None, config), day, window_days, config)]
    rows += [_snapshot_row(score_scope(gathered, unit, config), day, window_days, config) for unit in units]
    existing = set(
        ScoreSnapshot.objects.filter(date=day, window_days=window_days).values_list("business_unit_id", flat=True)
    )
    created = ScoreSnapshot.objects.bulk_create(
        [r for r in rows if r.business_unit_id not in existing], ignore_conflicts=True
    )
    return len(created)


@transaction.atomic
def pulse_respond(*, respondent, understands: int, delivers: int, partner: int, comment: str = "", day=None) -> PulseResponse:
    """A business manager's answer for the current quarter (once a quarter)."""
    if not is_business_manager(respondent):
        raise PermissionDenied("The business pulse is answered by business managers.")
    quarter = quarter_of(day or timezone.localdate())
    if PulseResponse.objects.filter(respondent=respondent, quarter=quarter).exists():
        raise ValidationError({"quarter": f"You already answered the pulse for {quarter}. Thank you!"})
    response = PulseResponse(
        respondent=respondent,
        business_unit=respondent.business_unit,
        quarter=quarter,
        understands=understands,
        delivers=delivers,
        partner=partner,
        comment=comment,
    )
    response.full_clean()
    response.save()
    return response
