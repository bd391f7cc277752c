"""Admin of the revenue app (read-mostly: stage changes go through the pages and the API)."""

from django.contrib import admin

from .models import RevenueEntry, RevenueProject, RevenueStageChange


class RevenueStageChangeInline(admin.TabularInline):
    model = RevenueStageChange
    extra = 0
    fields = ["changed_on", "from_stage", "to_stage", "changed_by", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(RevenueProject)
class RevenueProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "stage", "stage_changed_on", "executed_on", "it_sponsor"]
    list_filter = ["stage", "category", "business_units"]
    list_select_related = ["it_sponsor"]
    search_fields = ["name", "description"]
    readonly_fields = ["stage", "stage_changed_on", "executed_on", "accepted_by", "accepted_on", "acceptance_statement"]
    filter_horizontal = ["business_partners", "business_units"]
    inlines = [RevenueStageChangeInline]


@admin.register(RevenueEntry)
class RevenueEntryAdmin(admin.ModelAdmin):
    list_display = ["project", "month", "amount", "recorded_by"]
    list_filter = ["project__stage"]
    list_select_related = ["project", "recorded_by"]
    search_fields = ["project__name", "note"]
    date_hierarchy = "month"
