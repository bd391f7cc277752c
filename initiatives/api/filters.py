"""Filters of the initiatives app, shared by the list page and the API (one set of names)."""

import django_filters
from django.contrib.auth import get_user_model

from ..choices import InitiativeStatus, Origin
from ..models import Initiative, Milestone, Risk
from ..selectors import filter_late_milestones, filter_overdue, initiative_search


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    status = django_filters.MultipleChoiceFilter(choices=InitiativeStatus.choices)
    origin = django_filters.MultipleChoiceFilter(choices=Origin.choices)
    business_unit = django_filters.NumberFilter(method="filter_business_unit", label="Business unit (id)")
    it_owner = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label="IT owner")
    sponsor = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all())
    pain_point = django_filters.NumberFilter(field_name="pain_points", label="Linked pain point")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")
    late_milestones = django_filters.BooleanFilter(method="filter_late_milestones", label="With a late milestone")
    milestones_due_after = django_filters.DateFilter(method="filter_nothing", label="Late milestones due from")
    milestones_due_before = django_filters.DateFilter(method="filter_nothing", label="Late milestones due until")
    proposed_after = django_filters.DateFilter(field_name="proposed_at", lookup_expr="date__gte")
    proposed_before = django_filters.DateFilter(field_name="proposed_at", lookup_expr="date__lte")
    decided_after = django_filters.DateFilter(field_name="decided_at", lookup_expr="date__gte")
    decided_before = django_filters.DateFilter(field_name="decided_at", lookup_expr="date__lte")
    delivered_after = django_filters.DateFilter(field_name="delivered_on", lookup_expr="gte")
    delivered_before = django_filters.DateFilter(field_name="delivered_on", lookup_expr="lte")

    class Meta:
        model = Initiative
        fields = []

    def filter_q(self, queryset, name, value):
        return initiative_search(queryset, value)

    def filter_business_unit(self, queryset, name, value):
        return queryset if value is None else queryset.concerning(int(value))

    def filter_overdue(self, queryset, name, value):
        return queryset if value is None else filter_overdue(queryset, value)

    def filter_late_milestones(self, queryset, name, value):
        """With a late milestone, due in the range given by `milestones_due_after`/`_before`."""
        if not value:
            return queryset
        data = self.form.cleaned_data
        return filter_late_milestones(
            queryset, due_after=data.get("milestones_due_after"), due_before=data.get("milestones_due_before")
        )

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_late_milestones


class RiskFilter(django_filters.FilterSet):
    initiative = django_filters.NumberFilter(field_name="initiative_id")
    score_min = django_filters.NumberFilter(field_name="score", lookup_expr="gte")

    class Meta:
        model = Risk
        fields = []


class MilestoneFilter(django_filters.FilterSet):
    initiative = django_filters.NumberFilter(field_name="initiative_id")
    done = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True)
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")

    class Meta:
        model = Milestone
        fields = []
