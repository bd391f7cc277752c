"""FilterSets of the steering API."""

import django_filters
from django.utils import timezone

from ..choices import DecisionStatus, EventKind, Topic
from ..models import ActionItem, Committee, Decision, Event, Meeting


class CommitteeFilter(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(choices=Topic.choices)

    class Meta:
        model = Committee
        fields = ["scope", "is_active", "cadence"]


class MeetingFilter(django_filters.FilterSet):
    starts_after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    starts_before = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Meeting
        fields = ["committee"]


class DecisionFilter(django_filters.FilterSet):
    topic = django_filters.ChoiceFilter(choices=Topic.choices)
    status = django_filters.ChoiceFilter(choices=DecisionStatus.choices)
    buy_in = django_filters.ChoiceFilter(
        choices=[("yes", "With business buy-in"), ("no", "Without"), ("none", "No business position yet")],
        method="filter_buy_in",
        label="Business buy-in",
    )
    review_due = django_filters.BooleanFilter(method="filter_review_due", label="Due for review")
    decided_after = django_filters.DateFilter(field_name="decided_at", lookup_expr="gte")
    decided_before = django_filters.DateFilter(field_name="decided_at", lookup_expr="lte")

    class Meta:
        model = Decision
        fields = ["committee", "meeting", "topic", "status"]

    def filter_buy_in(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(has_buy_in=True)
        if value == "no":
            return queryset.filter(has_buy_in=False, business_positions__gt=0)
        if value == "none":
            return queryset.filter(business_positions=0)
        return queryset

    def filter_review_due(self, queryset, name, value):
        if value:
            return queryset.review_due()
        return queryset


class ActionItemFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("overdue", "Overdue"), ("done", "Done")], method="filter_state"
    )
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    committee = django_filters.NumberFilter(field_name="meeting__committee")

    class Meta:
        model = ActionItem
        fields = ["meeting", "owner"]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue()
        if value == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    when = django_filters.ChoiceFilter(choices=[("upcoming", "Upcoming"), ("past", "Past")], method="filter_when")
    starts_after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    starts_before = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Event
        fields = ["kind", "host"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gte=now)
        if value == "past":
            return queryset.filter(starts_at__lt=now)
        return queryset
