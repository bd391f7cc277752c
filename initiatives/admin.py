"""Admin of the initiatives app: for support and corrections; the workflow runs in the pages."""

from django.contrib import admin

from .models import Benefit, DecisionRecord, Initiative, InitiativeComment, Milestone, Risk, RiskAcceptance


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0
    fields = ["description", "probability", "impact", "score", "mitigation", "owner"]
    readonly_fields = ["score"]
    raw_id_fields = ["owner"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class BenefitInline(admin.TabularInline):
    model = Benefit
    extra = 0


class RiskAcceptanceInline(admin.TabularInline):
    model = RiskAcceptance
    extra = 0
    fields = ["accepted_by", "accepted_as", "accepted_at", "statement", "highest_score"]
    readonly_fields = fields
    can_delete = False


class DecisionRecordInline(admin.TabularInline):
    model = DecisionRecord
    extra = 0
    fields = ["at", "actor", "kind", "from_status", "to_status", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "origin", "sponsor", "it_owner", "one_off_cost", "target_date", "delivered_on"]
    list_filter = ["status", "origin", "business_units"]
    search_fields = ["title", "problem", "proposal"]
    list_select_related = ["sponsor", "it_owner"]
    raw_id_fields = ["sponsor", "it_owner", "pain_points", "created_by", "business_case_confirmed_by"]
    readonly_fields = ["status", "status_changed_at", "proposed_at", "decided_at"]
    inlines = [RiskInline, RiskAcceptanceInline, MilestoneInline, BenefitInline, DecisionRecordInline]
    date_hierarchy = "created_at"


@admin.register(InitiativeComment)
class InitiativeCommentAdmin(admin.ModelAdmin):
    list_display = ["initiative", "author", "created_at"]
    raw_id_fields = ["initiative", "author"]
