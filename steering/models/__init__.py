"""The steering app's models: committees, meetings, decisions (committees.py) and IT events
(events.py). Visibility is one `for_user()` per model, used by pages, API and exports."""

from .committees import (
    ActionItem,
    ActionItemQuerySet,
    AgendaItem,
    AgendaItemQuerySet,
    Attendance,
    AttendanceQuerySet,
    Committee,
    CommitteeContentQuerySet,
    CommitteeQuerySet,
    Decision,
    DecisionQuerySet,
    Meeting,
    MeetingQuerySet,
    Membership,
    MembershipQuerySet,
    Position,
    PositionQuerySet,
    is_staff_person,
)
from .events import Event, EventQuerySet, Registration, RegistrationQuerySet

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "AgendaItem",
    "AgendaItemQuerySet",
    "Attendance",
    "AttendanceQuerySet",
    "Committee",
    "CommitteeContentQuerySet",
    "CommitteeQuerySet",
    "Decision",
    "DecisionQuerySet",
    "Event",
    "EventQuerySet",
    "Meeting",
    "MeetingQuerySet",
    "Membership",
    "MembershipQuerySet",
    "Position",
    "PositionQuerySet",
    "Registration",
    "RegistrationQuerySet",
    "is_staff_person",
]
