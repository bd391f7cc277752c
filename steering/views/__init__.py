"""Pages of the steering app: the landing page here, the rest by subject in this package."""

import datetime

from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone

from partnership.score import Window

from .. import selectors
from ..choices import DecisionStatus
from ..models import ActionItem, Committee, Decision, Meeting, Membership, Position
from ..permissions import can_create_committee, can_create_event
from .committees import (
    committee_create,
    committee_detail,
    committee_edit,
    committee_list,
    decision_create,
    meeting_create,
    member_add,
    member_remove,
)
from .decisions import decision_close, decision_detail, decision_edit, decision_list, decision_position
from .events import (
    event_attendance,
    event_create,
    event_detail,
    event_edit,
    event_list,
    event_rate,
    event_register,
    event_unregister,
)
from .meetings import (
    action_item_create,
    action_item_done,
    action_item_list,
    agenda_add,
    attendance_record,
    meeting_detail,
    meeting_edit,
    meeting_list,
    minutes_record,
)

__all__ = [
    "action_item_create",
    "action_item_done",
    "action_item_list",
    "agenda_add",
    "attendance_record",
    "committee_create",
    "committee_detail",
    "committee_edit",
    "committee_list",
    "decision_close",
    "decision_create",
    "decision_detail",
    "decision_edit",
    "decision_list",
    "decision_position",
    "event_attendance",
    "event_create",
    "event_detail",
    "event_edit",
    "event_list",
    "event_rate",
    "event_register",
    "event_unregister",
    "index",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "member_add",
    "member_remove",
    "minutes_record",
]

WINDOW_DAYS = 90


def index(request):
    """What needs the user now, what is coming, and how well IT shares with the business."""
    user = request.user
    today = timezone.localdate()
    window = Window.last_days(WINDOW_DAYS, today=today)
    my_voting = Membership.objects.voting().filter(user=user)
    awaiting_position = (
        Decision.objects.for_user(user)
        .filter(status=DecisionStatus.OPEN, committee__in=my_voting.values("committee_id"))
        .exclude(Exists(Position.objects.filter(decision=OuterRef("pk"), member__user=user)))
        .select_related("committee")[:10]
    )
    quarters = selectors.events_per_quarter(today - datetime.timedelta(days=365), today)
    context = {
        "committees": Committee.objects.for_user(user).filter(is_active=True)[:10],
        "awaiting_position": awaiting_position,
        "upcoming_meetings": Meeting.objects.for_user(user).upcoming().select_related("committee")[:5],
        "upcoming_events": selectors.event_list(user=user, when="upcoming")[:5],
        "review_due": selectors.decision_register(user=user, review_due=True)[:5],
        "my_action_items": ActionItem.objects.for_user(user).open().filter(owner=user).select_related("meeting")[:5],
        "window_days": WINDOW_DAYS,
        "attendance_rate": selectors.business_attendance_rate(window),
        "buy_in_share": selectors.decisions_with_buy_in_share(window),
        "event_rating": selectors.average_event_rating(window),
        "overdue": selectors.overdue_action_items(Window(start=today - datetime.timedelta(days=365), end=today)),
        "quarters": quarters,
        "quarters_chart": {
            "labels": [row["label"] for row in quarters],
            "events": [row["events_held"] for row in quarters],
            "attendees": [row["business_attendees"] for row in quarters],
        },
        "can_create_committee": can_create_committee(user),
        "can_create_event": can_create_event(user),
    }
    return render(request, "steering/index.html", context)
