"""FilterSets of the revenue API."""

import django_filters
from django.db.models import Q

from partnership.bounds import parse_id

from ..choices import Category, Stage
from ..figures import year_bounds
from ..models import RevenueEntry, RevenueProject
from ..selectors import fiscal_first_month


class RevenueProjectFilter(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    business_unit = django_filters.CharFilter(method="filter_unit", help_text="A business unit's id or slug.")
    executed_year = django_filters.NumberFilter(
        method="filter_executed_year", help_text="Projects that reached execute in this revenue year."
    )

    class Meta:
        model = RevenueProject
        fields = ["stage", "category", "it_sponsor", "it_lead"]

    def filter_unit(self, queryset, name, value):
        condition = Q(slug=value) | (Q(pk=pk) if (pk := parse_id(value)) else Q())
        through = RevenueProject.business_units.through.objects.filter(
            businessunit__in=RevenueProject.business_units.field.related_model.objects.filter(condition)
        )
        return queryset.filter(pk__in=through.values("revenueproject_id"))

    def filter_executed_year(self, queryset, name, value):
        if not 1 <= value <= 9998:
            return queryset.none()
        start, end = year_bounds(int(value), fiscal_first_month())
        return queryset.filter(executed_on__gte=start, executed_on__lte=end)


class RevenueEntryFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    year = django_filters.NumberFilter(
        method="filter_year", help_text="The revenue year (calendar, or fiscal from REVENUE_FISCAL_YEAR_FIRST_MONTH)."
    )
    stage = django_filters.MultipleChoiceFilter(field_name="project__stage", choices=Stage.choices)
    month_after = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_before = django_filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = RevenueEntry
        fields = ["project", "year", "stage"]

    def filter_year(self, queryset, name, value):
        if not 1 <= value <= 9998:
            return queryset.none()
        start, end = year_bounds(int(value), fiscal_first_month())
        return queryset.filter(month__gte=start, month__lte=end)
