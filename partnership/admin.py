from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, AuditLogEntry, BusinessUnit, User


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "get_full_name", "email", "business_unit", "is_active"]
    list_filter = ["groups", "business_unit", "is_active", "is_superuser"]
    list_select_related = ["business_unit"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Portal", {"fields": ["business_unit", "job_title"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("Portal", {"fields": ["email", "first_name", "last_name", "business_unit", "groups"]}),
    ]


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "object_id", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scope", "expires_at"]
        return ["user", "name", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "prefix", "created_at", "last_used_at", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            key = ApiToken.generate_key()
            obj.prefix = key[: ApiToken.PREFIX_LENGTH]
            obj.key_hash = ApiToken.hash_key(key)
            messages.warning(request, f"The key of “{obj.name}” is {key} — copy it now, it is not shown again.")
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        from .services import api_token_revoke

        for token in queryset:
            api_token_revoke(token=token)
