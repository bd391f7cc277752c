"""Forms of the initiatives app. They collect input; the services decide the rules."""

from django import forms
from django.contrib.auth import get_user_model

from partnership.models import BusinessUnit
from partnership.roles import Role

from .models import Initiative, Milestone, Risk

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _it_people():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.IT_STAFF.value, Role.CIO.value])
        .distinct()
    )


def _business_managers():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.BUSINESS_MANAGER.value)
        .select_related("business_unit")
    )


class InitiativeForm(forms.ModelForm):
    """Creating and editing an initiative (IT staff)."""

    class Meta:
        model = Initiative
        fields = [
            "title",
            "origin",
            "pain_points",
            "problem",
            "proposal",
            "alternative_considered",
            "sponsor",
            "it_owner",
            "business_units",
            "one_off_cost",
            "yearly_running_cost",
            "fte",
            "start_date",
            "target_date",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "alternative_considered": forms.Textarea(attrs={"rows": 3}),
            "pain_points": forms.SelectMultiple(attrs={"size": 6}),
            "business_units": forms.SelectMultiple(attrs={"size": 6}),
            "one_off_cost": forms.NumberInput(attrs={"step": "100"}),
            "yearly_running_cost": forms.NumberInput(attrs={"step": "100"}),
            "fte": forms.NumberInput(attrs={"step": "0.1"}),
            "start_date": DATE,
            "target_date": DATE,
        }
        labels = {"alternative_considered": "Alternative considered (the less traditional concept)"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from listening.models import PainPoint

        pain_points = PainPoint.objects.for_user(user).select_related("business_unit").order_by("-created_at")
        self.fields["pain_points"].queryset = pain_points
        self.fields["pain_points"].label_from_instance = lambda p: f"#{p.pk} {p.title} ({p.business_unit.name}, {p.get_status_display().lower()})"
        self.fields["sponsor"].queryset = _business_managers()
        self.fields["sponsor"].label_from_instance = lambda u: f"{u} ({u.business_unit or 'no unit'})"
        self.fields["it_owner"].queryset = _it_people()
        self.fields["business_units"].queryset = BusinessUnit.objects.filter(is_active=True)
        self.fields["business_units"].help_text = "Empty: the units of the linked pain points and of the sponsor."
        for name in ("one_off_cost", "yearly_running_cost", "fte"):
            # Negative values reach the service, which refuses them with one message for pages and API.
            self.fields[name].validators = []


class ReasonForm(forms.Form):
    # Not required here: the service names the missing reason, one message for pages and API.
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Required: the sponsor and the owner read it."
    )


class NoteForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Optional.")


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(required=False, widget=DATE, help_text="Empty: today.")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RiskAcceptanceForm(forms.Form):
    statement = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In your words: which risk of failure you accept, and why it is worth it.",
    )


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = ["description", "probability", "impact", "mitigation", "owner"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 2}),
            "probability": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "impact": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).select_related("business_unit")
        for name in ("probability", "impact"):
            # Out-of-range values reach the service, which refuses them with one message.
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("max", None)
            self.fields[name].widget.attrs.pop("min", None)

    def _post_clean(self):
        # The service validates the risk; the form only converts the input.
        pass


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": DATE}

    def _post_clean(self):
        pass


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(required=False, widget=DATE, help_text="Empty: today.")


class BenefitForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Expected benefit")
    expected_amount = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, help_text="Optional: yearly value in money."
    )


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class BenefitsReviewForm(forms.Form):
    """One realised text and amount per expected benefit, built from the initiative's benefits."""

    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="What the initiative brought, overall."
    )

    def __init__(self, *args, benefits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.benefits = list(benefits)
        for benefit in self.benefits:
            self.fields[f"realised_{benefit.pk}"] = forms.CharField(
                required=False,
                label=f"Realised: {benefit.description[:80]}",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=(
                    f"Expected {benefit.expected_amount} a year." if benefit.expected_amount is not None else ""
                ),
            )
            self.fields[f"amount_{benefit.pk}"] = forms.DecimalField(
                max_digits=14, decimal_places=2, required=False, label="Realised amount (optional)"
            )

    def realised_rows(self) -> list[dict]:
        return [
            {
                "benefit": benefit.pk,
                "realised": self.cleaned_data.get(f"realised_{benefit.pk}") or "",
                "realised_amount": self.cleaned_data.get(f"amount_{benefit.pk}"),
            }
            for benefit in self.benefits
        ]
