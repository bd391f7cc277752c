"""Helpers of the extra-mile tests. Rows are made through the services, like real ones."""

import datetime

import pytest
from django.utils import timezone

from listening import services as listening_services
from partnership.extramile import services
from partnership.extramile.choices import ActionKind

from ..listening.factories import make_pain_point, make_planned


def log_action(*, actor, business_unit, recipients=(), title="Added two years of data and three charts", **kwargs):
    defaults = {"kind": ActionKind.EXTRA_ANALYSIS, "effort_hours": 2}
    defaults.update(kwargs)
    return services.extra_mile_action_create(
        actor=actor, title=title, business_unit=business_unit, recipients=list(recipients), **defaults
    )


def record_window(*, actor, key_users, starts_in_hours=-3, hours=2, system="SAP ERP", **kwargs):
    start = timezone.now() + datetime.timedelta(hours=starts_in_hours)
    return services.maintenance_window_create(
        actor=actor, system=system, starts_at=start, ends_at=start + datetime.timedelta(hours=hours),
        key_users=list(key_users), **kwargs,
    )


def make_resolved(*, submitted_by, it_user, **kwargs):
    pain_point = make_pain_point(submitted_by=submitted_by, **kwargs)
    make_planned(pain_point, it_user)
    return listening_services.pain_point_resolve(pain_point=pain_point, actor=it_user, note="Fixed.")


class Clock:
    """A controllable `timezone.now()` for time travel."""

    def __init__(self):
        self.now = timezone.now()

    def travel(self, **delta):
        self.now += datetime.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


__all__ = ["make_pain_point", "make_planned"]


def queries_of(call) -> int:
    """How many queries `call()` makes (measured at the small size, then pinned at the large one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)
