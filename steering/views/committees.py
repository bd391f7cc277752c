"""Committee pages: the list, one committee with its members, meetings and decisions, and forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..choices import Topic
from ..forms import CommitteeForm, DecisionForm, MeetingForm, MembershipForm
from ..models import Committee, Membership
from ..permissions import can_create_committee, can_manage_committee
from ._common import add_service_errors, paginate, require


def committee_list(request):
    q = request.GET.get("q", "").strip()
    scope = request.GET.get("scope", "")
    committees = selectors.committee_list(user=request.user, q=q, scope=scope)
    return render(
        request,
        "steering/committee_list.html",
        {
            "page_obj": paginate(request, committees),
            "q": q,
            "scope": scope,
            "scopes": Topic.choices,
            "can_create": can_create_committee(request.user),
        },
    )


def _committee_context(request, committee, member_form=None):
    user = request.user
    decisions = selectors.decision_register(user=user, committee=committee)
    return {
        "committee": committee,
        "members": list(committee.memberships.all()),
        "my_membership": committee.membership_of(user),
        "next_meeting": committee.meetings.upcoming().first(),
        "recent_meetings": committee.meetings.filter(starts_at__lt=timezone.now())[:5],
        "open_decisions": [d for d in decisions if d.is_open],
        "closed_decisions": [d for d in decisions if not d.is_open][:10],
        "can_manage": can_manage_committee(user, committee),
        "member_form": member_form or MembershipForm(committee=committee),
    }


def _visible_committee(request, pk):
    queryset = Committee.objects.for_user(request.user).prefetch_related(selectors.members_prefetch())
    return get_object_or_404(queryset, pk=pk)


def committee_detail(request, pk):
    committee = _visible_committee(request, pk)
    return render(request, "steering/committee_detail.html", _committee_context(request, committee))


def committee_create(request):
    require(can_create_committee(request.user))
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "scope", "cadence", "purpose")}
        committee = services.committee_create(**data, actor=request.user)
        if not form.cleaned_data["is_active"]:
            services.committee_update(committee=committee, is_active=False, actor=request.user)
        messages.success(request, f"Committee “{committee}” created. Add its members next.")
        return redirect(committee)
    return render(
        request,
        "steering/form.html",
        {"form": form, "title": "New steering committee", "submit": "Create committee", "cancel": reverse("steering:committee-list")},
        status=400 if request.method == "POST" else 200,
    )


def committee_edit(request, pk):
    committee = _visible_committee(request, pk)
    require(can_manage_committee(request.user, committee))
    form = CommitteeForm(request.POST or None, instance=Committee.objects.get(pk=committee.pk))
    if request.method == "POST" and form.is_valid():
        services.committee_update(committee=committee, **form.cleaned_data, actor=request.user)
        messages.success(request, "Committee saved.")
        return redirect(committee)
    return render(
        request,
        "steering/form.html",
        {"form": form, "title": f"Edit {committee}", "submit": "Save", "cancel": committee.get_absolute_url()},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def member_add(request, pk):
    committee = _visible_committee(request, pk)
    require(can_manage_committee(request.user, committee))
    form = MembershipForm(request.POST, committee=committee)
    if form.is_valid():
        try:
            membership = services.membership_add(committee=committee, **form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{membership.user} joined the committee.")
            return redirect(committee)
    return render(request, "steering/committee_detail.html", _committee_context(request, committee, form), status=400)


@require_POST
def member_remove(request, pk):
    membership = get_object_or_404(Membership.objects.for_user(request.user).select_related("committee", "user"), pk=pk)
    committee = membership.committee
    require(can_manage_committee(request.user, committee))
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user} left the committee.")
    return redirect(committee)


def meeting_create(request, pk):
    committee = _visible_committee(request, pk)
    require(can_manage_committee(request.user, committee))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["agenda"] = data["agenda"].splitlines()
        try:
            meeting = services.meeting_schedule(committee=committee, **data, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Meeting scheduled; the members were notified.")
            return redirect(meeting)
    return render(
        request,
        "steering/form.html",
        {
            "form": form,
            "title": f"Schedule a meeting of {committee}",
            "submit": "Schedule meeting",
            "cancel": committee.get_absolute_url(),
        },
        status=400 if request.method == "POST" else 200,
    )


def decision_create(request, pk):
    committee = _visible_committee(request, pk)
    require(can_manage_committee(request.user, committee))
    initial = {"topic": committee.scope}
    meeting_id = request.GET.get("meeting")
    if meeting_id and meeting_id.isdigit() and committee.meetings.filter(pk=meeting_id).exists():
        initial["meeting"] = meeting_id
    form = DecisionForm(request.POST or None, committee=committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_propose(committee=committee, **form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Decision proposed; the voting members were asked for their position.")
            return redirect(decision)
    return render(
        request,
        "steering/form.html",
        {
            "form": form,
            "title": f"Propose a decision to {committee}",
            "submit": "Propose decision",
            "cancel": committee.get_absolute_url(),
        },
        status=400 if request.method == "POST" else 200,
    )
