"""Forms of the revenue app. They only shape input; the rules live in services."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from partnership import bounds
from partnership.models import BusinessUnit
from partnership.roles import Role

from .choices import Category, Stage
from .models import RevenueProject

MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthField(forms.DateField):
    """A month picker (<input type="month">) that also accepts a full date."""

    widget = MONTH_WIDGET

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d"])
        super().__init__(**kwargs)


def it_people():
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name__in=[Role.IT_STAFF.value, Role.CIO.value])
    ).distinct()


def business_people():
    return get_user_model().objects.filter(groups__name=Role.BUSINESS_MANAGER.value).select_related("business_unit")


class RevenueProjectForm(forms.ModelForm):
    revenue_expected_from = MonthField(
        required=False,
        label="Revenue expected from (month)",
        help_text="Empty: from the month the project reaches execute.",
    )

    class Meta:
        model = RevenueProject
        fields = [
            "name",
            "category",
            "description",
            "it_sponsor",
            "it_lead",
            "business_units",
            "business_partners",
            "investment",
            "yearly_running_cost",
            "expected_yearly_revenue",
            "revenue_expected_from",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, currency="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["it_sponsor"].queryset = it_people()
        self.fields["it_lead"].queryset = it_people()
        self.fields["business_units"].queryset = BusinessUnit.objects.filter(is_active=True)
        self.fields["business_partners"].queryset = business_people()
        self.fields["business_partners"].required = False
        self.fields["business_partners"].help_text = "The business managers who partner on it; they are notified."
        for name in ("investment", "yearly_running_cost", "expected_yearly_revenue"):
            self.fields[name].label = f"{self.fields[name].label} ({currency})" if currency else self.fields[name].label
            # The model's validators would answer first; the service says it more clearly.
            self.fields[name].validators = []

    def _post_clean(self):
        # Model validation happens in the service (one set of messages for page and API).
        pass


class OwnIdsForm(forms.Form):
    """A form shown beside others on one page: its ids carry its own prefix (`id_advance_on`),
    so two forms' "on" fields never share `id_on` and each label points at its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class AdvanceForm(OwnIdsForm):
    id_prefix = "advance"

    on = forms.DateField(label="Date of the change", widget=DATE_WIDGET, required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(OwnIdsForm):
    id_prefix = "accept"
    accepted_by = forms.ModelChoiceField(queryset=None, label="Accepted by")
    statement = forms.CharField(
        label="Acceptance statement",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the business accepted, in their words.",
    )
    on = forms.DateField(label="Accepted on", widget=DATE_WIDGET, required=False)

    def __init__(self, *args, acceptors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_by"].queryset = acceptors


class AbandonForm(OwnIdsForm):
    id_prefix = "abandon"
    reason = forms.CharField(label="Why is it abandoned?", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    on = forms.DateField(label="Abandoned on", widget=DATE_WIDGET, required=False)


class EntryForm(forms.Form):
    month = MonthField(label="Month")
    amount = forms.DecimalField(label="Amount", max_digits=14, validators=bounds.SIGNED_MONEY)
    note = forms.CharField(label="Note", max_length=300, required=False)


class EntryEditForm(forms.Form):
    amount = forms.DecimalField(label="Amount", max_digits=14, validators=bounds.SIGNED_MONEY)
    note = forms.CharField(label="Note", max_length=300, required=False)


SELECT = {"class": "form-select"}
INPUT = {"class": "form-control"}


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *Stage.choices], widget=forms.Select(attrs=SELECT)
    )
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[("", "Any category"), *Category.choices],
        widget=forms.Select(attrs=SELECT),
    )
    unit = forms.ChoiceField(label="Business unit", required=False, widget=forms.Select(attrs=SELECT))
    executed_year = forms.IntegerField(
        label="Reached execute in", required=False, min_value=1900, max_value=2999, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "Any unit"), *BusinessUnit.objects.values_list("slug", "name")]


class EntryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    project = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(label="Year", required=False, min_value=1900, max_value=2999)
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *Stage.choices], widget=forms.Select(attrs=SELECT)
    )
    unit = forms.ChoiceField(label="Business unit", required=False, widget=forms.Select(attrs=SELECT))
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date", **INPUT}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date", **INPUT}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "Any unit"), *BusinessUnit.objects.values_list("slug", "name")]
