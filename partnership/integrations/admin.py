"""Admin of the integration: sources (secrets are set, never shown), the inbound delivery log and
the outbound subscriptions and deliveries. Imported from partnership/admin.py."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .models import InboundDelivery, IntegrationSource, WebhookDelivery, WebhookSubscription
from .services import integration_source_add, integration_source_rotate_secret


class IntegrationSourceForm(forms.ModelForm):
    new_secret = forms.CharField(
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text="At least 16 characters. On an existing source this rotates the secret; the previous one "
        "stays valid for INTEGRATIONS_SECRET_OVERLAP_HOURS.",
    )

    class Meta:
        model = IntegrationSource
        fields = ["name", "kind", "business_unit", "client", "enabled"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("new_secret"):
            raise ValidationError({"new_secret": "A new source needs a secret."})
        return cleaned


@admin.register(IntegrationSource)
class IntegrationSourceAdmin(admin.ModelAdmin):
    form = IntegrationSourceForm
    list_display = ["name", "kind", "business_unit", "client", "enabled", "previous_secret_valid_until", "updated_at"]
    list_filter = ["kind", "enabled"]
    list_select_related = ["business_unit"]
    search_fields = ["name"]
    readonly_fields = ["actor", "previous_secret_valid_until"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "name", "kind"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        secret = form.cleaned_data.get("new_secret")
        if not change:
            created = integration_source_add(
                name=obj.name, kind=obj.kind, secret=secret, business_unit=obj.business_unit, client=obj.client
            )
            obj.pk, obj.actor, obj.secret = created.pk, created.actor, created.secret
            obj._state.adding = False
            if not obj.enabled:
                obj.save()
            return
        super().save_model(request, obj, form, change)
        if secret:
            integration_source_rotate_secret(source=obj, secret=secret)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InboundDelivery)
class InboundDeliveryAdmin(_ReadOnlyAdmin):
    """The log of inbound webhook deliveries: what arrived, what it did, and why refusals were."""

    list_display = ["received_at", "source_name", "delivery_id", "event", "external_ref", "result", "status_code", "object_id"]
    list_filter = ["result", "status_code", "source_name"]
    search_fields = ["delivery_id", "external_ref", "reason", "source_name"]
    date_hierarchy = "received_at"
    list_select_related = ["source"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "enabled", "consecutive_failures", "disabled_at", "created_at"]
    list_filter = ["enabled"]
    list_select_related = ["owner"]
    search_fields = ["url", "description", "owner__username"]
    exclude = ["secret"]
    readonly_fields = ["consecutive_failures", "disabled_at", "disabled_reason"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "event", "subscription", "status", "attempts", "response_code", "delivered_at"]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    search_fields = ["message_id", "last_error"]
    date_hierarchy = "created_at"
