"""Forms of the listening app. They collect input; the services decide the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from partnership import bounds
from partnership.models import BusinessUnit
from partnership.roles import Role

from .choices import Risk
from .models import ListeningSession, PainPoint


class PainPointForm(forms.ModelForm):
    """Submitting (and, for IT, correcting) a pain point."""

    class Meta:
        model = PainPoint
        fields = [
            "title",
            "description",
            "business_unit",
            "category",
            "severity",
            "people_affected",
            "hours_lost_per_week",
            "confidential",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "severity": forms.Select(
                choices=[(1, "1 – an annoyance"), (2, "2"), (3, "3 – slows us down"), (4, "4"), (5, "5 – work stops")]
            ),
            "people_affected": forms.NumberInput(attrs={"min": 1}),
            "hours_lost_per_week": forms.NumberInput(attrs={"min": 0, "step": "0.5"}),
        }
        labels = {"hours_lost_per_week": "Hours lost a week (per person)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_unit"].queryset = BusinessUnit.objects.filter(is_active=True)
        self.fields["title"].widget.attrs.update({"autocomplete": "off", "data-similar-source": "true"})


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Optional; the submitter reads it."
    )


class DeclineForm(forms.Form):
    # Not required here: the service names the missing reason, one message for pages and API.
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Required: the submitter reads it."
    )


class MergeForm(forms.Form):
    target = forms.IntegerField(label="Merge into pain point #", min_value=1)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(forms.Form):
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="What IT found: causes, constraints."
    )
    plan = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The recommended plan the business will read: steps, owner, timeline.",
    )


class EvaluationOptionForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    pros = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    cons = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    rough_cost = forms.DecimalField(**bounds.MONEY_FIELD, required=False, validators=bounds.MONEY)
    risk = forms.ChoiceField(choices=Risk.choices, initial=Risk.MEDIUM)
    recommended = forms.BooleanField(required=False, label="Recommended")


EvaluationOptionFormSet = forms.formset_factory(EvaluationOptionForm, extra=2, can_delete=True)


def option_rows(formset) -> list[dict]:
    """The filled-in, not deleted options of a valid formset, as service input."""
    rows = []
    for data in formset.cleaned_data:
        if not data or data.get("DELETE") or not (data.get("title") or "").strip():
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


class ListeningSessionForm(forms.ModelForm):
    class Meta:
        model = ListeningSession
        fields = [
            "kind",
            "title",
            "held_on",
            "business_unit",
            "it_attendees",
            "business_attendees",
            "other_attendees",
            "notes",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "it_attendees": forms.SelectMultiple(attrs={"size": 5}),
            "business_attendees": forms.SelectMultiple(attrs={"size": 6}),
        }
        labels = {"held_on": "Date", "it_attendees": "IT attendees", "business_attendees": "Business attendees"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).select_related("business_unit")
        it_roles = Q(groups__name__in=[Role.IT_STAFF.value, Role.CIO.value])
        self.fields["it_attendees"].queryset = users.filter(it_roles).distinct()
        self.fields["business_attendees"].queryset = users.filter(business_unit__isnull=False)
        self.fields["business_unit"].queryset = BusinessUnit.objects.filter(is_active=True)
