"""Admin of the listening app: for support and corrections; the workflow runs in the pages."""

from django.contrib import admin

from .models import (
    Comment,
    Evaluation,
    EvaluationOption,
    ListeningSession,
    PainPoint,
    PainPointStatusChange,
    Vote,
    Watch,
)


class StatusChangeInline(admin.TabularInline):
    model = PainPointStatusChange
    extra = 0
    fields = ["at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(PainPoint)
class PainPointAdmin(admin.ModelAdmin):
    list_display = ["title", "business_unit", "status", "category", "severity", "confidential", "ack_due_on", "created_at"]
    list_filter = ["status", "category", "source", "confidential", "business_unit"]
    search_fields = ["title", "description", "external_ref"]
    list_select_related = ["business_unit"]
    raw_id_fields = ["submitted_by", "merged_into", "listening_session"]
    readonly_fields = ["status", "acknowledged_at", "status_changed_at", "ack_due_on"]
    inlines = [StatusChangeInline]
    date_hierarchy = "created_at"


class EvaluationOptionInline(admin.TabularInline):
    model = EvaluationOption
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["pain_point", "evaluated_by", "updated_at"]
    raw_id_fields = ["pain_point", "evaluated_by"]
    inlines = [EvaluationOptionInline]


@admin.register(ListeningSession)
class ListeningSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "business_unit", "held_on"]
    list_filter = ["kind", "business_unit"]
    search_fields = ["title", "notes"]
    filter_horizontal = ["it_attendees", "business_attendees"]
    date_hierarchy = "held_on"


@admin.register(Vote, Watch)
class VoteWatchAdmin(admin.ModelAdmin):
    list_display = ["pain_point", "user", "created_at"]
    raw_id_fields = ["pain_point", "user"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pain_point", "author", "created_at"]
    raw_id_fields = ["pain_point", "author"]
    search_fields = ["body"]
