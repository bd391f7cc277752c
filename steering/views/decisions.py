"""The decision register and one decision: positions by the members, closing by the chair."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from partnership import pages
from partnership.bounds import parse_id
from partnership.models import BusinessUnit
from partnership.roles import is_it_staff

from .. import selectors, services
from ..choices import DecisionStatus, Side, Topic
from ..forms import DecisionCloseForm, DecisionForm, PositionForm
from ..models import Committee, Decision, Membership
from ..permissions import can_manage_committee
from ..workflow import DECISION
from ._common import paginate, parse_date, require

BUY_IN_FILTERS = [("yes", "With business buy-in"), ("no", "Without business buy-in"), ("none", "No business position yet")]


def decision_list(request):
    user = request.user
    params = request.GET
    committees = Committee.objects.for_user(user).only("pk", "name")
    committee = committees.filter(pk=committee_id).first() if (committee_id := parse_id(params.get("committee"))) else None
    unit = BusinessUnit.objects.filter(slug=params.get("unit", "")).first() if params.get("unit") else None
    filters = {
        "q": params.get("q", "").strip(),
        "topic": params.get("topic", "") if params.get("topic", "") in Topic.values else "",
        "status": params.get("status", "") if params.get("status", "") in DecisionStatus.values else "",
        "buy_in": params.get("buy_in", ""),
        "review_due": params.get("review_due") == "1",
        "date_from": parse_date(params.get("from")),
        "date_to": parse_date(params.get("to")),
    }
    decisions = selectors.decision_register(user=user, committee=committee, business_unit=unit, **filters)
    return render(
        request,
        "steering/decision_list.html",
        {
            "page_obj": paginate(request, decisions),
            "committees": committees,
            "committee": committee,
            "unit": unit,
            "topics": Topic.choices,
            "statuses": DecisionStatus.choices,
            "buy_in_filters": BUY_IN_FILTERS,
            **filters,
        },
    )


def _visible_decision(request, pk):
    queryset = (
        Decision.objects.for_user(request.user)
        .select_related("committee", "meeting", "proposed_by", "closed_by")
        .with_buy_in()
        .prefetch_related(selectors.positions_prefetch())
    )
    return get_object_or_404(queryset, pk=pk)


def _decision_context(request, decision, position_form=None, close_form=None):
    user = request.user
    committee = decision.committee
    # A closed decision is visible to all staff, but its committee's member list is not.
    membership = Membership.objects.filter(committee=committee, user=user).first()
    positions = list(decision.positions.all())
    mine = next((p for p in positions if membership and p.member_id == membership.pk), None)
    voting_members = (
        list(committee.memberships.voting().select_related("user"))
        if membership is not None or is_it_staff(user)
        else []
    )
    taken = {p.member_id for p in positions}
    return {
        "decision": decision,
        "committee": committee,
        "positions": positions,
        "business_positions": [p for p in positions if p.member.side == Side.BUSINESS],
        "it_positions": [p for p in positions if p.member.side == Side.IT],
        "waiting_for": [m for m in voting_members if m.pk not in taken],
        "membership": membership,
        "my_position": mine,
        "can_take_position": decision.is_open and membership is not None and membership.is_voting,
        # The close form, when steering.workflow.DECISION offers its step to the user.
        "can_manage": decision.is_open and DECISION.allowed(decision, user, "close"),
        "can_edit": can_manage_committee(user, committee, membership=membership),
        "position_form": position_form
        or PositionForm(initial={"stance": mine.stance, "comment": mine.comment} if mine else None),
        "close_form": close_form
        or DecisionCloseForm(initial={"outcome": decision.outcome, "review_date": decision.review_date}),
    }


def decision_detail(request, pk):
    decision = _visible_decision(request, pk)
    return render(request, "steering/decision_detail.html", _decision_context(request, decision))


def decision_edit(request, pk):
    decision = _visible_decision(request, pk)
    require(can_manage_committee(request.user, decision.committee))
    instance = Decision.objects.get(pk=decision.pk)
    form = DecisionForm(request.POST or None, instance=instance)
    done = pages.submit(
        request,
        form,
        lambda data: services.decision_update(
            decision=Decision.objects.get(pk=decision.pk),
            **{name: data[name] for name in form.changed_data},
            actor=request.user,
        ),
        success="Decision saved.",
        to=decision,
    )
    return done or render(
        request,
        "steering/form.html",
        {"form": form, "title": f"Edit “{decision}”", "submit": "Save", "cancel": decision.get_absolute_url()},
        status=pages.form_status(form),
    )


@require_POST
def decision_position(request, pk):
    decision = _visible_decision(request, pk)
    form = PositionForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: services.position_record(decision=decision, **data, actor=request.user),
        success="Your position is recorded.",
        to=decision,
    )
    if done:
        return done
    context = _decision_context(request, decision, position_form=form)
    return render(request, "steering/decision_detail.html", context, status=400)


@require_POST
def decision_close(request, pk):
    decision = _visible_decision(request, pk)
    require(DECISION.allowed(decision, request.user, "close"))
    form = DecisionCloseForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: DECISION.run(decision, request.user, "close", **data),
        success="Decision closed; the members were notified.",
        to=decision,
    )
    if done:
        return done
    context = _decision_context(request, decision, close_form=form)
    return render(request, "steering/decision_detail.html", context, status=400)
