"""Events: the calendar, one event, registering, attendance by the host and ratings by attendees."""

import itertools

from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership import pages

from .. import selectors, services
from ..choices import EventKind
from ..forms import EventAttendanceForm, EventForm, RatingForm
from ..models import Event
from ..permissions import can_create_event, can_manage_event
from ._common import paginate, parse_date, require


def event_list(request):
    when = request.GET.get("when", "upcoming")
    if when not in ("upcoming", "past", "all"):
        when = "upcoming"
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in EventKind.values else ""
    q = request.GET.get("q", "").strip()
    date_from, date_to = parse_date(request.GET.get("from")), parse_date(request.GET.get("to"))
    events = selectors.event_list(
        user=request.user, when=when, kind=kind, q=q, date_from=date_from, date_to=date_to
    )
    page = paginate(request, events)
    # The calendar: the page's events grouped by month.
    months = [
        (month, list(group))
        for month, group in itertools.groupby(page.object_list, key=lambda e: timezone.localtime(e.starts_at).strftime("%B %Y"))
    ]
    return render(
        request,
        "steering/event_list.html",
        {
            "page_obj": page,
            "months": months,
            "when": when,
            "kind": kind,
            "kinds": EventKind.choices,
            "q": q,
            "date_from": date_from,
            "date_to": date_to,
            "can_create": can_create_event(request.user),
        },
    )


def _visible_event(request, pk):
    return get_object_or_404(selectors.event_detail_queryset(request.user), pk=pk)


def _event_context(request, event, attendance_form=None, rating_form=None):
    user = request.user
    registrations = list(event.registrations.all())
    mine = next((r for r in registrations if r.user_id == user.pk), None)
    attended = [r for r in registrations if r.attended_at]
    ratings = [r.rating for r in registrations if r.rating]
    can_manage = can_manage_event(user, event)
    return {
        "event": event,
        "registrations": registrations if can_manage else [],
        "registered_count": len(registrations),
        "attended_count": len(attended),
        "business_attended_count": sum(1 for r in attended if r.user.business_unit_id),
        "average_rating": round(sum(ratings) / len(ratings), 1) if ratings else None,
        "feedback": [r for r in registrations if r.rating] if can_manage else [],
        "seats_left": None if event.capacity is None else max(0, event.capacity - len(registrations)),
        "my_registration": mine,
        "can_manage": can_manage,
        "attendance_form": attendance_form or EventAttendanceForm(registrations=registrations),
        "rating_form": rating_form
        or RatingForm(initial={"rating": mine.rating, "comment": mine.comment} if mine and mine.rating else None),
    }


def event_detail(request, pk):
    event = _visible_event(request, pk)
    return render(request, "steering/event_detail.html", _event_context(request, event))


def event_create(request):
    require(can_create_event(request.user))
    form = EventForm(request.POST or None, initial={"host": request.user.pk})
    done = pages.submit(
        request,
        form,
        lambda data: services.event_create(**data, actor=request.user),
        success=lambda event: f"“{event}” is on the calendar.",
    )
    return done or render(
        request,
        "steering/form.html",
        {"form": form, "title": "New event", "submit": "Create event", "cancel": reverse("steering:event-list")},
        status=pages.form_status(form),
    )


def event_edit(request, pk):
    event = _visible_event(request, pk)
    require(can_manage_event(request.user, event))
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk))
    done = pages.submit(
        request,
        form,
        lambda data: services.event_update(event=Event.objects.get(pk=event.pk), **data, actor=request.user),
        success="Event saved.",
        to=event,
    )
    return done or render(
        request,
        "steering/form.html",
        {"form": form, "title": f"Edit “{event}”", "submit": "Save", "cancel": event.get_absolute_url()},
        status=pages.form_status(form),
    )


@require_POST
def event_register(request, pk):
    event = _visible_event(request, pk)
    return pages.act(
        request,
        lambda: services.event_register(event=event, actor=request.user),
        success=f"You are registered for “{event}”.",
        to=event,
    )


@require_POST
def event_unregister(request, pk):
    event = _visible_event(request, pk)
    return pages.act(
        request,
        lambda: services.event_unregister(event=event, actor=request.user),
        success=f"You are no longer registered for “{event}”.",
        to=event,
    )


@require_POST
def event_attendance(request, pk):
    """The host ticks who came; unticking someone records them as not attending."""
    event = _visible_event(request, pk)
    require(can_manage_event(request.user, event))
    registrations = list(event.registrations.all())
    form = EventAttendanceForm(request.POST, registrations=registrations)
    def record(data):
        came = {int(pk) for pk in data["attendees"]}
        with transaction.atomic():
            _record_attendance(request, event, form, registrations, came)

    done = pages.submit(request, form, record, success="Attendance recorded.", to=event)
    if done:
        return done
    context = _event_context(request, event, attendance_form=form)
    return render(request, "steering/event_detail.html", context, status=400)


@require_POST
def event_rate(request, pk):
    event = _visible_event(request, pk)
    form = RatingForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: services.event_rate(event=event, **data, actor=request.user),
        success="Thank you for your feedback.",
        to=event,
    )
    if done:
        return done
    context = _event_context(request, event, rating_form=form)
    return render(request, "steering/event_detail.html", context, status=400)


def _record_attendance(request, event, form, registrations, came):
    """Every change or none: one refusal rolls back the whole checklist."""
    for registration in registrations:
        attended = registration.user_id in came
        if attended != (registration.attended_at is not None):
            services.event_record_attendance(
                event=event, user=registration.user, attended=attended, actor=request.user
            )
    walk_in = form.cleaned_data["walk_in"]
    if walk_in is not None:
        services.event_record_attendance(event=event, user=walk_in, attended=True, actor=request.user)
