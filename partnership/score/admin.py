from django.contrib import admin

from .models import PulseResponse, ScoreConfig, ScoreSnapshot


class ReadOnlyAdmin(admin.ModelAdmin):
    """To look into: the score's rows are written by its services (the score page, the pulse form,
    the snapshot task), which validate, version and audit them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoreConfig)
class ScoreConfigAdmin(ReadOnlyAdmin):
    list_display = ["version", "note", "created_by", "created_at"]
    list_select_related = ["created_by"]


@admin.register(ScoreSnapshot)
class ScoreSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["date", "business_unit", "window_days", "overall", "band", "config"]
    list_filter = ["window_days", "business_unit"]
    list_select_related = ["business_unit", "config"]
    date_hierarchy = "date"


@admin.register(PulseResponse)
class PulseResponseAdmin(ReadOnlyAdmin):
    list_display = ["quarter", "respondent", "business_unit", "understands", "delivers", "partner"]
    list_filter = ["quarter", "business_unit"]
    list_select_related = ["respondent", "business_unit"]
    search_fields = ["respondent__username", "comment"]
