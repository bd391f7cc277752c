"""Every pillar's registered indicators together: a fixed number of queries for any number of units."""

import pytest

from partnership.score import Window
from partnership.score.registry import Pillar, registered_indicators
from partnership.score.selectors import gather_measures
from tests.factories import BusinessUnitFactory

pytestmark = pytest.mark.django_db


def test_each_pillar_registers_the_indicators_the_issue_names():
    by_pillar = {p: [i.key for i in registered_indicators() if i.pillar == p] for p in Pillar.ALL}
    assert len(by_pillar[Pillar.LISTENING]) >= 3
    assert len(by_pillar[Pillar.PROACTIVITY]) >= 3
    assert len(by_pillar[Pillar.EXTRA_MILE]) >= 4
    assert len(by_pillar[Pillar.REVENUE]) >= 2
    assert len(by_pillar[Pillar.SHARING]) >= 3


def test_every_registered_indicator_measures_all_units_at_once():
    missing = [i.key for i in registered_indicators() if i.measure_by_unit is None]
    assert missing == []


def test_gathering_every_indicator_costs_the_same_queries_for_2_or_10_units(django_assert_num_queries):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    window = Window.last_days(90)
    from partnership.models import BusinessUnit

    units = list(BusinessUnit.objects.all()[:2])
    with CaptureQueriesContext(connection) as small:
        gather_measures(window, units)
    BusinessUnitFactory.create_batch(4)
    units = list(BusinessUnit.objects.all())
    assert len(units) >= 10
    with django_assert_num_queries(len(small.captured_queries)):
        gather_measures(window, units)
