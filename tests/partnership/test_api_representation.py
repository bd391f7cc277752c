"""The fast list output (partnership.api.representation) gives byte for byte what DRF's own
`to_representation` gives, for the pain-point list and for a serializer with the unusual cases
(a method field, a chain through a missing relation, a property, a default)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from listening import services
from listening.api.serializers import PainPointDetailSerializer, PainPointSerializer
from listening.models import PainPoint
from listening.selectors import pain_point_annotate, pain_point_prefetch_detail
from partnership.api.representation import FastRepresentation

from ..listening.factories import ListeningSessionFactory, make_pain_point

pytestmark = pytest.mark.django_db
render = JSONRenderer().render


def _drf(serializer, rows):
    """What DRF itself gives: ModelSerializer.to_representation, past the fast one."""
    return [serializers.ModelSerializer.to_representation(serializer, row) for row in rows]


@pytest.fixture
def rows(alice, ivan, sales):
    session = ListeningSessionFactory(business_unit=sales)
    first = make_pain_point(submitted_by=alice, title="Quotes typed twice <b>", hours_lost_per_week=Decimal("12.5"))
    second = make_pain_point(submitted_by=ivan, business_unit=sales, title="From a session", listening_session=session,
                             confidential=True)
    services.pain_point_acknowledge(pain_point=second, actor=ivan)
    third = make_pain_point(submitted_by=alice, title="Duplicate")
    services.pain_point_merge(pain_point=third, target=first, actor=ivan, note="same")
    services.pain_point_vote(pain_point=first, user=ivan)
    PainPoint.objects.filter(pk=first.pk).update(submitted_by=None)  # a departed submitter
    return ivan


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/St_Johns"])
def test_the_pain_point_list_and_detail_are_byte_for_byte_drfs(rows, zone):
    request = Request(APIRequestFactory().get("/api/v1/pain-points/"))
    request.user = rows
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        listed = list(pain_point_annotate(PainPoint.objects.all(), user=rows, related=("business_unit", "submitted_by")))
        fast = PainPointSerializer(listed, many=True, context={"request": request})
        data = fast.data
        assert render(data) == render(_drf(fast.child, listed))
        assert [row["web_url"] for row in data] == [p.get_absolute_url() for p in listed]
        assert {row["submitted_by"] for row in data} >= {None}
        detailed = list(pain_point_prefetch_detail(pain_point_annotate(PainPoint.objects.all(), user=rows), user=rows))
        detail = PainPointDetailSerializer(detailed, many=True, context={"request": request})
        assert render(detail.data) == render(_drf(detail.child, detailed))


class _Odd(FastRepresentation, serializers.ModelSerializer):
    unit_name = serializers.CharField(source="business_unit.name")
    submitter_email = serializers.CharField(source="submitted_by.email", allow_null=True, required=False)
    submitter_name = serializers.CharField(source="submitted_by.get_full_name", default="nobody")
    yearly = serializers.SerializerMethodField()
    cost = serializers.DecimalField(source="estimated_yearly_cost", max_digits=16, decimal_places=2, read_only=True)
    seen = serializers.DateTimeField(source="acknowledged_at", format="%d.%m.%Y %H:%M", allow_null=True)

    class Meta:
        model = PainPoint
        fields = ["id", "unit_name", "submitter_email", "submitter_name", "yearly", "cost", "seen", "severity",
                  "merged_into", "created_at", "ack_due_on"]

    def get_yearly(self, pain_point) -> str:
        return f"{pain_point.hours_lost_per_week * 52}"


def test_unusual_fields_behave_as_in_drf(rows):
    listed = list(pain_point_annotate(PainPoint.objects.order_by("pk"), user=rows))
    serializer = _Odd(listed, many=True)
    data = serializer.data
    assert render(data) == render(_drf(serializer.child, listed))
    departed = next(row for row in data if row["submitter_email"] is None)
    assert departed["submitter_name"] == "nobody"
    assert any(row["seen"] for row in data) and any(row["merged_into"] for row in data)


def test_a_naive_date_time_goes_through_drfs_own_rules(rows):
    pain_point = PainPoint.objects.first()
    pain_point.acknowledged_at = datetime.datetime(2026, 3, 1, 12, 0)  # naive, as a raw query could give
    field = PainPointSerializer().fields["acknowledged_at"]
    assert PainPointSerializer().to_representation(pain_point)["acknowledged_at"] == field.to_representation(
        pain_point.acknowledged_at
    )
