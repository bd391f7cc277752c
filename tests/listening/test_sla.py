"""The acknowledgement SLA counts business days."""

import datetime

import pytest

from listening.sla import ack_due_date, add_business_days

MONDAY = datetime.date(2025, 3, 3)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (MONDAY, 2, datetime.date(2025, 3, 5)),  # Monday -> Wednesday
        (MONDAY + datetime.timedelta(days=3), 2, datetime.date(2025, 3, 10)),  # Thursday -> Monday
        (MONDAY + datetime.timedelta(days=4), 2, datetime.date(2025, 3, 11)),  # Friday -> Tuesday
        (MONDAY + datetime.timedelta(days=5), 2, datetime.date(2025, 3, 11)),  # Saturday -> Tuesday
        (MONDAY + datetime.timedelta(days=6), 1, datetime.date(2025, 3, 10)),  # Sunday -> Monday
        (MONDAY + datetime.timedelta(days=5), 0, datetime.date(2025, 3, 10)),  # Saturday, same day -> Monday
        (MONDAY, 10, datetime.date(2025, 3, 17)),  # two weeks
    ],
)
def test_business_days_skip_weekends(start, days, due):
    assert add_business_days(start, days) == due


def test_the_sla_length_is_configurable(settings):
    settings.LISTENING_ACK_SLA_DAYS = 5
    assert ack_due_date(MONDAY) == datetime.date(2025, 3, 10)
    settings.LISTENING_ACK_SLA_DAYS = 2
    assert ack_due_date(MONDAY) == datetime.date(2025, 3, 5)
