"""Forms of the partnership app."""

from django import forms

from .models import TokenScope
from .notifications.choices import DeliveryChannel


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'Jira sync'.")
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ_WRITE)
    expires_in_days = forms.IntegerField(
        min_value=1, max_value=3650, required=False, label="Expires in (days)",
        help_text="Leave empty for a token that does not expire.",
    )


class NotificationPreferencesForm(forms.Form):
    """One choice of channel per registered reminder kind."""

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferences = preferences
        for preference in preferences:
            self.fields[self.field_name(preference.key)] = forms.ChoiceField(
                label=preference.kind.label,
                choices=DeliveryChannel.choices,
                initial=preference.channel,
                help_text=preference.kind.description,
            )

    @staticmethod
    def field_name(key: str) -> str:
        return "kind__" + key.replace(".", "__")

    def changed_channels(self) -> dict[str, str]:
        """{kind key: channel} of the kinds whose channel the user changed."""
        return {
            preference.key: self.cleaned_data[self.field_name(preference.key)]
            for preference in self.preferences
            if self.cleaned_data[self.field_name(preference.key)] != preference.channel
        }

