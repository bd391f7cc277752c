"""The demo data: believable, spread over time, and idempotent."""

import pytest

from listening import demo as listening_demo
from listening.models import Evaluation, ListeningSession, PainPoint, Vote
from partnership import demo as partnership_demo

pytestmark = pytest.mark.django_db


def test_the_demo_seed_is_idempotent_and_covers_every_status():
    partnership_demo.seed(scale=1)
    listening_demo.seed(scale=1)
    counts = (PainPoint.objects.count(), ListeningSession.objects.count(), Vote.objects.count(), Evaluation.objects.count())
    assert counts[0] >= 15 and counts[1] >= 8 and counts[2] >= 10 and counts[3] >= 5
    assert set(PainPoint.objects.values_list("status", flat=True)) == {
        "new", "acknowledged", "analysing", "planned", "resolved", "closed", "declined", "merged",
    }
    assert PainPoint.objects.values("business_unit").distinct().count() == 6
    assert PainPoint.objects.filter(confidential=True).exists()
    listening_demo.seed(scale=1)
    assert (PainPoint.objects.count(), ListeningSession.objects.count(), Vote.objects.count(), Evaluation.objects.count()) == counts


def test_a_larger_scale_adds_rows_in_bulk_once():
    partnership_demo.seed(scale=2)
    listening_demo.seed(scale=2)
    total = PainPoint.objects.count()
    assert PainPoint.objects.filter(source_system="demo-jira").count() == 150
    listening_demo.seed(scale=2)
    assert PainPoint.objects.count() == total
