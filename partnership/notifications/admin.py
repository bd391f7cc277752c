from django.contrib import admin

from .models import NotificationPreference, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder ledger, to look into (the sweep and the sender write it)."""

    list_display = ["kind", "recipient", "target_type", "target_id", "period", "status", "email_state", "created_at", "sent_at", "attempts"]
    list_filter = ["status", "email_state", "kind"]
    list_select_related = ["recipient", "target_type"]
    search_fields = ["kind", "target_id", "recipient__username", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = ["recipient", "kind", "target_type", "target_id", "period", "created_at", "claimed_at", "sent_at", "email_state", "last_error"]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel", "updated_at"]
    list_filter = ["channel", "kind"]
    list_select_related = ["user"]
    search_fields = ["user__username", "kind"]

