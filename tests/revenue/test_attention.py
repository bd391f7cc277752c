"""The dashboard's attention item for the yearly revenue commitment."""

import datetime

import pytest
from django.utils import timezone

from partnership.score.registry import attention_sources
from partnership.score.selectors import attention_items
from revenue.choices import Stage

from .factories import RevenueProjectFactory

pytestmark = pytest.mark.django_db

KEY = "revenue.commitment_at_risk"


def commitment_item(user, unit=None):
    return next(item for item in attention_items(user, unit) if item["key"] == KEY)


def fiscal_year_in_its_month(settings, month: int) -> None:
    """Choose the fiscal year's first month so that today is its `month`-th month."""
    settings.REVENUE_FISCAL_YEAR_FIRST_MONTH = (timezone.localdate().month - month) % 12 + 1


def test_the_source_is_registered_for_the_revenue_pillar():
    source = next(s for s in attention_sources() if s.key == KEY)
    assert (source.label, source.pillar) == ("The yearly IT revenue commitment", "revenue")


def test_the_commitment_needs_attention_once_the_sixth_month_is_over_with_nothing_past_identify(
    settings, carla, django_assert_num_queries
):
    fiscal_year_in_its_month(settings, 7)
    RevenueProjectFactory(stage=Stage.IDENTIFY)
    source = next(s for s in attention_sources() if s.key == KEY)
    with django_assert_num_queries(1):
        found = source.measure(carla, None)
    assert found.count == 1
    assert found.url == "/revenue/"
    assert "At risk" in found.detail and "no project is past identify" in found.detail


@pytest.mark.parametrize(
    ("month", "stage", "executed_this_year"),
    [
        (5, Stage.IDENTIFY, False),  # the first half of the year is still running
        (6, Stage.IDENTIFY, False),  # the sixth month is not over yet
        (9, Stage.DEVELOP, False),  # a project in development keeps it on track
        (9, Stage.ACCEPTANCE, False),
        (9, Stage.EXECUTE, True),  # met
    ],
)
def test_the_commitment_needs_no_attention_when_on_track_or_met(settings, carla, month, stage, executed_this_year):
    fiscal_year_in_its_month(settings, month)
    RevenueProjectFactory(stage=stage, executed_on=timezone.localdate() if executed_this_year else None)
    item = commitment_item(carla)
    assert item["count"] == 0
    assert item["url"] == "/revenue/"
    assert item["detail"]


def test_a_project_executed_last_year_does_not_meet_this_years_commitment(settings, carla):
    fiscal_year_in_its_month(settings, 8)
    RevenueProjectFactory(stage=Stage.SUPPORT, executed_on=timezone.localdate() - datetime.timedelta(days=400))
    assert commitment_item(carla)["count"] == 1


def test_the_commitment_is_the_companys_whichever_unit_is_looked_at(settings, alice, finance):
    """Business managers see the same company-wide commitment as the board shows them."""
    fiscal_year_in_its_month(settings, 10)
    project = RevenueProjectFactory(stage=Stage.DEVELOP, business_units=[finance])
    assert commitment_item(alice, alice.business_unit)["count"] == 0
    project.stage = Stage.ABANDONED
    project.save()
    assert commitment_item(alice, alice.business_unit)["count"] == 1
