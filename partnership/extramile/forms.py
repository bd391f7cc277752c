"""Forms of "Take the extra mile". They only collect input: the rules live in services."""

from django import forms

from ..models import BusinessUnit, User
from ..roles import Role
from .choices import PROPOSAL_KINDS, ActionKind

RATING_CHOICES = [(n, f"{n}") for n in range(1, 6)]
RATING_HELP = "1 = did not help, 5 = far beyond what we asked."


def business_people():
    """People who can be recipients or key users: business managers with a unit."""
    return (
        User.objects.filter(is_active=True, business_unit__isnull=False, groups__name=Role.BUSINESS_MANAGER.value)
        .select_related("business_unit")
        .order_by("business_unit__name", "last_name", "first_name", "username")
        .distinct()
    )


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.business_unit})" if user.business_unit_id else str(user)




class ActionEditForm(forms.Form):
    """What IT may correct on an action once logged (its kind, unit and subject stay)."""

    title = forms.CharField(max_length=200, help_text="e.g. 'Added 3 years of history and two charts to the margin report'.")
    recipients = PersonChoiceField(
        queryset=User.objects.none(), required=False,
        help_text="Who it was for; they are asked to confirm and rate it.",
    )
    performed_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    effort_hours = forms.DecimalField(label="Effort (hours)", min_value=0, max_value=1000, decimal_places=1, initial=1)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    external_ref = forms.CharField(
        max_length=200, required=False, label="External ticket",
        help_text="When it followed a ticket outside the portal, e.g. 'JIRA-1234'.",
    )
    evidence_url = forms.URLField(max_length=500, required=False, label="Evidence link", assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = business_people()


class ActionForm(ActionEditForm):
    """The quick log: kind, title and unit are enough; the rest is optional."""

    field_order = ("kind", "title", "business_unit")

    kind = forms.ChoiceField(choices=ActionKind.choices)
    business_unit = forms.ModelChoiceField(queryset=BusinessUnit.objects.filter(is_active=True))
    subject_type = forms.CharField(required=False, widget=forms.HiddenInput)
    subject_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect, help_text=RATING_HELP)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CompleteForm(forms.Form):
    performed_on = forms.DateField(label="Done on", widget=forms.DateInput(attrs={"type": "date"}))
    effort_hours = forms.DecimalField(label="Effort (hours)", min_value=0, max_value=1000, decimal_places=1)
    evidence_url = forms.URLField(max_length=500, required=False, label="Evidence link", assume_scheme="https")


class MaintenanceWindowForm(forms.Form):
    system = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    starts_at = forms.DateTimeField(label="Start", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="End", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    business_units = forms.ModelMultipleChoiceField(
        queryset=BusinessUnit.objects.filter(is_active=True), required=False, label="Business units affected",
        help_text="Leave empty to take the key users' units.",
    )
    key_users = PersonChoiceField(queryset=User.objects.none(), help_text="Each is asked after the window whether all runs.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_users"].queryset = business_people()


class CheckInAnswerForm(forms.Form):
    systems_ok = forms.TypedChoiceField(
        label="Do your systems run correctly?",
        choices=[("yes", "Yes, everything runs correctly"), ("no", "No, something is wrong")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    problem = forms.CharField(
        label="What is wrong?", widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="Needed for a “no”: it goes straight to IT as a pain point.",
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How well was it solved?", choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect,
        help_text="1 = not solved at all, 5 = solved for good.",
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SuggestionAcceptForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k.value, k.label) for k in PROPOSAL_KINDS])
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty for a title from the proposal.")
    planned_on = forms.DateField(label="Planned for", widget=forms.DateInput(attrs={"type": "date"}))


class SuggestionDismissForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="Why not, for the record.")
