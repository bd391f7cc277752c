"""Demo data of the listening app: believable pain points across the units, the listening
sessions that surfaced some of them, votes, comments and evaluations, spread over nine months.

Idempotent: sessions are looked up by (title, day), pain points by (title, unit) and the bulk
rows of `--scale` by their external reference, so running it twice duplicates nothing.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from partnership.audit import acting_as
from partnership.demo import PAIN_POINTS_PER_SCALE, bulk_volume
from partnership.models import BusinessUnit, User
from partnership.notifications.choices import ReminderStatus
from partnership.notifications.models import Reminder

from . import services
from .choices import Category, PainPointStatus, Risk, SessionKind, Source
from .models import ListeningSession, PainPoint, PainPointStatusChange, Vote
from .reminders import ACK_OVERDUE
from .sessions import listening_session_create
from .sla import ack_due_date, add_business_days

# (title, kind, unit slug, days ago, IT usernames, business usernames, notes)
SESSIONS = [
    ("Weekly sales meeting, key accounts", SessionKind.SALES_MEETING, "sales", 250, ["carla"], ["alice"],
     "Quotes take too long; the CRM and the price list disagree."),
    ("Campaign planning", SessionKind.MARKETING_MEETING, "marketing", 220, ["carla", "ivan"], ["maria"],
     "Campaign results arrive two weeks late; web shop images are resized by hand."),
    ("A day with the field sales team", SessionKind.FRONT_LINE_DAY, "sales", 180, ["ivan"], ["alice"],
     "Laptops need VPN to see stock; no signal at most customers."),
    ("IT coffee in the warehouse", SessionKind.COFFEE_EVENT, "operations", 150, ["greta", "ivan"], ["bob"],
     "Scanners drop the Wi-Fi in aisle 7; picking lists printed twice."),
    ("Month-end close review", SessionKind.ONE_TO_ONE, "finance", 120, ["carla"], ["mallory"],
     "Bank statements imported by hand; two days lost every month-end."),
    ("Call centre floor visit", SessionKind.FRONT_LINE_DAY, "customer-service", 95, ["ivan"], ["oscar"],
     "Agents switch between four screens to answer one customer."),
    ("Sales kick-off follow-up", SessionKind.SALES_MEETING, "sales", 40, ["carla", "ivan"], ["alice"],
     "Commission statements questioned every month."),
    ("Brand team coffee", SessionKind.COFFEE_EVENT, "marketing", 25, ["greta"], ["maria"],
     "Asset library search is hopeless."),
    ("Payroll one-to-one", SessionKind.ONE_TO_ONE, "hr", 12, ["ivan"], ["hana"],
     "Onboarding accounts are late for new starters."),
]

OPTIONS_TEMPLATE = [
    ("Quick fix in the current system", "Cheap, weeks not months.", "Keeps the underlying limits.", "4000", Risk.LOW),
    ("Replace with a standard product", "Solves the cause; vendor support.", "Licence cost, data migration.", "38000", Risk.MEDIUM),
]

# title, unit, submitter, category, severity, people, hours, days ago, target status, extras
PAIN_POINTS = [
    ("Quotes need prices copied from two systems", "sales", "alice", Category.SYSTEM, 4, 18, "3", 248, PainPointStatus.CLOSED,
     {"session": "Weekly sales meeting, key accounts", "voters": ["oscar", "maria"]}),
    ("Campaign results arrive two weeks late", "marketing", "maria", Category.REPORTING, 3, 6, "4", 218, PainPointStatus.RESOLVED,
     {"session": "Campaign planning", "voters": ["alice"]}),
    ("Web shop images resized by hand", "marketing", "maria", Category.PROCESS, 2, 3, "5", 215, PainPointStatus.PLANNED,
     {"session": "Campaign planning"}),
    ("Stock visible only over VPN on the road", "sales", "alice", Category.ACCESS, 4, 25, "1.5", 178, PainPointStatus.PLANNED,
     {"session": "A day with the field sales team", "voters": ["bob", "oscar"]}),
    ("Scanners drop Wi-Fi in aisle 7", "operations", "bob", Category.SYSTEM, 5, 30, "0.5", 148, PainPointStatus.CLOSED,
     {"session": "IT coffee in the warehouse"}),
    ("Picking lists printed twice", "operations", "bob", Category.PROCESS, 2, 12, "0.5", 146, PainPointStatus.DECLINED,
     {"reason": "The second copy is the carrier's delivery note; the carrier requires it on paper until its portal goes live in spring."}),
    ("Bank statements imported by hand", "finance", "mallory", Category.DATA, 4, 4, "6", 118, PainPointStatus.PLANNED,
     {"session": "Month-end close review", "confidential": True}),
    ("Four screens to answer one customer", "customer-service", "oscar", Category.SYSTEM, 4, 40, "2", 92, PainPointStatus.ANALYSING,
     {"session": "Call centre floor visit", "voters": ["alice", "bob"]}),
    ("Customer history missing in the phone tool", "customer-service", "oscar", Category.DATA, 3, 40, "1", 90, PainPointStatus.MERGED,
     {"merge_into": "Four screens to answer one customer", "voters": ["maria"]}),
    ("Expense reports rejected for missing receipts", "finance", "mallory", Category.PROCESS, 2, 60, "0.5", 75, PainPointStatus.RESOLVED,
     {"voters": ["alice", "bob", "maria", "hana"]}),
    ("Commission statements questioned every month", "sales", "alice", Category.REPORTING, 3, 25, "1", 38, PainPointStatus.ANALYSING,
     {"session": "Sales kick-off follow-up", "confidential": True}),
    ("Salary changes typed twice into payroll", "hr", "hana", Category.DATA, 3, 3, "4", 60, PainPointStatus.ACKNOWLEDGED,
     {"confidential": True}),
    ("Asset library search finds nothing", "marketing", "maria", Category.SYSTEM, 2, 8, "1", 24, PainPointStatus.ACKNOWLEDGED,
     {"session": "Brand team coffee", "voters": ["alice"]}),
    ("New starters wait a week for accounts", "hr", "hana", Category.ACCESS, 4, 10, "8", 11, PainPointStatus.NEW,
     {"session": "Payroll one-to-one", "voters": ["bob", "oscar", "alice"]}),
    ("Delivery dates in the order confirmation are wrong", "operations", "bob", Category.DATA, 4, 15, "1", 6, PainPointStatus.NEW,
     {"voters": ["oscar"]}),
    ("Monthly sales report built in Excel by hand", "sales", "alice", Category.REPORTING, 3, 2, "6", 3, PainPointStatus.NEW, {}),
    ("Password resets only by phone", "customer-service", "oscar", Category.ACCESS, 2, 40, "0.3", 1, PainPointStatus.NEW,
     {"voters": ["hana"]}),
    ("Budget forecasts e-mailed as spreadsheets", "finance", "mallory", Category.PROCESS, 3, 12, "2", 33, PainPointStatus.PLANNED, {}),
]

_PATH = [PainPointStatus.ACKNOWLEDGED, PainPointStatus.ANALYSING, PainPointStatus.PLANNED, PainPointStatus.RESOLVED, PainPointStatus.CLOSED]


def _at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _sessions(users, units) -> dict:
    sessions = {}
    for title, kind, unit, days_ago, it_people, business_people, notes in SESSIONS:
        held_on = timezone.localdate() - datetime.timedelta(days=days_ago)
        session = ListeningSession.objects.filter(title=title, held_on=held_on).first()
        if session is None:
            session = ListeningSession.objects.filter(title=title).first()
        if session is None:
            actor = users[it_people[0]]
            with acting_as(actor):
                session = listening_session_create(
                    actor=actor,
                    kind=kind,
                    title=title,
                    held_on=held_on,
                    business_unit=units[unit],
                    it_attendees=[users[u] for u in it_people],
                    business_attendees=[users[u] for u in business_people],
                    notes=notes,
                )
        sessions[title] = session
    return sessions


def _walk(pain_point, target, extras, it_user, by_title):
    """Move a fresh pain point along the workflow to `target`, as IT would have."""
    if target == PainPointStatus.DECLINED:
        services.pain_point_decline(pain_point=pain_point, actor=it_user, reason=extras["reason"])
        return
    if target == PainPointStatus.MERGED:
        services.pain_point_acknowledge(pain_point=pain_point, actor=it_user)
        services.pain_point_merge(pain_point=pain_point, target=by_title[extras["merge_into"]], actor=it_user)
        return
    if target == PainPointStatus.NEW:
        return
    for step in _PATH:
        if step == PainPointStatus.ACKNOWLEDGED:
            services.pain_point_acknowledge(pain_point=pain_point, actor=it_user, note="Thanks, we are on it.")
        elif step == PainPointStatus.ANALYSING:
            services.pain_point_start_analysis(pain_point=pain_point, actor=it_user)
        elif step == PainPointStatus.PLANNED:
            services.evaluation_save(
                pain_point=pain_point,
                actor=it_user,
                summary=f"Talked to the people who live with “{pain_point.title.lower()}” and looked at the data.",
                plan="Start with the quick fix this quarter; revisit the standard product at the budget round.",
                options=[
                    {"title": t, "pros": p, "cons": c, "rough_cost": cost, "risk": r, "recommended": i == 0}
                    for i, (t, p, c, cost, r) in enumerate(OPTIONS_TEMPLATE)
                ],
            )
            services.pain_point_plan(pain_point=pain_point, actor=it_user)
        elif step == PainPointStatus.RESOLVED:
            services.pain_point_resolve(pain_point=pain_point, actor=it_user, note="Live since Monday; tell us if it helps.")
        elif step == PainPointStatus.CLOSED:
            services.pain_point_close(pain_point=pain_point, actor=it_user, note="Confirmed by the business.")
        if step == target:
            return


def _backdate(pain_point, days_ago: int, late: bool):
    """Spread the history over the months it would have taken."""
    created = _at(days_ago, hour=9)
    due = ack_due_date(timezone.localdate(created))
    changes = list(PainPointStatusChange.objects.filter(pain_point=pain_point).order_by("at", "id"))
    ack_day = add_business_days(timezone.localdate(created), 3 if late else 1)
    times = [created]
    for index in range(1, len(changes)):
        step_day = ack_day + datetime.timedelta(days=(index - 1) * max(1, days_ago // 8))
        times.append(min(timezone.make_aware(datetime.datetime.combine(step_day, datetime.time(11, index))), timezone.now()))
    for change, at in zip(changes, times, strict=True):
        PainPointStatusChange.objects.filter(pk=change.pk).update(at=at, created_at=at)
    PainPoint.objects.filter(pk=pain_point.pk).update(
        created_at=created,
        ack_due_on=due,
        acknowledged_at=times[1] if len(times) > 1 else None,
        status_changed_at=times[-1],
    )


@transaction.atomic
def seed(*, scale: int = 1, progress=None) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["alice", "mallory", "bob", "maria", "hana", "oscar", "ivan", "greta", "carla"])}
    units = {u.slug: u for u in BusinessUnit.objects.all()}
    if "ivan" not in users or "sales" not in units:
        return  # partnership's seed creates the company first
    sessions = _sessions(users, units)
    by_title = {}
    for number, (title, unit, who, category, severity, people, hours, days_ago, target, extras) in enumerate(PAIN_POINTS):
        existing = PainPoint.objects.filter(title=title, business_unit=units[unit]).first()
        if existing is not None:
            by_title[title] = existing
            continue
        it_user = users["ivan"] if number % 3 else users["greta"]
        session = sessions.get(extras.get("session"))
        submitter = it_user if session else users[who]
        with acting_as(submitter):
            pain_point = services.pain_point_create(
                submitted_by=submitter,
                business_unit=units[unit],
                title=title,
                description=(
                    f"{title}. It happens every week and the team works around it by hand."
                    + (f" Raised by {users[who]} in “{session.title}”." if session else "")
                ),
                category=category,
                severity=severity,
                people_affected=people,
                hours_lost_per_week=Decimal(hours),
                confidential=extras.get("confidential", False),
                source=Source.LISTENING_SESSION if session else Source.PORTAL,
                listening_session=session,
            )
            if session:
                services.pain_point_watch(pain_point=pain_point, user=users[who])
        for voter in extras.get("voters", []):
            with acting_as(users[voter]):
                services.pain_point_vote(pain_point=pain_point, user=users[voter])
        with acting_as(it_user):
            _walk(pain_point, target, extras, it_user, by_title)
        if number % 4 == 1:
            with acting_as(users[who]):
                services.comment_add(pain_point=pain_point, author=users[who], body="This still costs us time every week.")
        _backdate(pain_point, days_ago, late=number % 5 == 4)
        by_title[title] = pain_point
    if scale > 1:
        _seed_bulk(scale, units, users, progress)


BULK_BATCH = 5000
# A ticket older than this has been answered (a real triage queue holds days, not months): with
# it, 1,000,000 pain points leave about 10,000 reminders due in a sweep, as in production.
ANSWERED_AFTER_DAYS = 14


def _seed_bulk(scale, units, users, progress):
    """More rows for benchmarks: ticketing pain points and sessions, created in bulk.

    Rows are built and inserted a batch at a time (memory stays flat at any scale); their
    creation dates are spread over nine months by one UPDATE at the end, since bulk_create
    stamps `created_at` with the current time.
    """
    rng = random.Random(42)
    all_units = list(BusinessUnit.objects.order_by("pk"))
    total = (scale - 1) * PAIN_POINTS_PER_SCALE
    existing = set(PainPoint.objects.filter(source_system="demo-jira").values_list("external_ref", flat=True))
    statuses = [PainPointStatus.NEW, PainPointStatus.ACKNOWLEDGED, PainPointStatus.ANALYSING, PainPointStatus.PLANNED, PainPointStatus.RESOLVED, PainPointStatus.CLOSED]
    planned = {PainPointStatus.PLANNED, PainPointStatus.RESOLVED, PainPointStatus.CLOSED}
    today = timezone.localdate()
    due_dates = {days: ack_due_date(today - datetime.timedelta(days=days)) for days in range(0, 271)}

    def build(i):
        ref = f"DEMO-{i:06d}"
        days = rng.randint(0, 270)
        created = _at(days, hour=rng.randint(8, 17))
        status = rng.choice(statuses)
        if status == PainPointStatus.NEW and days > ANSWERED_AFTER_DAYS:
            status = PainPointStatus.ACKNOWLEDGED
        acknowledged = None if status == PainPointStatus.NEW else created + datetime.timedelta(days=rng.randint(0, 4))
        return PainPoint(
            title=f"Ticket {ref}: {rng.choice(['slow', 'broken', 'manual', 'missing'])} {rng.choice(['report', 'export', 'login', 'workflow', 'screen'])}",
            description="Imported from the demo ticketing system.",
            business_unit=all_units[i % len(all_units)],
            category=rng.choice(Category.values),
            severity=rng.randint(1, 5),
            people_affected=rng.randint(1, 50),
            hours_lost_per_week=Decimal(rng.randint(1, 20)) / 2,
            status=status,
            source=Source.TICKETING,
            source_system="demo-jira",
            external_ref=ref,
            ack_due_on=due_dates[days],
            acknowledged_at=acknowledged,
            status_changed_at=acknowledged or created,
            plan_note="Planned in the IT backlog." if status in planned else "",
        )

    missing = [i for i in range(total) if f"DEMO-{i:06d}" not in existing]
    for start in range(0, len(missing), BULK_BATCH):
        batch = PainPoint.objects.bulk_create([build(i) for i in missing[start : start + BULK_BATCH]])
        PainPointStatusChange.objects.bulk_create(
            [PainPointStatusChange(pain_point=p, to_status=p.status, note="Imported.", at=p.status_changed_at) for p in batch]
        )
        if progress:
            progress("pain points", min(start + BULK_BATCH, len(missing)), len(missing))
    if missing:
        # Spread the creation dates (approximately: the last status change, at most 4 days late).
        PainPoint.objects.filter(source_system="demo-jira", created_at__gt=F("status_changed_at")).update(
            created_at=F("status_changed_at")
        )
    existing_sessions = set(ListeningSession.objects.filter(title__startswith="Regional visit ").values_list("title", flat=True))
    sessions = [
        ListeningSession(
            kind=rng.choice(SessionKind.values),
            title=f"Regional visit {i:04d}",
            held_on=timezone.localdate() - datetime.timedelta(days=rng.randint(0, 270)),
            business_unit=all_units[i % len(all_units)],
            notes="Demo session.",
            recorded_by=users["ivan"],
        )
        for i in range(bulk_volume(scale, "listening sessions"))
        if f"Regional visit {i:04d}" not in existing_sessions
    ]
    ListeningSession.objects.bulk_create(sessions, batch_size=1000)
    _seed_bulk_votes(scale, progress)
    _seed_bulk_reminders(scale, users, progress)


def _demo_ticket_ids(spread: int) -> list:
    """Ids of bulk pain points evenly spread for `spread` rows (every n-th one, in order)."""
    ids = list(PainPoint.objects.filter(source_system="demo-jira").order_by("pk").values_list("pk", flat=True))
    return ids[:: max(1, len(ids) // max(spread, 1))]


def _seed_bulk_votes(scale, progress):
    """'Me too' votes from the bulk people, spread over the bulk pain points."""
    total = bulk_volume(scale, "votes")
    if Vote.objects.filter(pain_point__source_system="demo-jira").count() >= total:
        return
    people = list(User.objects.filter(username__startswith="demo-").order_by("pk").values_list("pk", flat=True))
    pain_points = _demo_ticket_ids(total)
    if not people or not pain_points:
        return
    rows = [Vote(pain_point_id=pain_points[i % len(pain_points)], user_id=people[i % len(people)]) for i in range(total)]
    for start in range(0, len(rows), BULK_BATCH):
        Vote.objects.bulk_create(rows[start : start + BULK_BATCH], ignore_conflicts=True)
        if progress:
            progress("votes", min(start + BULK_BATCH, len(rows)), len(rows))


def _seed_bulk_reminders(scale, users, progress):
    """The ledger's history: acknowledgement reminders sent to IT on answered bulk pain points."""
    total = bulk_volume(scale, "reminders")
    if Reminder.objects.filter(kind=ACK_OVERDUE, period__startswith="demo-").count() >= total:
        return
    target_type = ContentType.objects.get_for_model(PainPoint)
    recipients = [users["ivan"].pk, users["greta"].pk]
    pain_points = _demo_ticket_ids(total)
    sent = timezone.now() - datetime.timedelta(days=20)
    rows = [
        Reminder(
            recipient_id=recipients[i % 2],
            kind=ACK_OVERDUE,
            target_type=target_type,
            target_id=str(pain_points[i % len(pain_points)]),
            period=f"demo-{i // len(pain_points)}",
            status=ReminderStatus.SENT,
            created_at=sent,
            claimed_at=sent,
            sent_at=sent,
        )
        for i in range(total)
    ] if pain_points else []
    for start in range(0, len(rows), BULK_BATCH):
        Reminder.objects.bulk_create(rows[start : start + BULK_BATCH], ignore_conflicts=True)
        if progress:
            progress("reminders", min(start + BULK_BATCH, len(rows)), len(rows))
