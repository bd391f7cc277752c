"""Filters of the listening app, shared by the list pages and the API (one set of names)."""

import django_filters
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from partnership.models import BusinessUnit

from ..choices import Category, PainPointStatus, SessionKind, Source
from ..models import ListeningSession, PainPoint, Vote, Watch
from ..selectors import pain_point_search


class SlaState:
    DUE = "due"
    MET = "met"
    MISSED = "missed"
    PENDING = "pending"
    OVERDUE = "overdue"
    CHOICES = [
        (DUE, "Due (met or missed)"),
        (MET, "Acknowledged in time"),
        (MISSED, "Missed"),
        (PENDING, "Not yet due"),
        (OVERDUE, "Waiting, past the SLA"),
    ]


class PainPointFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    status = django_filters.MultipleChoiceFilter(choices=PainPointStatus.choices)
    business_unit = django_filters.ModelChoiceFilter(queryset=BusinessUnit.objects.all())
    category = django_filters.ChoiceFilter(choices=Category.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    source_system = django_filters.CharFilter()
    external_ref = django_filters.CharFilter()
    confidential = django_filters.BooleanFilter()
    severity_min = django_filters.NumberFilter(field_name="severity", lookup_expr="gte")
    open = django_filters.BooleanFilter(method="filter_open", label="Open only")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Submitted by me")
    voted = django_filters.BooleanFilter(method="filter_voted", label="Voted by me")
    watching = django_filters.BooleanFilter(method="filter_watching", label="Watched by me")
    submitted_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    submitted_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    sla = django_filters.ChoiceFilter(choices=SlaState.CHOICES, method="filter_sla", label="Acknowledgement SLA")
    listening_session = django_filters.NumberFilter(field_name="listening_session_id")

    class Meta:
        model = PainPoint
        fields = []

    def _user(self):
        return getattr(self.request, "user", None)

    def filter_q(self, queryset, name, value):
        return pain_point_search(queryset, value)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        open_statuses = [PainPointStatus.NEW, PainPointStatus.ACKNOWLEDGED, PainPointStatus.ANALYSING, PainPointStatus.PLANNED]
        return queryset.filter(status__in=open_statuses) if value else queryset.exclude(status__in=open_statuses)

    def filter_mine(self, queryset, name, value):
        user = self._user()
        if not value or user is None:
            return queryset
        return queryset.filter(submitted_by_id=user.pk)

    def filter_voted(self, queryset, name, value):
        user = self._user()
        if not value or user is None:
            return queryset
        return queryset.filter(Exists(Vote.objects.filter(pain_point=OuterRef("pk"), user_id=user.pk)))

    def filter_watching(self, queryset, name, value):
        user = self._user()
        if not value or user is None:
            return queryset
        return queryset.filter(Exists(Watch.objects.filter(pain_point=OuterRef("pk"), user_id=user.pk)))

    def filter_sla(self, queryset, name, value):
        today = timezone.localdate()
        queryset = queryset.alias(acknowledged_on=TruncDate("acknowledged_at"))
        met = Q(acknowledged_at__isnull=False, acknowledged_on__lte=F("ack_due_on"))
        missed = Q(acknowledged_at__isnull=False, acknowledged_on__gt=F("ack_due_on")) | Q(
            acknowledged_at__isnull=True, ack_due_on__lt=today
        )
        if value == SlaState.MET:
            return queryset.filter(met)
        if value == SlaState.MISSED:
            return queryset.filter(missed)
        if value == SlaState.DUE:
            return queryset.filter(met | missed)
        if value == SlaState.PENDING:
            return queryset.filter(acknowledged_at__isnull=True, ack_due_on__gte=today)
        if value == SlaState.OVERDUE:
            # Still new after its due day: what the triage queue flags "Overdue".
            return queryset.filter(status=PainPointStatus.NEW, ack_due_on__lt=today)
        return queryset


class ListeningSessionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    kind = django_filters.ChoiceFilter(choices=SessionKind.choices)
    business_unit = django_filters.ModelChoiceFilter(queryset=BusinessUnit.objects.all())
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = ListeningSession
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(notes__icontains=value))
