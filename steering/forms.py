"""Forms of the steering app. They only shape input; the rules live in services.py."""

from django import forms
from django.contrib.auth import get_user_model

from partnership.models import BusinessUnit
from partnership.roles import Role

from .choices import AttendanceStatus, EventKind, MemberRole, Side, Stance, Topic
from .models import Committee, Decision, Event

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def people():
    """Everyone who may sit on a committee or own an action item: active people, not integration accounts."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(groups__name=Role.INTEGRATION_CLIENT.value)
        .select_related("business_unit")
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = f" · {obj.business_unit}" if obj.business_unit_id else " · IT"
        return f"{obj.get_full_name() or obj.username}{unit}"


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["name", "scope", "cadence", "purpose", "is_active"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class MembershipForm(forms.Form):
    user = PersonChoiceField(queryset=None, label="Person")
    role = forms.ChoiceField(choices=MemberRole.choices, initial=MemberRole.MEMBER)
    side = forms.ChoiceField(
        choices=[("", "From their role"), *Side.choices], required=False,
        help_text="IT staff sit on the IT side, everyone else on the business side, unless chosen here.",
    )

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = people()
        if committee is not None:
            queryset = queryset.exclude(steering_memberships__committee=committee)
        self.fields["user"].queryset = queryset


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="E.g. “March review”.")
    starts_at = forms.DateTimeField(label="Date and time", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(max_length=200, required=False)
    link = forms.URLField(required=False, label="Video-call link", assume_scheme="https")
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Agenda", help_text="One item per line."
    )


class MeetingEditForm(MeetingForm):
    agenda = None


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200, label="Agenda item")
    presenter = PersonChoiceField(queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = people()


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


class AttendanceForm(forms.Form):
    """One present / excused / absent choice per member of the meeting's committee."""

    def __init__(self, *args, members=(), recorded=None, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = recorded or {}
        self.members = {}
        for member in members:
            name = f"member_{member.user_id}"
            self.members[name] = member
            self.fields[name] = forms.ChoiceField(
                label=f"{member.user} ({member.get_side_display()}, {member.get_role_display()})",
                choices=[("", "Not recorded"), *AttendanceStatus.choices],
                required=False,
                initial=recorded.get(member.pk, ""),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def statuses(self) -> dict:
        return {
            self.members[name].user: value for name, value in self.cleaned_data.items() if value and name in self.members
        }


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=200, label="Action")
    owner = PersonChoiceField(queryset=None)
    due_date = forms.DateField(widget=DATE)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["title", "topic", "meeting", "context", "options", "review_date"]
        widgets = {
            "context": forms.Textarea(attrs={"rows": 4}),
            "options": forms.Textarea(attrs={"rows": 4}),
            "review_date": DATE,
        }

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committee is not None and self.instance.committee_id is None:
            self.instance.committee = committee
        committee = self.instance.committee if self.instance.committee_id else None
        self.fields["meeting"].queryset = committee.meetings.all() if committee else self.fields["meeting"].queryset.none()
        self.fields["topic"].choices = Topic.choices


class PositionForm(forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices, widget=forms.RadioSelect, label="Your position")
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="Concerns and objections stay on record next to your position.",
    )


class DecisionCloseForm(forms.Form):
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="What was decided.")
    review_date = forms.DateField(widget=DATE, required=False, help_text="When to look at the decision again.")


class EventForm(forms.ModelForm):
    audience_units = forms.ModelMultipleChoiceField(
        queryset=BusinessUnit.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Leave all unticked to invite everyone.",
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "description", "starts_at", "ends_at", "location", "host", "capacity", "audience_units"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_at": DATETIME,
            "ends_at": DATETIME,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EventKind.choices
        self.fields["host"] = PersonChoiceField(queryset=people(), initial=self.fields["host"].initial)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class EventAttendanceForm(forms.Form):
    attendees = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, required=False, label="Came to the event")
    walk_in = PersonChoiceField(queryset=None, required=False, label="Add someone who came without registering")

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        registrations = list(registrations)
        self.fields["attendees"].choices = [(str(r.user_id), str(r.user)) for r in registrations]
        self.fields["attendees"].initial = [str(r.user_id) for r in registrations if r.attended_at]
        self.fields["walk_in"].queryset = people().exclude(pk__in=[r.user_id for r in registrations])


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int, choices=[(n, f"{n} / 5") for n in range(5, 0, -1)], widget=forms.RadioSelect, label="Your rating"
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
