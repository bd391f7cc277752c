"""Demo data."""

import datetime

import pytest
from django.utils import timezone

from initiatives.choices import InitiativeStatus
from initiatives.demo import seed
from initiatives.models import DecisionRecord, Initiative, RiskAcceptance
from listening.choices import PainPointStatus
from listening.demo import seed as seed_listening
from listening.models import PainPoint
from partnership.demo import bulk_volume
from partnership.demo import seed as seed_company

pytestmark = pytest.mark.django_db


def test_the_demo_is_believable_and_idempotent():
    seed_company(scale=1)
    seed_listening(scale=1)
    seed(scale=1)
    counts = (Initiative.objects.count(), DecisionRecord.objects.count(), RiskAcceptance.objects.count())
    seed(scale=1)
    assert (Initiative.objects.count(), DecisionRecord.objects.count(), RiskAcceptance.objects.count()) == counts
    statuses = set(Initiative.objects.values_list("status", flat=True))
    assert statuses == set(InitiativeStatus.values)
    assert Initiative.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=180)).exists()
    linked = PainPoint.objects.filter(initiatives__status=InitiativeStatus.APPROVED)
    assert linked.exists() and not linked.exclude(status=PainPointStatus.PLANNED).exists()
    seed(scale=2)
    assert Initiative.objects.count() == counts[0] + bulk_volume(2, "initiatives") > counts[0]
