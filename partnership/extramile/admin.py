"""Admin of "Take the extra mile": the ledger and its ratings, maintenance windows and check-ins,
the repeated-problem proposals and the post-resolution surveys. Imported from partnership/admin.py.

The pages, the API and the tasks write these rows through the services; the admin is for looking
into them and correcting a mistake. Fields that record what happened (who answered when, the
pain point a "no" created, when people were asked) are read only.
"""

from django.contrib import admin
from django.db import models

from .models import CheckIn, ExtraMileAction, ExtraMileRating, MaintenanceWindow, ProblemSuggestion, ResolutionSurvey


class ExtraMileRatingInline(admin.TabularInline):
    model = ExtraMileRating
    extra = 0
    fields = ["rated_by", "rating", "comment", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["rated_by"]


@admin.register(ExtraMileAction)
class ExtraMileActionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "business_unit", "performed_by", "performed_on", "effort_hours", "external_ref"]
    list_filter = ["status", "kind", "business_unit", "performed_on"]
    list_select_related = ["business_unit", "performed_by"]
    search_fields = ["title", "description", "external_ref", "performed_by__username", "performed_by__last_name"]
    date_hierarchy = "performed_on"
    autocomplete_fields = ["performed_by", "business_unit", "recipients"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ExtraMileRatingInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ExtraMileRating)
class ExtraMileRatingAdmin(admin.ModelAdmin):
    list_display = ["action", "rated_by", "rating", "created_at"]
    list_filter = ["rating", "action__business_unit"]
    list_select_related = ["action", "rated_by"]
    search_fields = ["action__title", "rated_by__username", "rated_by__last_name", "comment"]
    autocomplete_fields = ["action", "rated_by"]
    date_hierarchy = "created_at"


class CheckInInline(admin.TabularInline):
    model = CheckIn
    extra = 0
    fields = ["key_user", "due_at", "status", "systems_ok", "answered_at", "answered_by", "pain_point"]
    readonly_fields = ["answered_at", "answered_by", "pain_point"]
    autocomplete_fields = ["key_user"]


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin):
    list_display = ["system", "starts_at", "ends_at", "recorded_by", "check_ins_created_at"]
    list_filter = ["business_units", "starts_at"]
    list_select_related = ["recorded_by"]
    search_fields = ["system", "description"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["business_units", "key_users", "recorded_by"]
    readonly_fields = ["check_ins_created_at", "created_at", "updated_at"]
    inlines = [CheckInInline]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["window", "key_user", "due_at", "status", "answered_at", "answered_by", "pain_point", "notified_at"]
    list_filter = ["status", "systems_ok", "key_user__business_unit", "due_at"]
    list_select_related = ["window", "key_user", "answered_by", "pain_point"]
    search_fields = ["window__system", "key_user__username", "key_user__last_name", "problem"]
    date_hierarchy = "due_at"
    autocomplete_fields = ["window", "key_user"]
    readonly_fields = ["answered_at", "answered_by", "pain_point", "notified_at", "created_at", "updated_at"]


@admin.register(ProblemSuggestion)
class ProblemSuggestionAdmin(admin.ModelAdmin):
    list_display = ["reason", "trigger", "business_unit", "category", "proposed_kind", "status", "decided_by", "created_at"]
    list_filter = ["status", "trigger", "proposed_kind", "business_unit", "category"]
    list_select_related = ["business_unit", "decided_by", "action"]
    search_fields = ["reason", "key", "dismiss_reason"]
    date_hierarchy = "created_at"
    readonly_fields = ["key", "trigger", "evidence", "pain_point", "decided_by", "decided_at", "action", "created_at", "updated_at"]


@admin.register(ResolutionSurvey)
class ResolutionSurveyAdmin(admin.ModelAdmin):
    list_display = ["pain_point", "respondent", "role", "business_unit", "resolved_at", "due_at", "rating", "answered_at"]
    list_filter = ["role", "rating", "business_unit", "resolved_at"]
    list_select_related = ["respondent", "business_unit", "pain_point"]
    search_fields = ["respondent__username", "respondent__last_name", "comment"]
    date_hierarchy = "resolved_at"
    autocomplete_fields = ["respondent", "business_unit"]
    raw_id_fields = ["pain_point"]
    readonly_fields = ["answered_at", "notified_at", "created_at", "updated_at"]
