"""Meeting pages: the list, one meeting (agenda, attendance checklist, minutes, action items)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from partnership import pages
from partnership.bounds import parse_id
from partnership.models import BusinessUnit

from .. import selectors, services
from ..forms import ActionItemForm, AgendaItemForm, AttendanceForm, MeetingEditForm, MinutesForm
from ..models import ActionItem, Committee
from ..permissions import can_manage_committee
from ..workflow import ACTION_ITEM
from ._common import paginate, parse_date, require


def meeting_list(request):
    user = request.user
    committees = Committee.objects.for_user(user).only("pk", "name")
    committee = None
    committee_id = parse_id(request.GET.get("committee"))
    if committee_id:
        committee = committees.filter(pk=committee_id).first()
    unit = BusinessUnit.objects.filter(slug=request.GET.get("unit", "")).first() if request.GET.get("unit") else None
    q = request.GET.get("q", "").strip()
    date_from, date_to = parse_date(request.GET.get("from")), parse_date(request.GET.get("to"))
    meetings = selectors.meeting_list(
        user=user, committee=committee, date_from=date_from, date_to=date_to, business_unit=unit, q=q
    )
    return render(
        request,
        "steering/meeting_list.html",
        {
            "page_obj": paginate(request, meetings),
            "committees": committees,
            "committee": committee,
            "unit": unit,
            "q": q,
            "date_from": date_from,
            "date_to": date_to,
        },
    )


def _meeting_context(request, meeting, **forms):
    committee = meeting.committee
    members = list(committee.memberships.all())
    recorded = {a.member_id: a.status for a in meeting.attendance.all()}
    by_member = {m.pk: m for m in members}
    can_manage = can_manage_committee(request.user, committee)
    return {
        "meeting": meeting,
        "committee": committee,
        "members": members,
        "attendance": [(by_member[a.member_id], a) for a in meeting.attendance.all() if a.member_id in by_member],
        "not_recorded": [m for m in members if m.pk not in recorded],
        "can_manage": can_manage,
        "attendance_form": forms.get("attendance_form") or AttendanceForm(members=members, recorded=recorded),
        "minutes_form": forms.get("minutes_form") or MinutesForm(initial={"minutes": meeting.minutes}),
        "agenda_form": forms.get("agenda_form") or AgendaItemForm(),
        "action_form": forms.get("action_form") or ActionItemForm(),
        "user_id": request.user.pk,
    }


def _visible_meeting(request, pk):
    return get_object_or_404(selectors.meeting_detail_queryset(request.user), pk=pk)


def _render_meeting(request, meeting, status=200, **forms):
    return render(request, "steering/meeting_detail.html", _meeting_context(request, meeting, **forms), status=status)


def meeting_detail(request, pk):
    return _render_meeting(request, _visible_meeting(request, pk))


def meeting_edit(request, pk):
    meeting = _visible_meeting(request, pk)
    require(can_manage_committee(request.user, meeting.committee))
    initial = {"title": meeting.title, "starts_at": meeting.starts_at, "place": meeting.place, "link": meeting.link}
    form = MeetingEditForm(request.POST or None, initial=initial)
    done = pages.submit(
        request,
        form,
        lambda data: services.meeting_update(meeting=meeting, **data, actor=request.user),
        success="Meeting saved.",
        to=meeting,
    )
    return done or render(
        request,
        "steering/form.html",
        {"form": form, "title": f"Edit {meeting}", "submit": "Save", "cancel": meeting.get_absolute_url()},
        status=pages.form_status(form),
    )


def _post_on_meeting(request, pk, form_name, make_form, write, success):
    """A form of the meeting page, posted by whoever manages its committee: `write(meeting,
    form, data)` through the service, else the page again with the form and its errors (400)."""
    meeting = _visible_meeting(request, pk)
    require(can_manage_committee(request.user, meeting.committee))
    form = make_form(meeting)
    done = pages.submit(request, form, lambda data: write(meeting, form, data), success=success, to=meeting)
    return done or _render_meeting(request, meeting, status=400, **{form_name: form})


@require_POST
def agenda_add(request, pk):
    return _post_on_meeting(
        request,
        pk,
        "agenda_form",
        lambda meeting: AgendaItemForm(request.POST),
        lambda meeting, form, data: services.agenda_item_add(meeting=meeting, **data, actor=request.user),
        success="Agenda item added.",
    )


@require_POST
def attendance_record(request, pk):
    return _post_on_meeting(
        request,
        pk,
        "attendance_form",
        lambda meeting: AttendanceForm(request.POST, members=list(meeting.committee.memberships.all())),
        lambda meeting, form, data: services.attendance_record(
            meeting=meeting, statuses=form.statuses(), actor=request.user
        ),
        success="Attendance recorded.",
    )


@require_POST
def minutes_record(request, pk):
    return _post_on_meeting(
        request,
        pk,
        "minutes_form",
        lambda meeting: MinutesForm(request.POST),
        lambda meeting, form, data: services.meeting_record_minutes(
            meeting=meeting, minutes=data["minutes"], actor=request.user
        ),
        success="Minutes saved.",
    )


@require_POST
def action_item_create(request, pk):
    return _post_on_meeting(
        request,
        pk,
        "action_form",
        lambda meeting: ActionItemForm(request.POST),
        lambda meeting, form, data: services.action_item_create(meeting=meeting, **data, actor=request.user),
        success=lambda item: f"Action item added; {item.owner} was notified.",
    )


def action_item_list(request):
    user = request.user
    state = request.GET.get("state", "open")
    mine = request.GET.get("mine") == "1"
    unit = BusinessUnit.objects.filter(slug=request.GET.get("unit", "")).first() if request.GET.get("unit") else None
    date_from, date_to = parse_date(request.GET.get("from")), parse_date(request.GET.get("to"))
    items = selectors.action_item_list(
        user=user,
        state=state,
        owner=user if mine else None,
        date_from=date_from,
        date_to=date_to,
        business_unit=unit,
    )
    return render(
        request,
        "steering/action_item_list.html",
        {
            "page_obj": paginate(request, items),
            "state": state,
            "mine": mine,
            "unit": unit,
            "date_from": date_from,
            "date_to": date_to,
            "states": [("open", "Open"), ("overdue", "Overdue"), ("done", "Done"), ("all", "All")],
        },
    )


@require_POST
def action_item_done(request, pk):
    item = get_object_or_404(ActionItem.objects.for_user(request.user).select_related("meeting__committee"), pk=pk)
    step = "reopen" if request.POST.get("reopen") else "done"
    require(ACTION_ITEM.allowed(item, request.user, step))
    next_url = request.POST.get("next", "")
    return pages.act(
        request,
        lambda: ACTION_ITEM.run(item, request.user, step),
        success=f"“{item.title}” {'reopened' if step == 'reopen' else 'done'}.",
        to=next_url if next_url.startswith("/steering/") else item.get_absolute_url(),
    )
