"""A test-only reminder kind that proves the machinery without any pillar model.

"test.unit_review": once a business unit is a week old, each active member of it is reminded,
once a week, to review the partnership with IT. Its due rows come from one indexed query.
`REMINDER_TEST_DELAY` (seconds) slows its message down so the reliability test can kill a worker
in the middle of a run.
"""

import datetime
import os
import time

from django.db.models import F, Value

from partnership.notifications import Message, ReminderKind, period_week, registry

KEY = "test.unit_review"


def due(now):
    from partnership.models import User

    return User.objects.filter(
        is_active=True,
        business_unit__is_active=True,
        business_unit__created_at__lte=now - datetime.timedelta(days=7),
    ).values(recipient_id=F("pk"), target_id=F("business_unit_id"), period=Value(period_week(now)))


def message(unit, reminder):
    delay = float(os.environ.get("REMINDER_TEST_DELAY", "0"))
    if delay:
        time.sleep(delay)
    return Message(
        title=f"Review the partnership with {unit.name}",
        body=f"Week {reminder.period}: what did IT do for {unit.name}, and what is next?",
        url=f"/accounts/profile/?unit={unit.slug}",
    )


UNIT_REVIEW = ReminderKind(
    key=KEY,
    label="Weekly unit review (test)",
    target_model="partnership.BusinessUnit",
    due=due,
    message=message,
    description="A test-only kind.",
)


def register_only_the_test_kind():
    """Leave the test kind alone in the registry (pillar kinds would add their own rows)."""
    registry._REGISTRY.clear()
    registry.register(UNIT_REVIEW)
