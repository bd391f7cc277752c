"""Filters of the extra-mile API."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from ..choices import ActionKind, ActionStatus, CheckInStatus, SuggestionStatus, SuggestionTrigger
from ..models import CheckIn, ExtraMileAction, MaintenanceWindow, ProblemSuggestion, ResolutionSurvey


class ExtraMileActionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ActionKind.choices)
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    performed_after = django_filters.DateFilter(field_name="performed_on", lookup_expr="gte")
    performed_before = django_filters.DateFilter(field_name="performed_on", lookup_expr="lte")
    confirmed = django_filters.BooleanFilter(method="filter_confirmed", label="Confirmed by a recipient")
    subject_type = django_filters.CharFilter(method="filter_subject_type", label="Subject model, e.g. listening.painpoint")
    external_ref = django_filters.CharFilter()

    class Meta:
        model = ExtraMileAction
        fields = ["kind", "status", "business_unit", "performed_by", "subject_id", "external_ref"]

    def filter_confirmed(self, queryset, name, value):
        return queryset.filter(rating_count__gt=0) if value else queryset.filter(rating_count=0)

    def filter_subject_type(self, queryset, name, value):
        app_label, _, model = value.partition(".")
        return queryset.filter(subject_type__app_label=app_label, subject_type__model=model)


class MaintenanceWindowFilter(django_filters.FilterSet):
    ended = django_filters.BooleanFilter(method="filter_ended")
    starts_after = django_filters.DateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.DateTimeFilter(field_name="starts_at", lookup_expr="lte")

    class Meta:
        model = MaintenanceWindow
        fields = ["business_units", "key_users"]

    def filter_ended(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(ends_at__lte=now) if value else queryset.filter(ends_at__gt=now)


class CheckInFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CheckInStatus.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    business_unit = django_filters.NumberFilter(field_name="key_user__business_unit")

    class Meta:
        model = CheckIn
        fields = ["status", "window", "key_user"]

    def filter_overdue(self, queryset, name, value):
        late = Q(status=CheckInStatus.PENDING, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class SurveyFilter(django_filters.FilterSet):
    answered = django_filters.BooleanFilter(field_name="answered_at", lookup_expr="isnull", exclude=True)
    pain_point = django_filters.NumberFilter(field_name="pain_point_id")

    class Meta:
        model = ResolutionSurvey
        fields = ["business_unit", "respondent", "role"]


class SuggestionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices)
    trigger = django_filters.ChoiceFilter(choices=SuggestionTrigger.choices)

    class Meta:
        model = ProblemSuggestion
        fields = ["status", "trigger", "business_unit", "category"]
