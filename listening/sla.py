"""The acknowledgement SLA, counted in business days (Monday to Friday).

Public holidays are not known to the portal; a team that needs them raises the SLA by a day
in holiday weeks or keeps weekends-only counting, which errs on the side of the business.
"""

import datetime

from django.conf import settings


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The business day `days` business days after `start` (a weekend start counts from Monday).

    Submitted on Monday with 2 days: due Wednesday. Submitted on Friday: due Tuesday. Submitted
    on Saturday: due Tuesday as well, since the first business day it is seen is Monday.
    """
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    while not is_business_day(day):
        day += datetime.timedelta(days=1)
    return day


def ack_due_date(submitted_on: datetime.date) -> datetime.date:
    return add_business_days(submitted_on, settings.LISTENING_ACK_SLA_DAYS)


def escalation_cutoff(today: datetime.date) -> datetime.date:
    """The latest acknowledgement due day whose pain point, still unanswered, has passed twice
    its SLA by `today`: submitted on day S, due on S + SLA and escalated once S + 2 x SLA business
    days have passed, i.e. when `add_business_days(ack_due_on, SLA) < today`.

    Computed in Python (a few steps back from today), so the due query compares one date column.
    """
    days = settings.LISTENING_ACK_SLA_DAYS
    day = today - datetime.timedelta(days=1)
    while add_business_days(day, days) >= today:
        day -= datetime.timedelta(days=1)
    return day
