"""Committee pages: the list, one committee with its members, meetings and decisions, and forms."""

from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership import pages
from partnership.bounds import parse_id

from .. import selectors, services
from ..choices import Topic
from ..forms import CommitteeForm, DecisionForm, MeetingForm, MembershipForm
from ..models import Committee, Membership
from ..permissions import can_create_committee, can_manage_committee
from ._common import paginate, require


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

    def create(data):
        with transaction.atomic():
            fields = {k: data[k] for k in ("name", "scope", "cadence", "purpose")}
            committee = services.committee_create(**fields, actor=request.user)
            if not data["is_active"]:
                services.committee_update(committee=committee, is_active=False, actor=request.user)
        return committee

    done = pages.submit(
        request, form, create, success=lambda committee: f"Committee “{committee}” created. Add its members next."
    )
    return done or render(
        request,
        "steering/form.html",
        {"form": form, "title": "New steering committee", "submit": "Create committee", "cancel": reverse("steering:committee-list")},
        status=pages.form_status(form),
    )


def committee_edit(request, pk):
    committee = _visible_committee(request, pk)
    require(can_manage_committee(request.user, committee))
    form = CommitteeForm(request.POST or None, instance=Committee.objects.get(pk=committee.pk))
    done = pages.submit(
        request,
        form,
        lambda data: services.committee_update(committee=committee, **data, actor=request.user),
        success="Committee saved.",
        to=committee,
    )
    return done or render(
        request,
        "steering/form.html",
        {"form": form, "title": f"Edit {committee}", "submit": "Save", "cancel": committee.get_absolute_url()},
        status=pages.form_status(form),
    )


@require_POST
def member_add(request, pk):
    committee = _visible_committee(request, pk)
    require(can_manage_committee(request.user, committee))
    form = MembershipForm(request.POST, committee=committee)
    done = pages.submit(
        request,
        form,
        lambda data: services.membership_add(committee=committee, **data, actor=request.user),
        success=lambda membership: f"{membership.user} joined the committee.",
        to=committee,
    )
    return done or render(request, "steering/committee_detail.html", _committee_context(request, committee, form), status=400)


@require_POST
def member_remove(request, pk):
    membership = get_object_or_404(Membership.objects.for_user(request.user).select_related("committee", "user"), pk=pk)
    committee = membership.committee
    require(can_manage_committee(request.user, committee))
    return pages.act(
        request,
        lambda: services.membership_remove(membership=membership, actor=request.user),
        success=f"{membership.user} left the committee.",
        to=committee,
    )


def meeting_create(request, pk):
    committee = _visible_committee(request, pk)
    require(can_manage_committee(request.user, committee))
    form = MeetingForm(request.POST or None)
    done = pages.submit(
        request,
        form,
        lambda data: services.meeting_schedule(
            committee=committee, **{**data, "agenda": data["agenda"].splitlines()}, actor=request.user
        ),
        success="Meeting scheduled; the members were notified.",
    )
    return done or render(
        request,
        "steering/form.html",
        {
            "form": form,
            "title": f"Schedule a meeting of {committee}",
            "submit": "Schedule meeting",
            "cancel": committee.get_absolute_url(),
        },
        status=pages.form_status(form),
    )


def decision_create(request, pk):
    committee = _visible_committee(request, pk)
    require(can_manage_committee(request.user, committee))
    initial = {"topic": committee.scope}
    meeting_id = parse_id(request.GET.get("meeting"))
    if meeting_id and committee.meetings.filter(pk=meeting_id).exists():
        initial["meeting"] = meeting_id
    form = DecisionForm(request.POST or None, committee=committee, initial=initial)
    done = pages.submit(
        request,
        form,
        lambda data: services.decision_propose(committee=committee, **data, actor=request.user),
        success="Decision proposed; the voting members were asked for their position.",
    )
    return done or render(
        request,
        "steering/form.html",
        {
            "form": form,
            "title": f"Propose a decision to {committee}",
            "submit": "Propose decision",
            "cancel": committee.get_absolute_url(),
        },
        status=pages.form_status(form),
    )
