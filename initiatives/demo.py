"""Demo data of the initiatives app: initiatives across the units in every status, from pain
points, from business requests and from IT's own ideas, with risks, risk acceptances,
milestones, benefits and comments, spread over nine months.

Idempotent: initiatives are looked up by title, the bulk rows of `--scale` by their title
prefix, so running it twice duplicates nothing. Everything is written through the services
(the pain points linked to an approved initiative are planned by the listening service), then
the timestamps are moved back to when it would have happened.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnership.audit import acting_as
from partnership.demo import bulk_volume
from partnership.models import BusinessUnit, User

from . import planning, services, workflow
from .choices import InitiativeStatus, Origin
from .models import DecisionRecord, Initiative, Milestone

S = InitiativeStatus

# title, origin, sponsor, owner, units, pain point titles, costs (one-off, yearly, fte),
# days ago: (created, decided or None), target in days from today, delivered days ago or None,
# final status, extras
INITIATIVES = [
    (
        "Nightly bank statement import",
        Origin.PAIN_POINTS, "mallory", "greta", ["finance"], ["Bank statements imported by hand"],
        ("8000", "1200", "0.5"), (150, 135), -60, 70, S.BENEFITS_REVIEWED,
        {
            "problem": "Finance types bank statements into the ERP by hand: two days lost at every month-end.",
            "proposal": "Import the bank's camt.053 files every night and match payments automatically.",
            "alternative": "The bank's free file export instead of a paid treasury system.",
            "risks": [("The bank changes its file format without notice.", 2, 3, "Alert on parse errors; the bank's test feed.")],
            "milestones": [("Test import with last month's files", 120, 118), ("Go-live", 75, 72)],
            "benefits": [("Month-end close two days shorter", "14000", "Close in three days instead of five", "13000")],
            "comments": [("mallory", "This is exactly what we asked for in the month-end review.")],
        },
    ),
    (
        "Mobile stock check for field sales",
        Origin.IT_PROPOSED, "alice", "ivan", ["sales"], [],
        ("22000", "4800", "1.5"), (210, 190), -120, 100, S.DELIVERED,
        {
            "problem": "Field sales can see stock only over VPN, which rarely works at customers.",
            "proposal": "A small mobile web app reading stock from the ERP through an API gateway.",
            "alternative": "An API gateway in front of the ERP instead of opening the VPN to phones.",
            "risks": [("ERP performance when 60 phones poll stock.", 3, 4, "Cache stock for five minutes."),
                      ("Phones without company management.", 2, 3, "Read-only data, no prices.")],
            "milestones": [("API gateway live", 170, 165), ("Pilot with five sales reps", 140, 128)],
            "benefits": [("Fewer calls from the road to the back office", "9000", "", None)],
        },
    ),
    (
        "One customer desk for call centre agents",
        Origin.PAIN_POINTS, "oscar", "ivan", ["customer-service"], ["Four screens to answer one customer"],
        ("65000", "15000", "3"), (80, 62), 40, None, S.IN_PROGRESS,
        {
            "problem": "Agents switch between four screens to answer one customer.",
            "proposal": "One agent desktop built on the CRM, with order and invoice panels from the ERP.",
            "alternative": "Extend the CRM already licensed instead of buying a contact-centre suite.",
            "risks": [("Call centre peak during the switch-over.", 4, 4, "Switch one team a week; keep the old screens for a month."),
                      ("ERP panels too slow for live calls.", 3, 5, "Read replica for the panels.")],
            "acceptance": ("carla", "We accept the risk of a rough first month: four screens cost us more every day."),
            "milestones": [("Design with three agents", 50, 48), ("First team live", 10, None), ("All teams live", -30, None)],
            "benefits": [("Average call three minutes shorter", "60000", "", None)],
            "comments": [("oscar", "The team leads are in; we can spare two agents for testing.")],
        },
    ),
    (
        "Self-service sales reporting",
        Origin.PAIN_POINTS, "alice", "ivan", ["sales"], ["Monthly sales report built in Excel by hand", "Commission statements questioned every month"],
        ("18000", "6000", "1"), (6, None), 120, None, S.PROPOSED,
        {
            "problem": "The monthly sales report and the commission statements are built by hand in Excel.",
            "proposal": "A hosted BI service on the data warehouse; reps see their own numbers daily.",
            "alternative": "A hosted BI service instead of a new reporting server cluster.",
            "risks": [("Commission figures differ from payroll during the pilot.", 4, 4, "Run both in parallel for two months.")],
            "milestones": [("Data model agreed with Sales", -20, None)],
            "benefits": [("A day a month back for the sales assistant", "7000", "", None)],
            "comments": [("alice", "Please include the regional breakdown; the rest looks right.")],
        },
    ),
    (
        "Accounts ready on a new starter's first day",
        Origin.IT_PROPOSED, "hana", "greta", ["hr"], [],
        ("9000", "1500", "0.5"), (20, None), 75, None, S.EVALUATING,
        {
            "problem": "New starters wait a week for their accounts.",
            "proposal": "Create accounts from the HR system's hire event, with a role template per job.",
            "alternative": "Use the identity provider's HR connector instead of custom scripts.",
            "risks": [("Wrong access for a role template.", 2, 4, "HR approves each template once.")],
        },
    ),
    (
        "Budget forecasts in the planning tool",
        Origin.PAIN_POINTS, "mallory", "ivan", ["finance"], ["Budget forecasts e-mailed as spreadsheets"],
        ("15000", "5000", "1"), (30, 12), 150, None, S.APPROVED,
        {
            "problem": "Budget forecasts travel as e-mailed spreadsheets; versions get lost.",
            "proposal": "Collect forecasts in the planning module of the ERP.",
            "alternative": "The ERP's planning module already licensed instead of a new product.",
            "risks": [("Cost-centre owners do not adopt it.", 3, 3, "Training and a one-page guide.")],
            "milestones": [("Forecast template agreed", -10, None)],
        },
    ),
    (
        "New digital asset management system",
        Origin.BUSINESS_REQUEST, "maria", "greta", ["marketing"], [],
        ("90000", "30000", "2"), (110, 95), 200, None, S.REJECTED,
        {
            "problem": "Marketing cannot find images and brand assets.",
            "proposal": "Buy a digital asset management system.",
            "reason": "The cost is out of proportion for eight users; IT proposes better search in the existing library instead.",
        },
    ),
    (
        "Self-service password reset for customers",
        Origin.BUSINESS_REQUEST, "oscar", "ivan", ["customer-service"], [],
        ("12000", "2000", "0.5"), (45, 35), 60, None, S.APPROVED,
        {
            "problem": "Customers can reset their password only by phone.",
            "proposal": "A reset link by e-mail with a second factor by SMS.",
            "alternative": "The identity provider's hosted reset page instead of our own.",
            "risks": [("Account takeover through a hijacked mailbox.", 2, 5, "SMS second factor; alerts on unusual resets.")],
        },
    ),
    (
        "Warehouse Wi-Fi redesign",
        Origin.BUSINESS_REQUEST, "bob", "greta", ["operations"], [],
        ("40000", "3000", "1"), (170, 150), -40, None, S.CANCELLED,
        {
            "problem": "Scanners drop the Wi-Fi in aisle 7.",
            "proposal": "A new wireless design for the whole warehouse.",
            "alternative": "Two extra access points in aisle 7 first.",
            "reason": "Two extra access points solved it; the full redesign is not needed.",
        },
    ),
    (
        "Payroll changes synchronised from HR",
        Origin.IT_PROPOSED, "hana", "ivan", ["hr"], [],
        ("6000", "500", "0.3"), (9, None), 100, None, S.IDEA,
        {
            "problem": "Salary changes are typed twice into payroll.",
            "proposal": "Send approved salary changes from the HR system to payroll.",
        },
    ),
]


def _at(days_ago: float, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=int(days_ago))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def _as(user, write, **kwargs):
    """Call a service with the audit trail naming `user`, as if they had clicked."""
    with acting_as(user):
        return write(**kwargs)


def _walk(initiative, target, users, owner, sponsor, extras, delivered_ago):
    """Move a fresh initiative along the workflow to `target`, as the people would have."""
    cio = users["carla"]
    if target == S.IDEA:
        return
    _as(owner, services.initiative_propose, initiative=initiative, actor=owner)
    if target == S.PROPOSED:
        return
    _as(owner, services.initiative_evaluate, initiative=initiative, actor=owner)
    _as(sponsor, services.initiative_confirm_business_case, initiative=initiative, actor=sponsor, note="Confirmed.")
    if target == S.EVALUATING:
        return
    if target == S.REJECTED:
        _as(cio, services.initiative_reject, initiative=initiative, actor=cio, reason=extras["reason"])
        return
    acceptor, statement = extras.get("acceptance", ("carla", ""))
    if workflow.missing_risk_acceptance(initiative) is not None:
        _as(
            users[acceptor],
            services.initiative_accept_risk,
            initiative=initiative,
            actor=users[acceptor],
            statement=statement or "We accept the risk: it is worth it.",
        )
    _as(cio, services.initiative_approve, initiative=initiative, actor=cio, note="YES.")
    if target == S.CANCELLED:
        _as(owner, services.initiative_cancel, initiative=initiative, actor=owner, reason=extras["reason"])
        return
    if target == S.APPROVED:
        return
    _as(owner, services.initiative_start, initiative=initiative, actor=owner)
    if target == S.IN_PROGRESS:
        return
    _as(owner, services.initiative_deliver, initiative=initiative, actor=owner, delivered_on=_day(delivered_ago))
    if target == S.DELIVERED:
        return
    _as(
        sponsor,
        services.initiative_review_benefits,
        initiative=initiative,
        actor=sponsor,
        summary="Delivered what was promised.",
        realised=[
            {"benefit": b.pk, "realised": realised, "realised_amount": Decimal(amount) if amount else None}
            for b, (_, _, realised, amount) in zip(initiative.benefits.order_by("pk"), extras["benefits"], strict=True)
        ],
    )


def _backdate(initiative, created_ago: int, decided_ago: int | None):
    """Spread the decision record over the weeks it would have taken: steps before the
    decision between the proposal and the decision, steps after it between then and now."""
    now = timezone.now()
    created = _at(created_ago, hour=9)
    proposed = _at(max(created_ago - 2, 0), hour=11) if initiative.proposed_at else None
    decided = _at(decided_ago, hour=15) if decided_ago is not None and initiative.decided_at else None
    records = list(DecisionRecord.objects.filter(initiative=initiative).order_by("at", "id"))
    decision = next((i for i, r in enumerate(records) if r.kind in ("approved", "rejected")), None)
    times = []
    for index, record in enumerate(records):
        if index == 0:
            at = created
        elif record.kind == "proposed" and proposed:
            at = proposed
        elif decision is not None and index == decision:
            at = decided
        elif decision is not None and index < decision:
            start = proposed or created
            at = start + (decided - start) * index / (decision + 1)
        else:
            base = decision if decision is not None else 1
            start = decided or proposed or created
            at = start + (now - start) * (index - base) / (len(records) - base + 1)
        times.append(min(at, now))
    for record, at in zip(records, times, strict=True):
        DecisionRecord.objects.filter(pk=record.pk).update(at=at, created_at=at)
        if record.kind == "risk_accepted":
            initiative.risk_acceptances.update(accepted_at=at, created_at=at)
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=created, proposed_at=proposed, decided_at=decided, status_changed_at=times[-1]
    )


@transaction.atomic
def seed(*, scale: int = 1, progress=None) -> None:
    names = ["alice", "mallory", "bob", "maria", "hana", "oscar", "ivan", "greta", "carla"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    units = {u.slug: u for u in BusinessUnit.objects.all()}
    if "carla" not in users or "sales" not in units:
        return  # partnership's seed creates the company first
    from listening.models import PainPoint

    for title, origin, sponsor_name, owner_name, unit_slugs, pain_titles, costs, (created_ago, decided_ago), target_in, delivered_ago, status, extras in INITIATIVES:
        if Initiative.objects.filter(title=title).exists():
            continue
        sponsor, owner = users[sponsor_name], users[owner_name]
        pain_points = list(PainPoint.objects.filter(title__in=pain_titles))
        if origin == Origin.PAIN_POINTS and not pain_points:
            origin = Origin.BUSINESS_REQUEST  # the listening demo is not there
        start_ago = max(created_ago - 10, 0) if status in (S.IN_PROGRESS, S.DELIVERED, S.BENEFITS_REVIEWED) else None
        start_date = _day(start_ago) if start_ago is not None else None
        target_date = timezone.localdate() + datetime.timedelta(days=target_in)
        if start_date and target_date < start_date:
            target_date = start_date + datetime.timedelta(days=30)
        with acting_as(owner):
            initiative = services.initiative_create(
                actor=owner,
                title=title,
                problem=extras["problem"],
                proposal=extras["proposal"],
                alternative_considered=extras.get("alternative", ""),
                origin=origin,
                sponsor=sponsor,
                it_owner=owner,
                business_units=[units[s] for s in unit_slugs],
                pain_points=pain_points,
                one_off_cost=Decimal(costs[0]),
                yearly_running_cost=Decimal(costs[1]),
                fte=Decimal(costs[2]),
                start_date=start_date,
                target_date=target_date,
            )
            for description, probability, impact, mitigation in extras.get("risks", []):
                planning.risk_add(
                    initiative=initiative, actor=owner, description=description, probability=probability,
                    impact=impact, mitigation=mitigation, owner=owner,
                )
            for description, amount, _, _ in extras.get("benefits", []):
                planning.benefit_add(initiative=initiative, actor=owner, description=description, expected_amount=Decimal(amount))
            for milestone_title, due_ago, _ in extras.get("milestones", []):
                planning.milestone_add(initiative=initiative, actor=owner, title=milestone_title, due_on=_day(due_ago))
        _walk(initiative, status, users, owner, sponsor, extras, delivered_ago)
        for milestone, (_, _, done_ago) in zip(initiative.milestones.order_by("due_on", "pk"), sorted(extras.get("milestones", []), key=lambda m: -m[1]), strict=False):
            if done_ago is not None:
                Milestone.objects.filter(pk=milestone.pk).update(done_on=_day(done_ago))
        for author, body in extras.get("comments", []):
            with acting_as(users[author]):
                services.comment_add(initiative=initiative, author=users[author], body=body)
        _backdate(initiative, created_ago, decided_ago)
    if scale > 1:
        _seed_bulk(scale, users, progress)


def _seed_bulk(scale, users, progress):
    """More rows for benchmarks: initiatives in every status, created in bulk."""
    rng = random.Random(7)
    all_units = list(BusinessUnit.objects.order_by("pk"))
    existing = set(Initiative.objects.filter(title__startswith="Demo initiative ").values_list("title", flat=True))
    statuses = list(S.values)
    rows = []
    for i in range(bulk_volume(scale, "initiatives")):
        title = f"Demo initiative {i:05d}"
        if title in existing:
            continue
        created_ago = rng.randint(5, 270)
        status = rng.choice(statuses)
        proposed = None if status == S.IDEA else _at(created_ago - 1)
        decided = _at(max(created_ago - rng.randint(2, 30), 0)) if status not in (S.IDEA, S.PROPOSED, S.EVALUATING) else None
        target = _day(created_ago - rng.randint(30, 200))
        delivered = (
            target + datetime.timedelta(days=rng.randint(-20, 30))
            if status in (S.DELIVERED, S.BENEFITS_REVIEWED)
            else None
        )
        if delivered and delivered > timezone.localdate():
            delivered = timezone.localdate()
        rows.append(
            Initiative(
                title=title,
                problem="A demo problem.",
                proposal="A demo proposal.",
                origin=rng.choice(Origin.values),
                sponsor=users[rng.choice(["alice", "mallory", "bob", "maria", "hana", "oscar"])],
                it_owner=users[rng.choice(["ivan", "greta"])],
                one_off_cost=Decimal(rng.randint(1, 100) * 1000),
                yearly_running_cost=Decimal(rng.randint(0, 20) * 500),
                fte=Decimal(rng.randint(1, 8)) / 2,
                start_date=None,
                target_date=target,
                delivered_on=delivered,
                status=status,
                status_changed_at=decided or proposed or _at(created_ago),
                proposed_at=proposed,
                decided_at=decided,
                closing_reason="Demo reason." if status in (S.REJECTED, S.CANCELLED) else "",
            )
        )
    created = Initiative.objects.bulk_create(rows, batch_size=1000)
    through = Initiative.business_units.through
    through.objects.bulk_create(
        [through(initiative_id=i.pk, businessunit_id=all_units[n % len(all_units)].pk) for n, i in enumerate(created)],
        batch_size=1000,
    )
    if progress:
        progress("initiatives", len(created), len(created))
