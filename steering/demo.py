"""Demo data of the steering app: a BYOD committee, an information security committee, their
meetings and decisions with positions, and IT events (an open day, a workshop, "Meet your IT
procurement guy"...), spread over the last nine months.

Idempotent: every row is looked up by a natural key (committee name, meeting title, decision
title, event title) before it is created.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from partnership.audit import acting_as
from partnership.demo import bulk_volume
from partnership.models import BusinessUnit, User

from . import models
from .choices import AttendanceStatus, Cadence, DecisionStatus, EventKind, MemberRole, Side, Stance, Topic

P, E, A = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT
S, SC, OP, AB = Stance.SUPPORT, Stance.SUPPORT_WITH_CONCERNS, Stance.OPPOSE, Stance.ABSTAIN

COMMITTEES = [
    {
        "name": "BYOD steering committee",
        "scope": Topic.BYOD,
        "cadence": Cadence.MONTHLY,
        "purpose": "Which personal devices may reach company data, on which terms, and who pays for what.",
        # (username, side, role)
        "members": [
            ("carla", Side.IT, MemberRole.CHAIR),
            ("ivan", Side.IT, MemberRole.MEMBER),
            ("alice", Side.BUSINESS, MemberRole.MEMBER),
            ("bob", Side.BUSINESS, MemberRole.MEMBER),
            ("maria", Side.BUSINESS, MemberRole.MEMBER),
            ("greta", Side.IT, MemberRole.OBSERVER),
        ],
    },
    {
        "name": "Information security committee",
        "scope": Topic.INFORMATION_SECURITY,
        "cadence": Cadence.QUARTERLY,
        "purpose": "The information security guidelines everyone lives with: access, passwords, devices, training.",
        "members": [
            ("greta", Side.IT, MemberRole.CHAIR),
            ("carla", Side.IT, MemberRole.MEMBER),
            ("mallory", Side.BUSINESS, MemberRole.MEMBER),
            ("hana", Side.BUSINESS, MemberRole.MEMBER),
            ("oscar", Side.BUSINESS, MemberRole.MEMBER),
            ("ivan", Side.IT, MemberRole.OBSERVER),
        ],
    },
    {
        "name": "Technology framework board",
        "scope": Topic.TECHNOLOGY_FRAMEWORK,
        "cadence": Cadence.QUARTERLY,
        "purpose": "The main technology framework: platforms, cloud and the rules for buying new software.",
        "members": [
            ("carla", Side.IT, MemberRole.CHAIR),
            ("ivan", Side.IT, MemberRole.MEMBER),
            ("alice", Side.BUSINESS, MemberRole.MEMBER),
            ("mallory", Side.BUSINESS, MemberRole.MEMBER),
        ],
    },
]

# (committee, title, days from today, place, agenda, attendance {username: status}, minutes)
MEETINGS = [
    ("BYOD steering committee", "Kick-off: why BYOD, why now", -265, "Board room, HQ",
     ["Scope of the committee", "What people already do with their phones", "Next steps"],
     {"carla": P, "ivan": P, "alice": P, "bob": P, "maria": E}, "Agreed to draft a device policy by spring."),
    ("BYOD steering committee", "Device policy draft", -205, "Board room, HQ",
     ["Draft policy walk-through", "MDM options", "Decision: phones for e-mail"],
     {"carla": P, "ivan": P, "alice": P, "bob": P, "maria": P}, "Phones with MDM for e-mail proposed."),
    ("BYOD steering committee", "Cost sharing", -140, "Video call",
     ["Allowance models", "Tax questions from Finance"],
     {"carla": P, "ivan": E, "alice": P, "bob": A, "maria": P}, "Allowance proposal did not find support."),
    ("BYOD steering committee", "Laptops and the guest network", -75, "Board room, HQ",
     ["Personal laptops: what Sales needs on the road", "Guest Wi-Fi capacity"],
     {"carla": P, "ivan": P, "alice": P, "bob": P, "maria": A}, "Proposal to keep personal laptops on guest Wi-Fi."),
    ("BYOD steering committee", "Quarterly review", -12, "Video call",
     ["MDM enrolment figures", "Open decisions"],
     {"carla": P, "ivan": P, "alice": E, "bob": P, "maria": P}, "Enrolment at 78 %; reminder campaign agreed."),
    ("BYOD steering committee", "Spring review", 16, "Board room, HQ", ["Review of the e-mail decision"], {}, ""),
    ("Information security committee", "Remote access after the audit", -250, "Security lab",
     ["Audit findings", "MFA options"],
     {"greta": P, "carla": P, "mallory": P, "hana": P, "oscar": E}, "MFA on remote access proposed."),
    ("Information security committee", "Phishing and training", -160, "Video call",
     ["Phishing simulation results", "Training plan"],
     {"greta": P, "carla": E, "mallory": P, "hana": P, "oscar": P}, "Quarterly simulations proposed."),
    ("Information security committee", "Removable media", -55, "Security lab",
     ["USB incidents this year", "Blocking options"],
     {"greta": P, "carla": P, "mallory": P, "hana": A, "oscar": P}, "Blocking USB storage proposed; Finance objects."),
    ("Information security committee", "Summer review", 45, "Security lab", ["Guideline updates"], {}, ""),
]

# (meeting title, title, owner, due in days from today, done)
ACTION_ITEMS = [
    ("Device policy draft", "Publish the MDM enrolment guide", "ivan", -180, True),
    ("Cost sharing", "Ask the tax adviser about phone allowances", "mallory", -120, True),
    ("Laptops and the guest network", "Measure guest Wi-Fi load at peak hours", "greta", -40, False),
    ("Laptops and the guest network", "Collect the Sales team's laptop needs", "alice", -30, True),
    ("Quarterly review", "Remind teams without MDM enrolment", "ivan", 10, False),
    ("Remote access after the audit", "Roll out MFA to all VPN users", "greta", -200, True),
    ("Phishing and training", "Book the training rooms", "hana", -140, True),
    ("Removable media", "List the teams that still need USB storage", "mallory", -20, False),
    ("Removable media", "Price encrypted USB sticks", "greta", 14, False),
]

# (committee, meeting title or None, title, topic, context, options, outcome, closed days ago or None,
#  review in days from today or None, {username: (stance, comment)})
DECISIONS = [
    ("BYOD steering committee", "Device policy draft", "Allow personal phones for company e-mail with MDM",
     Topic.BYOD, "People read e-mail on personal phones anyway, without any protection.",
     "1. Forbid it.\n2. Allow it with MDM enrolment.\n3. Hand out company phones to everyone.",
     "Personal phones may receive company e-mail once enrolled in MDM.", 200, 20,
     {"carla": (S, ""), "ivan": (S, ""), "alice": (S, "Sales needs this on the road."),
      "bob": (SC, "Warehouse staff share phones; enrolment must stay simple."), "maria": (S, "")}),
    ("BYOD steering committee", "Cost sharing", "Monthly allowance for personal phones used for work",
     Topic.BYOD, "If people use their own phones for work, should the company pay part of the bill?",
     "1. Flat monthly allowance.\n2. Reimburse on request.\n3. No allowance.",
     "No allowance for now; revisit with the tax adviser's answer.", 135, 60,
     {"carla": (S, ""), "alice": (OP, "A flat allowance rewards people who hardly use it."),
      "bob": (OP, "Operations budget cannot absorb it this year."), "maria": (S, "")}),
    ("BYOD steering committee", "Laptops and the guest network", "Personal laptops on the guest Wi-Fi only",
     Topic.BYOD, "Sales staff bring personal laptops to the office.", "1. Guest Wi-Fi only.\n2. Full network with NAC.",
     "", None, None, {"carla": (S, ""), "alice": (SC, "Guest Wi-Fi is slow in the afternoon.")}),
    ("Information security committee", "Remote access after the audit", "Enforce MFA on all remote access",
     Topic.INFORMATION_SECURITY, "The audit found VPN accounts protected by a password only.",
     "1. MFA for admins only.\n2. MFA for everyone.", "MFA for every remote access from the first of next month.",
     240, -10,
     {"greta": (S, ""), "carla": (S, ""), "mallory": (S, ""), "hana": (SC, "Help the field staff enrol."),
      "oscar": (S, "")}),
    ("Information security committee", "Phishing and training", "Quarterly phishing simulations",
     Topic.INFORMATION_SECURITY, "Click rates on real phishing e-mails went up last year.",
     "1. Yearly training only.\n2. Quarterly simulations with short training for those who click.",
     "Quarterly simulations start next quarter; results are reported per unit, never per person.", 150, 210,
     {"greta": (S, ""), "mallory": (SC, "Results per unit only, please."), "hana": (S, ""),
      "oscar": (AB, "No strong view.")}),
    ("Information security committee", "Removable media", "Block USB storage on office PCs",
     Topic.INFORMATION_SECURITY, "Two incidents this year started with a USB stick.",
     "1. Block all USB storage.\n2. Allow encrypted company sticks only.", "", None, None,
     {"greta": (S, ""), "mallory": (OP, "Auditors hand us data on USB sticks; give us an alternative first."),
      "oscar": (S, "")}),
]

# (title, kind, days from today, hours, location, host, capacity, audience slugs, description,
#  registrations {username: (attended, rating, comment)})
EVENTS = [
    ("Phishing awareness training", EventKind.TRAINING, -205, 2, "Training room 2", "greta", 20, [],
     "How to spot a phishing e-mail, and what to do when you clicked anyway.",
     {"alice": (True, 4, "Short and useful."), "hana": (True, 5, "Please repeat it for new joiners."),
      "oscar": (True, 4, ""), "bob": (False, None, "")}),
    ("IT open day", EventKind.OPEN_DAY, -120, 5, "IT floor, HQ", "carla", 60, [],
     "Meet the people behind the service desk, see the data centre and try the new collaboration tools.",
     {"alice": (True, 5, "Seeing the data centre made the budget discussions concrete."),
      "mallory": (True, 4, ""), "bob": (True, 4, "More hands-on stations next time."), "maria": (True, 5, ""),
      "hana": (False, None, ""), "oscar": (True, 3, "Too crowded around noon.")}),
    ("Creative workshop: automating the month-end close", EventKind.WORKSHOP, -62, 3, "Workshop room", "ivan", 12,
     ["finance"], "Finance and IT map the month-end close and pick three steps to automate.",
     {"mallory": (True, 5, "We left with a plan, not a list of complaints."), "alice": (True, 4, "")}),
    ("Meet your IT procurement guy", EventKind.INFORMAL, -25, 1, "Cafeteria", "greta", 15, [],
     "Coffee with the person who buys our laptops, phones and software: ask anything.",
     {"bob": (True, 5, "Finally understood why laptops take three weeks."), "oscar": (True, 4, ""),
      "hana": (False, None, "")}),
    ("Meet your IT procurement guy: phones and laptops", EventKind.INFORMAL, 9, 1, "Cafeteria", "greta", 12, [],
     "Which devices are coming next year, and how to order them.", {"alice": (False, None, "")}),
    ("IT open day: AI assistants at work", EventKind.OPEN_DAY, 21, 4, "IT floor, HQ", "carla", 80, [],
     "Demonstrations of AI assistants, what they may be used for and what stays off-limits.",
     {"maria": (False, None, ""), "bob": (False, None, "")}),
    ("Creative workshop: one view of the customer", EventKind.WORKSHOP, 35, 3, "Workshop room", "ivan", 10,
     ["sales", "marketing", "customer-service"], "Sales, Marketing and Customer Service sketch one customer view.",
     {}),
]


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def seed(*, scale: int = 1, progress=None) -> None:
    people = {u.username: u for u in User.objects.filter(username__in=["alice", "mallory", "bob", "maria", "hana",
                                                                        "oscar", "ivan", "greta", "carla"])}
    if "carla" not in people:
        return  # partnership's seed creates the people first
    with acting_as(people["carla"]):
        committees = _seed_committees(people)
        meetings = _seed_meetings(committees, people)
        _seed_action_items(meetings, people)
        _seed_decisions(committees, meetings, people)
        _seed_events(people)
        if scale > 1:
            _seed_volume(scale, committees["BYOD steering committee"], progress)


def _seed_committees(people):
    committees = {}
    for spec in COMMITTEES:
        committee, _ = models.Committee.objects.get_or_create(
            name=spec["name"],
            defaults={"scope": spec["scope"], "cadence": spec["cadence"], "purpose": spec["purpose"]},
        )
        committees[committee.name] = committee
        for username, side, role in spec["members"]:
            models.Membership.objects.get_or_create(
                committee=committee, user=people[username], defaults={"side": side, "role": role}
            )
    return committees


def _seed_meetings(committees, people):
    meetings = {}
    for committee_name, title, days, place, agenda, attendance, minutes in MEETINGS:
        committee = committees[committee_name]
        meeting, created = models.Meeting.objects.get_or_create(
            committee=committee,
            title=title,
            defaults={"starts_at": _at(days), "place": place, "minutes": minutes, "scheduled_by": people["carla"]},
        )
        meetings[title] = meeting
        if not created:
            continue
        for order, item in enumerate(agenda, start=1):
            models.AgendaItem.objects.create(meeting=meeting, order=order, title=item)
        members = {m.user.username: m for m in committee.memberships.select_related("user")}
        for username, status in attendance.items():
            models.Attendance.objects.create(meeting=meeting, member=members[username], status=status)
    return meetings


def _seed_action_items(meetings, people):
    for meeting_title, title, owner, due_days, done in ACTION_ITEMS:
        meeting = meetings[meeting_title]
        due = max(timezone.localdate() + datetime.timedelta(days=due_days), meeting.local_date)
        models.ActionItem.objects.get_or_create(
            meeting=meeting,
            title=title,
            defaults={
                "owner": people[owner],
                "due_date": due,
                "done_at": _at(due_days - 2) if done else None,
            },
        )


def _seed_decisions(committees, meetings, people):
    for committee_name, meeting_title, title, topic, context, options, outcome, closed_ago, review, positions in DECISIONS:
        committee = committees[committee_name]
        meeting = meetings.get(meeting_title)
        closed = closed_ago is not None
        decision, created = models.Decision.objects.get_or_create(
            committee=committee,
            title=title,
            defaults={
                "meeting": meeting,
                "topic": topic,
                "context": context,
                "options": options,
                "outcome": outcome,
                "status": DecisionStatus.CLOSED if closed else DecisionStatus.OPEN,
                "proposed_by": committee.memberships.filter(role=MemberRole.CHAIR).first().user,
                "decided_at": timezone.localdate() - datetime.timedelta(days=closed_ago) if closed else None,
                "closed_by": committee.memberships.filter(role=MemberRole.CHAIR).first().user if closed else None,
                "review_date": timezone.localdate() + datetime.timedelta(days=review) if review is not None else None,
            },
        )
        if not created:
            continue
        members = {m.user.username: m for m in committee.memberships.select_related("user")}
        for username, (stance, comment) in positions.items():
            models.Position.objects.create(
                decision=decision,
                member=members[username],
                stance=stance,
                comment=comment,
                recorded_at=meeting.starts_at if meeting else timezone.now(),
            )


def _seed_events(people):
    units = {u.slug: u for u in BusinessUnit.objects.all()}
    for title, kind, days, hours, location, host, capacity, audience, description, registrations in EVENTS:
        starts = _at(days, hour=14)
        event, created = models.Event.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=hours),
                "location": location,
                "host": people[host],
                "capacity": capacity,
                "description": description,
            },
        )
        if not created:
            continue
        event.audience_units.set([units[slug] for slug in audience if slug in units])
        for username, (attended, rating, comment) in registrations.items():
            models.Registration.objects.create(
                event=event,
                user=people[username],
                registered_at=starts - datetime.timedelta(days=10),
                attended_at=starts if attended else None,
                rating=rating,
                comment=comment,
                rated_at=starts + datetime.timedelta(days=1) if rating else None,
            )


def _seed_volume(scale, committee, progress):
    """More events with registrations, and more decisions with positions, in bulk (benchmarks)."""
    host = committee.memberships.filter(role=MemberRole.CHAIR).first().user
    count = bulk_volume(scale, "events")
    existing = set(models.Event.objects.filter(title__startswith="Lunch and learn #").values_list("title", flat=True))
    kinds = list(EventKind.values)
    new_events = [
        models.Event(
            title=f"Lunch and learn #{i:04d}",
            kind=kinds[i % len(kinds)],
            starts_at=_at(-270 + (i * 7) % 300, hour=12),
            host=host,
            capacity=30,
            location="Cafeteria",
        )
        for i in range(count)
        if f"Lunch and learn #{i:04d}" not in existing
    ]
    models.Event.objects.bulk_create(new_events, batch_size=500)
    people = list(User.objects.filter(username__startswith="demo-").order_by("pk").values_list("pk", flat=True)[:400])
    if people and new_events:
        now = timezone.now()
        rows = []
        for n, event in enumerate(models.Event.objects.filter(title__in=[e.title for e in new_events])):
            for k in range(10):
                past = event.starts_at < now
                rows.append(
                    models.Registration(
                        event=event,
                        user_id=people[(n * 10 + k) % len(people)],
                        registered_at=event.starts_at - datetime.timedelta(days=5),
                        attended_at=event.starts_at if past and k % 4 else None,
                        rating=(3 + (n + k) % 3) if past and k % 4 else None,
                    )
                )
        models.Registration.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if progress:
        progress("events", len(new_events), len(new_events))
    existing = set(models.Meeting.objects.filter(committee=committee, title__startswith="Device review #").values_list("title", flat=True))
    models.Meeting.objects.bulk_create(
        [
            models.Meeting(
                committee=committee,
                title=f"Device review #{i:04d}",
                starts_at=_at(-270 + (i * 3) % 300, hour=15),
                place="Board room",
                minutes="Reviewed the device requests of the month." if i % 300 < 270 else "",
                scheduled_by=host,
            )
            for i in range(bulk_volume(scale, "meetings"))
            if f"Device review #{i:04d}" not in existing
        ],
        batch_size=500,
    )
    existing = set(models.Decision.objects.filter(title__startswith="Standard device catalogue item #").values_list(
        "title", flat=True))
    models.Decision.objects.bulk_create(
        [
            models.Decision(
                committee=committee,
                title=f"Standard device catalogue item #{i:04d}",
                topic=Topic.BYOD,
                context="Add a device model to the catalogue employees may enrol.",
                outcome="Added.",
                status=DecisionStatus.CLOSED,
                decided_at=timezone.localdate() - datetime.timedelta(days=i % 250),
                proposed_by=host,
                closed_by=host,
            )
            for i in range(bulk_volume(scale, "decisions"))
            if f"Standard device catalogue item #{i:04d}" not in existing
        ],
        batch_size=500,
    )
