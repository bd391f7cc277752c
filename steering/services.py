"""Writes of the steering app: atomic functions named <entity>_<action>(*, ...).

Every refusal raises `ValidationError({"field": "message"})` before anything is written, so a
refused call changes nothing. Who may call what is decided by `permissions.py` in the views and
the API; the rules here hold whoever calls.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.events import Notice, followers, publish
from partnership.roles import is_it_staff

from .choices import AttendanceStatus, DecisionStatus, MemberRole, Side, Topic
from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Event,
    Meeting,
    Membership,
    Position,
    Registration,
)
from .payloads import decision_payload
from .workflow import ACTION_ITEM, DECISION

COMMITTEE_FIELDS = ("name", "scope", "purpose", "cadence", "is_active")
MEETING_FIELDS = ("title", "starts_at", "place", "link", "minutes")
ACTION_ITEM_FIELDS = ("title", "owner", "due_date", "notes")
DECISION_FIELDS = ("title", "topic", "context", "options", "outcome", "review_date", "meeting")
EVENT_FIELDS = ("kind", "title", "description", "starts_at", "ends_at", "location", "host", "capacity")


def _apply(instance, fields: Mapping, allowed: Iterable[str]):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def _user_label(user) -> str:
    return user.get_full_name() or user.username


# --- Committees and members ------------------------------------------------------------------


@transaction.atomic
def committee_create(*, name: str, scope: str, cadence: str, purpose: str = "", actor) -> Committee:
    committee = Committee(name=name, scope=scope, cadence=cadence, purpose=purpose)
    committee.full_clean()
    committee.save()
    return committee


@transaction.atomic
def committee_update(*, committee: Committee, actor, **fields) -> Committee:
    _apply(committee, fields, COMMITTEE_FIELDS)
    committee.full_clean()
    committee.save()
    return committee


def default_side(user) -> str:
    """IT staff sit on the IT side; everyone else speaks for the business."""
    return Side.IT if is_it_staff(user) else Side.BUSINESS


@transaction.atomic
def membership_add(*, committee: Committee, user, role: str = MemberRole.MEMBER, side: str = "", actor) -> Membership:
    if Membership.objects.filter(committee=committee, user=user).exists():
        raise ValidationError({"user": f"{_user_label(user)} is already a member of {committee}."})
    membership = Membership(committee=committee, user=user, role=role, side=side or default_side(user))
    membership.full_clean(validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, role: str, side: str, actor) -> Membership:
    membership.role = role
    membership.side = side
    membership.full_clean(validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    if membership.positions.exists() or membership.attendance.exists():
        raise ValidationError(
            {"user": "This member already has attendance or positions on record; make them an observer instead."}
        )
    membership.delete()


# --- Meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *, committee: Committee, title: str, starts_at, place: str = "", link: str = "", agenda: Iterable[str] = (),
    minutes: str = "", actor
) -> Meeting:
    """Schedule a meeting with its agenda (and minutes, when it is recorded afterwards); every
    member is notified."""
    meeting = Meeting(
        committee=committee, title=title, starts_at=starts_at, place=place, link=link, minutes=minutes, scheduled_by=actor
    )
    meeting.full_clean()
    meeting.save()
    titles = [t.strip() for t in agenda if t and t.strip()]
    for order, item_title in enumerate(titles, start=1):
        item = AgendaItem(meeting=meeting, order=order, title=item_title[:200])
        item.full_clean()
        item.save()
    when = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
    publish(
        "steering.meeting_scheduled",
        meeting,
        actor=actor,
        notice=Notice(
            recipients=followers((m.user for m in committee.memberships.select_related("user")), exclude=actor),
            title=f"{committee}: meeting “{title}” on {when}",
            body="\n".join(f"{n}. {t}" for n, t in enumerate(titles, start=1)),
        ),
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, **fields) -> Meeting:
    _apply(meeting, fields, MEETING_FIELDS)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_record_minutes(*, meeting: Meeting, minutes: str, actor) -> Meeting:
    return meeting_update(meeting=meeting, minutes=minutes, actor=actor)


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, title: str, presenter=None, notes: str = "", actor) -> AgendaItem:
    last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem(meeting=meeting, order=last + 1, title=title, presenter=presenter, notes=notes)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def attendance_record(*, meeting: Meeting, statuses: Mapping, actor) -> list[Attendance]:
    """Record present / excused / absent for members, given as {user: status}.

    Every user is checked before anything is written: one non-member refuses the whole call.
    """
    members = {m.user_id: m for m in meeting.committee.memberships.select_related("user")}
    for user, status in statuses.items():
        if user.pk not in members:
            raise ValidationError({"user": f"{_user_label(user)} is not a member of {meeting.committee}."})
        if status not in AttendanceStatus.values:
            raise ValidationError({"status": f"“{status}” is not one of present, excused or absent."})
    existing = {a.member_id: a for a in meeting.attendance.all()}
    recorded = []
    for user, status in statuses.items():
        member = members[user.pk]
        row = existing.get(member.pk) or Attendance(meeting=meeting, member=member)
        if row.pk is None or row.status != status:
            row.status = status
            row.save()
        recorded.append(row)
    return recorded


# --- Action items ------------------------------------------------------------------------------


def _notify_owner(item: ActionItem, actor) -> None:
    publish(
        "steering.action_item_assigned",
        item,
        actor=actor,
        notice=Notice(
            recipients=followers([item.owner], exclude=actor),
            title=f"Action item for you: {item.title} (due {item.due_date:%Y-%m-%d})",
            body=f"From the meeting “{item.meeting.title}” of {item.meeting.committee}.",
        ),
    )


@transaction.atomic
def action_item_create(*, meeting: Meeting, title: str, owner, due_date, notes: str = "", actor) -> ActionItem:
    item = ActionItem(meeting=meeting, title=title, owner=owner, due_date=due_date, notes=notes)
    item.full_clean()
    item.save()
    _notify_owner(item, actor)
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, actor, **fields) -> ActionItem:
    previous_owner = item.owner_id
    _apply(item, fields, ACTION_ITEM_FIELDS)
    item.full_clean()
    item.save()
    if item.owner_id != previous_owner:
        _notify_owner(item, actor)
    return item


@transaction.atomic
def action_item_complete(*, item: ActionItem, actor) -> ActionItem:
    ACTION_ITEM.check(item, actor, "done")
    item.done_at = timezone.now()
    item.save()
    return item


@transaction.atomic
def action_item_reopen(*, item: ActionItem, actor) -> ActionItem:
    ACTION_ITEM.check(item, actor, "reopen")
    item.done_at = None
    item.save()
    return item


# --- Decisions and positions -------------------------------------------------------------------


@transaction.atomic
def decision_propose(
    *,
    committee: Committee,
    title: str,
    topic: str = Topic.OTHER,
    context: str,
    options: str = "",
    meeting: Meeting | None = None,
    review_date=None,
    actor,
) -> Decision:
    """Propose a decision; the voting members are asked for their position."""
    decision = Decision(
        committee=committee,
        meeting=meeting,
        title=title,
        topic=topic,
        context=context,
        options=options,
        review_date=review_date,
        proposed_by=actor,
    )
    decision.full_clean()
    decision.save()
    publish(
        "steering.decision_proposed",
        decision,
        actor=actor,
        notice=Notice(
            recipients=followers((m.user for m in committee.memberships.voting().select_related("user")), exclude=actor),
            title=f"{committee}: your position on “{title}”",
            body=context[:500],
        ),
    )
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, actor, **fields) -> Decision:
    if not decision.is_open and set(fields) - {"review_date"}:
        raise ValidationError({"status": "A closed decision cannot be changed; only its review date can."})
    _apply(decision, fields, DECISION_FIELDS)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def position_record(*, decision: Decision, stance: str, comment: str = "", actor) -> Position:
    """Record (or change) the actor's position while the decision is open."""
    # Lock the decision so that a position cannot slip in while the chair closes it.
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_open:
        raise ValidationError({"decision": "This decision is closed: positions can no longer be recorded."})
    member = Membership.objects.filter(committee_id=decision.committee_id, user=actor).first()
    if member is None:
        raise ValidationError({"member": f"Only members of {decision.committee} can take a position."})
    if not member.is_voting:
        raise ValidationError({"member": "Observers follow the committee but do not take positions."})
    position = Position.objects.filter(decision=decision, member=member).first() or Position(
        decision=decision, member=member
    )
    position.stance = stance
    position.comment = comment
    position.recorded_at = timezone.now()
    position.full_clean(validate_constraints=False)
    position.save()
    return position


@transaction.atomic
def decision_close(*, decision: Decision, outcome: str = "", review_date=None, actor) -> Decision:
    """Close the decision with its outcome; positions are frozen from now on."""
    DECISION.require(decision, actor, "close")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    DECISION.check_status(decision, "close")
    if outcome:
        decision.outcome = outcome
    if review_date is not None:
        decision.review_date = review_date
    decision.status = DecisionStatus.CLOSED
    decision.decided_at = timezone.localdate()
    decision.closed_by = actor
    decision.full_clean()
    decision.save()
    publish(
        "decision.closed",
        decision,
        actor=actor,
        payload=decision_payload(decision),
        notice=Notice(
            recipients=followers((m.user for m in decision.committee.memberships.select_related("user")), exclude=actor),
            kind="steering.decision_closed",
            title=f"Decided: {decision.title}",
            body=decision.outcome[:500],
        ),
    )
    return decision


# --- Events --------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    kind: str,
    title: str,
    starts_at,
    host,
    description: str = "",
    ends_at=None,
    location: str = "",
    capacity: int | None = None,
    audience_units: Iterable = (),
    actor,
) -> Event:
    event = Event(
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        host=host,
        description=description,
        location=location,
        capacity=capacity,
    )
    event.full_clean()
    event.save()
    event.audience_units.set(list(audience_units))
    return event


@transaction.atomic
def event_update(*, event: Event, actor, audience_units: Iterable | None = None, **fields) -> Event:
    _apply(event, fields, EVENT_FIELDS)
    event.full_clean()
    if event.capacity is not None and event.registrations.count() > event.capacity:
        raise ValidationError({"capacity": "More people are already registered than this capacity."})
    event.save()
    if audience_units is not None:
        event.audience_units.set(list(audience_units))
    return event


@transaction.atomic
def event_register(*, event: Event, actor) -> Registration:
    # Lock the event row: two people taking the last seat at once must not both get it.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.has_started:
        raise ValidationError({"event": "This event has already taken place: registration is closed."})
    if event.registrations.filter(user=actor).exists():
        raise ValidationError({"event": "You are already registered for this event."})
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise ValidationError({"event": "This event is full."})
    registration = Registration(event=event, user=actor)
    registration.save()
    return registration


@transaction.atomic
def event_unregister(*, event: Event, actor) -> None:
    registration = Registration.objects.filter(event=event, user=actor).first()
    if registration is None:
        raise ValidationError({"event": "You are not registered for this event."})
    if event.has_started:
        raise ValidationError({"event": "This event has already taken place: registrations stay on record."})
    registration.delete()


@transaction.atomic
def event_record_attendance(*, event: Event, user, attended: bool = True, actor) -> Registration:
    """The host ticks who came. Someone who came without registering is added (a walk-in)."""
    if not event.has_started:
        raise ValidationError({"event": "Attendance can be recorded once the event has started."})
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None:
        if not attended:
            raise ValidationError({"user": f"{_user_label(user)} is not registered for this event."})
        registration = Registration(event=event, user=user)
    if attended and registration.attended_at is None:
        registration.attended_at = timezone.now()
    elif not attended:
        if registration.rating is not None:
            raise ValidationError({"user": f"{_user_label(user)} has already rated the event as an attendee."})
        registration.attended_at = None
    registration.save()
    return registration


@transaction.atomic
def event_rate(*, event: Event, rating: int, comment: str = "", actor) -> Registration:
    """An attendee rates the event from 1 to 5, with a comment; rating again replaces it."""
    registration = Registration.objects.filter(event=event, user=actor).first()
    if registration is None or registration.attended_at is None:
        raise ValidationError({"rating": "Only people who attended the event can rate it."})
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": "Give a rating from 1 to 5."})
    registration.rating = rating
    registration.comment = comment
    registration.rated_at = timezone.now()
    registration.full_clean(validate_constraints=False)
    registration.save()
    return registration
