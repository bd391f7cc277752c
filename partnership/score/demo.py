"""Demo data of the score: business pulse answers and months of daily snapshots.

Runs after every pillar has seeded its dated records, so that the snapshots of past days show
a believable trend and differences between units.
"""

import datetime

from django.utils import timezone

from ..models import User
from ..roles import Role
from .models import PulseResponse
from .selectors import quarter_of
from .services import score_snapshot_take

# (understands, delivers, partner) per demo manager: the business does not all see IT alike.
PULSE = {
    "alice": (4, 4, 3),
    "mallory": (3, 2, 2),
    "bob": (4, 3, 3),
    "maria": (5, 4, 4),
    "hana": (3, 3, 2),
    "oscar": (2, 3, 2),
}


def _seed_pulse(today: datetime.date) -> None:
    managers = {u.username: u for u in User.objects.filter(username__in=PULSE, groups__name=Role.BUSINESS_MANAGER.value)}
    previous_quarter_day = (today.replace(day=1) - datetime.timedelta(days=95))
    for quarter_day, shift in ((previous_quarter_day, -1), (today, 0)):
        quarter = quarter_of(quarter_day)
        for username, scores in PULSE.items():
            user = managers.get(username)
            if user is None or PulseResponse.objects.filter(respondent=user, quarter=quarter).exists():
                continue
            understands, delivers, partner = (max(1, min(5, s + shift)) for s in scores)
            response = PulseResponse.objects.create(
                respondent=user, business_unit=user.business_unit, quarter=quarter,
                understands=understands, delivers=delivers, partner=partner,
            )
            moment = timezone.make_aware(datetime.datetime.combine(quarter_day, datetime.time(10)))
            PulseResponse.objects.filter(pk=response.pk).update(created_at=moment)


def seed(*, scale: int = 1, progress=None) -> None:
    today = timezone.localdate()
    _seed_pulse(today)
    # Weekly snapshots over nine months, then daily over the last five weeks ("what changed").
    days = sorted(
        {today - datetime.timedelta(days=7 * week) for week in range(0, 39)}
        | {today - datetime.timedelta(days=d) for d in range(0, 35)}
    )
    for done, day in enumerate(days, start=1):
        score_snapshot_take(day=day)
        if progress:
            progress("score history", done, len(days))
