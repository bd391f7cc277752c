"""The revenue demo data: believable, spread over stages, idempotent."""

import pytest

from partnership import demo as partnership_demo
from revenue import demo
from revenue.choices import Stage
from revenue.models import RevenueEntry, RevenueProject, RevenueStageChange
from revenue.selectors import yearly_commitment

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_projects_in_every_stage_once():
    partnership_demo.seed()
    demo.seed()
    counts = (RevenueProject.objects.count(), RevenueEntry.objects.count(), RevenueStageChange.objects.count())
    demo.seed()
    assert (RevenueProject.objects.count(), RevenueEntry.objects.count(), RevenueStageChange.objects.count()) == counts
    assert set(RevenueProject.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert RevenueProject.objects.filter(category="payment_method").exists()
    assert RevenueProject.objects.filter(name__icontains="loyalty").exists()
    assert RevenueEntry.objects.filter(amount__lt=0).exists()  # a month of refunds
    assert yearly_commitment()[0].status == "met"


def test_a_larger_scale_adds_projects_in_bulk_once():
    partnership_demo.seed()
    demo.seed()
    small = RevenueProject.objects.count()
    demo.seed(scale=40)
    count = RevenueProject.objects.count()
    demo.seed(scale=40)
    assert RevenueProject.objects.count() == count == small + partnership_demo.bulk_volume(40, "revenue projects") > small
