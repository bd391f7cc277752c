"""Forms of the partnership app."""

from django import forms

from . import bounds
from .delivered import DEFAULT_DAYS, Period
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



class DeliveredPeriodForm(forms.Form):
    """The period of "What IT delivered": the last N days, or two dates (both included)."""

    DAYS = (30, 90, 180, 365)
    MAX_SPAN_DAYS = 3660

    days = forms.TypedChoiceField(
        choices=[(d, f"Last {d} days") for d in DAYS], coerce=int, required=False, empty_value=None, label="Period"
    )
    start = forms.DateField(required=False, label="From", validators=[bounds.validate_year_range])
    end = forms.DateField(required=False, label="To", validators=[bounds.validate_year_range])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors:
            self.add_error("end" if start else "start", "Give both dates, or choose a number of days.")
        if start and end:
            if end < start:
                self.add_error("end", "The end cannot be before the start.")
            elif (end - start).days > self.MAX_SPAN_DAYS:
                self.add_error("end", f"Choose at most {self.MAX_SPAN_DAYS} days.")
        return data

    def period(self) -> Period:
        """The chosen period (the last DEFAULT_DAYS days when nothing was chosen); call after is_valid()."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        return Period.last_days(data.get("days") or DEFAULT_DAYS)
