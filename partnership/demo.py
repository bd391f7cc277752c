"""Demo data of the partnership app: a believable company with people of every role.

`manage.py seed_demo` calls `seed(scale=..., progress=...)` of every portal app that has a
`demo` module, in the order of INSTALLED_APPS. Each seed is idempotent: it looks rows up by a
natural key before creating them, so running the command twice duplicates nothing.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from .models import BusinessUnit, User
from .roles import Role

# `--scale N` adds (N - 1) x 150 ticketing pain points: 1,000 -> about 150,000, 6,668 -> 1,000,000.
PAIN_POINTS_PER_SCALE = 150
# What comes with every 1,000,000 pain points (the proportions of a large company,
# docs/benchmarks.md): the other apps' bulk rows grow with the pain points, not on their own.
PER_MILLION_PAIN_POINTS = {
    "people": 5_000,
    "votes": 100_000,
    "listening sessions": 5_000,
    "reminders": 100_000,
    "initiatives": 20_000,
    "extra-mile actions": 200_000,
    "check-ins": 50_000,
    "revenue projects": 2_000,
    "events": 500,
    "meetings": 500,
    "decisions": 2_000,
}


def bulk_volume(scale: int, what: str) -> int:
    """How many bulk rows of `what` `--scale N` adds (0 at scale 1, at least 1 above it)."""
    if scale <= 1:
        return 0
    pain_points = (scale - 1) * PAIN_POINTS_PER_SCALE
    return max(1, round(pain_points * PER_MILLION_PAIN_POINTS[what] / 1_000_000))

BUSINESS_UNITS = [
    ("Sales", "sales", "Field and key-account sales."),
    ("Marketing", "marketing", "Brand, campaigns and the web shop."),
    ("Finance", "finance", "Accounting, controlling and treasury."),
    ("Operations", "operations", "Warehouses, logistics and the service desk."),
    ("Human Resources", "hr", "People, payroll and training."),
    ("Customer Service", "customer-service", "Call centre and customer care."),
]

# (username, first, last, role, unit slug or None, job title)
DEMO_PEOPLE = [
    ("alice", "Alice", "Novak", Role.BUSINESS_MANAGER, "sales", "Head of Sales"),
    ("mallory", "Mallory", "Keller", Role.BUSINESS_MANAGER, "finance", "Finance Controller"),
    ("bob", "Bob", "Marsh", Role.BUSINESS_MANAGER, "operations", "Operations Manager"),
    ("maria", "Maria", "Santos", Role.BUSINESS_MANAGER, "marketing", "Marketing Director"),
    ("hana", "Hana", "Dvorak", Role.BUSINESS_MANAGER, "hr", "HR Business Partner"),
    ("oscar", "Oscar", "Lind", Role.BUSINESS_MANAGER, "customer-service", "Customer Care Lead"),
    ("ivan", "Ivan", "Petrov", Role.IT_STAFF, None, "IT Business Analyst"),
    ("greta", "Greta", "Holm", Role.IT_STAFF, None, "Infrastructure Engineer"),
    ("carla", "Carla", "Rossi", Role.CIO, None, "Chief Information Officer"),
    ("jira-bot", "Jira", "Integration", Role.INTEGRATION_CLIENT, None, "Ticketing integration"),
]

DEMO_LOGINS = [(username, role) for username, _, _, role, _, _ in DEMO_PEOPLE if username in ("alice", "ivan", "carla", "jira-bot")]


def _ensure_user(username, first, last, role, unit, job_title, password):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.com",
            "business_unit": unit,
            "job_title": job_title,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role.value))
    return user


@transaction.atomic
def seed(*, scale: int = 1, progress=None) -> None:
    password = settings.PORTAL_DEMO_PASSWORD
    units = {}
    for name, slug, description in BUSINESS_UNITS:
        units[slug], _ = BusinessUnit.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
    for username, first, last, role, unit_slug, job_title in DEMO_PEOPLE:
        _ensure_user(username, first, last, role, units.get(unit_slug), job_title, password)

    # With --scale, more units and more people, created in bulk for the benchmarks.
    extra_units = min(44, max(0, (scale - 1) * 4))
    existing = set(BusinessUnit.objects.values_list("slug", flat=True))
    BusinessUnit.objects.bulk_create(
        [
            BusinessUnit(name=f"Region {i:02d}", slug=f"region-{i:02d}", description="Regional branch.")
            for i in range(1, extra_units + 1)
            if f"region-{i:02d}" not in existing
        ]
    )
    extra_people = bulk_volume(scale, "people")
    if extra_people:
        all_units = list(BusinessUnit.objects.order_by("pk"))
        existing_names = set(User.objects.filter(username__startswith="demo-").values_list("username", flat=True))
        hashed = User(username="x")
        hashed.set_password(password)
        batch = [
            User(
                username=f"demo-{i:05d}",
                first_name="Demo",
                last_name=f"Person {i}",
                email=f"demo-{i:05d}@example.com",
                business_unit=all_units[i % len(all_units)],
                password=hashed.password,
            )
            for i in range(extra_people)
            if f"demo-{i:05d}" not in existing_names
        ]
        for start in range(0, len(batch), 1000):
            User.objects.bulk_create(batch[start : start + 1000])
            if progress:
                progress("people", min(start + 1000, len(batch)), len(batch))
        manager_group = Group.objects.get(name=Role.BUSINESS_MANAGER.value)
        through = User.groups.through
        linked = set(through.objects.filter(group=manager_group).values_list("user_id", flat=True))
        through.objects.bulk_create(
            [
                through(user_id=pk, group_id=manager_group.pk)
                for pk in User.objects.filter(username__startswith="demo-").values_list("pk", flat=True)
                if pk not in linked
            ]
        )
