"""Admin of the steering app: for support staff; day-to-day work happens in the portal pages."""

from django.contrib import admin

from . import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "cadence", "is_active"]
    list_filter = ["scope", "cadence", "is_active"]
    search_fields = ["name", "purpose"]
    inlines = [MembershipInline]


class AgendaItemInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = models.Attendance
    extra = 0


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "starts_at"]
    list_filter = ["committee"]
    list_select_related = ["committee"]
    search_fields = ["title", "minutes"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, AttendanceInline]


@admin.register(models.ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_date", "done_at"]
    list_select_related = ["owner"]
    search_fields = ["title"]


class PositionInline(admin.TabularInline):
    model = models.Position
    extra = 0


@admin.register(models.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "topic", "status", "decided_at", "review_date"]
    list_filter = ["status", "topic", "committee"]
    list_select_related = ["committee"]
    search_fields = ["title", "context", "outcome"]
    inlines = [PositionInline]


class RegistrationInline(admin.TabularInline):
    model = models.Registration
    extra = 0


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "host", "capacity"]
    list_filter = ["kind"]
    list_select_related = ["host"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]
