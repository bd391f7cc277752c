"""Demo data of the revenue app: a few believable revenue projects and months of revenue.

Idempotent: a project is looked up by name, an entry by (project, month). Stage changes are
dated in the past through the services, so the board, the history and the commitment
panel look lived-in.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnership.audit import acting_as
from partnership.demo import bulk_volume
from partnership.models import BusinessUnit, User

from . import services
from .choices import Category, Stage
from .figures import add_months, month_start
from .models import RevenueEntry, RevenueProject

# name, category, units, partners, sponsor, lead, investment, running/yr, expected/yr,
# the stage to reach, days ago for each stage reached after identify, monthly revenue pattern
PROJECTS = [
    {
        "name": "Digital gift cards in the web shop",
        "category": Category.DIGITAL_PRODUCT,
        "description": "Gift cards sold and redeemed online, issued by IT's own voucher service instead of a "
        "reseller taking a commission.",
        "units": ["marketing", "customer-service"],
        "partners": ["maria", "oscar"],
        "sponsor": "carla",
        "lead": "greta",
        "money": ("25000", "6000", "48000"),
        "path": [560, 500, 470, 420],
        "statement": "Marketing accepts the gift card terms and the Christmas launch.",
        "accepted_by": "maria",
        "revenue": ["2100", "6800", "9400", "3900", "3600", "3800", "4100", "3700", "4300", "4000",
                    "4400", "4600", "4200", "4800", "5100"],
    },
    {
        "name": "Apple Pay and Google Pay in the web shop",
        "category": Category.PAYMENT_METHOD,
        "description": "Wallet payments at checkout: fewer abandoned carts on mobile, and a lower card fee "
        "negotiated by IT with the payment provider.",
        "units": ["marketing", "sales"],
        "partners": ["maria"],
        "sponsor": "carla",
        "lead": "ivan",
        "money": ("18000", "4800", "60000"),
        "path": [270, 225, 205, 195],  # develop, acceptance, execute, support
        "statement": "Marketing accepts the checkout change and the provider contract.",
        "accepted_by": "maria",
        "revenue": ["3100", "4200", "4950", "5300", "5100", "5650", "-420", "5900"],
    },
    {
        "name": "Club points loyalty app",
        "category": Category.CUSTOMER_LOYALTY,
        "description": "A loyalty app with points per purchase and a paid premium tier; IT built it on the "
        "existing customer database.",
        "units": ["sales", "customer-service"],
        "partners": ["alice", "oscar"],
        "sponsor": "carla",
        "lead": "greta",
        "money": ("42000", "9600", "90000"),
        "path": [240, 170, 130],
        "statement": "Sales accepts the premium tier pricing and the launch in four stores first.",
        "accepted_by": "alice",
        "revenue": ["2800", "5100", "6900", "7400"],
    },
    {
        "name": "Delivery-time reports for retail partners",
        "category": Category.DIGITAL_PRODUCT,
        "description": "A monthly subscription report on delivery times per region, sold to retail partners.",
        "units": ["operations"],
        "partners": ["bob"],
        "sponsor": "ivan",
        "lead": "ivan",
        "money": ("9500", "2400", "24000"),
        "path": [120, 35],
        "revenue": [],
    },
    {
        "name": "Buy now, pay later at checkout",
        "category": Category.PAYMENT_METHOD,
        "description": "Instalment payments through a licensed partner; Finance keeps the credit risk out.",
        "units": ["finance", "sales"],
        "partners": ["mallory"],
        "sponsor": "carla",
        "lead": "ivan",
        "money": ("15000", "3600", "36000"),
        "path": [50],
        "revenue": [],
    },
    {
        "name": "Anonymised footfall data for landlords",
        "category": Category.DATA_PRODUCT,
        "description": "Aggregated, anonymised store footfall sold to shopping-centre landlords.",
        "units": ["marketing"],
        "partners": [],
        "sponsor": "greta",
        "lead": None,
        "money": ("6000", "1200", "15000"),
        "path": [],
        "revenue": [],
    },
    {
        "name": "Paid e-learning courses for customers",
        "category": Category.DIGITAL_PRODUCT,
        "description": "Courses on our products sold online, built on the HR learning platform.",
        "units": ["hr"],
        "partners": ["hana"],
        "sponsor": "ivan",
        "lead": "greta",
        "money": ("12000", "3000", "20000"),
        "path": [200],
        "abandon": (150, "The learning platform's licence forbids selling courses to third parties."),
        "revenue": [],
    },
]
IDENTIFIED_DAYS_AGO = {0: 620, 1: 285, 2: 260, 3: 160, 4: 80, 5: 20, 6: 230}


def _seed_project(spec, index, people, units, today):
    project = RevenueProject.objects.filter(name=spec["name"]).first()
    if project is not None:
        return project
    sponsor = people[spec["sponsor"]]
    investment, running, expected = (Decimal(v) for v in spec["money"])
    with acting_as(sponsor):
        project = services.revenue_project_create(
            name=spec["name"],
            category=spec["category"],
            description=spec["description"],
            it_sponsor=sponsor,
            it_lead=people.get(spec["lead"]) if spec["lead"] else None,
            business_units=[units[slug] for slug in spec["units"]],
            business_partners=[people[u] for u in spec["partners"]],
            investment=investment,
            yearly_running_cost=running,
            expected_yearly_revenue=expected,
            identified_on=today - datetime.timedelta(days=IDENTIFIED_DAYS_AGO[index]),
            actor=sponsor,
        )
        for days_ago in spec["path"]:
            on = today - datetime.timedelta(days=days_ago)
            if project.next_stage == Stage.EXECUTE:
                accepted_by = people[spec["accepted_by"]]
                project = services.revenue_project_accept(
                    project=project, accepted_by=accepted_by, statement=spec["statement"], on=on, actor=accepted_by
                )
            project = services.revenue_project_advance(project=project, on=on, actor=sponsor)
        if "abandon" in spec:
            days_ago, reason = spec["abandon"]
            project = services.revenue_project_abandon(
                project=project, reason=reason, on=today - datetime.timedelta(days=days_ago), actor=sponsor
            )
    return project


def _seed_entries(project, amounts, recorder, today):
    if not amounts or project.executed_on is None:
        return
    first = month_start(project.executed_on)
    existing = set(project.entries.values_list("month", flat=True))
    with acting_as(recorder):
        for offset, amount in enumerate(amounts):
            month = add_months(first, offset)
            if month > month_start(today) or month in existing:
                continue
            services.revenue_entry_create(
                project=project,
                month=month,
                amount=Decimal(amount),
                note="Refunds after the provider outage" if Decimal(amount) < 0 else "",
                actor=recorder,
            )


def _seed_bulk(scale, people, units, today, progress):
    """With --scale, more projects in every stage and their revenue, in bulk (no audit rows)."""
    count = bulk_volume(scale, "revenue projects")
    if count <= 0:
        return
    existing = set(RevenueProject.objects.filter(name__startswith="Demo revenue idea ").values_list("name", flat=True))
    stages = [Stage.IDENTIFY, Stage.DEVELOP, Stage.ACCEPTANCE, Stage.EXECUTE, Stage.SUPPORT, Stage.ABANDONED]
    all_units = list(units.values()) + list(BusinessUnit.objects.filter(slug__startswith="region-"))
    sponsors = [people["ivan"], people["greta"], people["carla"]]
    acceptor = people["alice"]
    rows = []
    for i in range(count):
        name = f"Demo revenue idea {i:04d}"
        if name in existing:
            continue
        stage = stages[i % len(stages)]
        changed = today - datetime.timedelta(days=(i * 7) % 270)
        executed = changed if stage in (Stage.EXECUTE, Stage.SUPPORT) else None
        rows.append(
            RevenueProject(
                name=name,
                category=list(Category)[i % len(Category)],
                it_sponsor=sponsors[i % len(sponsors)],
                stage=stage,
                stage_changed_on=changed,
                executed_on=executed,
                accepted_by=acceptor if executed else None,
                accepted_on=changed if executed else None,
                acceptance_statement="Accepted in the monthly sales review." if executed else "",
                abandoned_reason="Dropped at the portfolio review." if stage == Stage.ABANDONED else "",
                investment=Decimal(5000 + (i % 10) * 1000),
                yearly_running_cost=Decimal(1200),
                expected_yearly_revenue=Decimal(12000 + (i % 7) * 3000),
            )
        )
    created = RevenueProject.objects.bulk_create(rows, batch_size=500)
    through = RevenueProject.business_units.through
    through.objects.bulk_create(
        [through(revenueproject_id=p.pk, businessunit_id=all_units[n % len(all_units)].pk) for n, p in enumerate(created)],
        batch_size=1000,
    )
    entries = []
    for project in created:
        if project.executed_on is None:
            continue
        for offset in range(months_since(project.executed_on, today)):
            entries.append(
                RevenueEntry(
                    project=project,
                    month=add_months(project.executed_on, offset),
                    amount=Decimal(800 + (project.pk * 37 + offset * 113) % 1500),
                )
            )
    RevenueEntry.objects.bulk_create(entries, batch_size=1000)
    if progress:
        progress("revenue projects", len(created), len(created))


def months_since(start: datetime.date, today: datetime.date) -> int:
    return (today.year - start.year) * 12 + today.month - start.month + 1


@transaction.atomic
def seed(*, scale: int = 1, progress=None) -> None:
    today = timezone.localdate()
    people = {u.username: u for u in User.objects.filter(username__in=["alice", "mallory", "bob", "maria", "hana", "oscar", "ivan", "greta", "carla"])}
    units = {u.slug: u for u in BusinessUnit.objects.filter(slug__in=["sales", "marketing", "finance", "operations", "hr", "customer-service"])}
    if len(people) < 9 or len(units) < 6:
        return  # partnership's seed creates them first; nothing to attach projects to otherwise
    for index, spec in enumerate(PROJECTS):
        project = _seed_project(spec, index, people, units, today)
        _seed_entries(project, spec["revenue"], people[spec["lead"] or spec["sponsor"]], today)
        if progress:
            progress("revenue projects", index + 1, len(PROJECTS))
    _seed_bulk(scale, people, units, today, progress)
