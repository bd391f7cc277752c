"""Demo data of "Take the extra mile": actions rated by the business, maintenance windows with
their check-ins (one "no" that became a pain point, one overdue), surveys after resolution and
the repeated-problem proposals (at least one: colleagues add their votes to the most-voted open
pain point if nothing else reaches a threshold), spread over the last nine months.

It follows the pain points of the listening demo, so `seed_demo` runs it after the pillar apps.
Idempotent: actions are looked up by (title, unit), windows by (system, start), surveys by
their unique (pain point, respondent); `--scale` rows carry a numbered title.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..audit import acting_as
from ..demo import bulk_volume
from ..models import BusinessUnit, User
from . import selectors, services
from .choices import ActionKind, ActionStatus, CheckInStatus
from .models import CheckIn, ExtraMileAction, ExtraMileRating, MaintenanceWindow, ProblemSuggestion, ResolutionSurvey

# title, kind, unit slug, performer, recipients, days ago, hours, ticket, rating (None = unconfirmed), comment
ACTIONS = [
    ("Quote analysis with three years of history instead of one", ActionKind.LONGER_DATA_PERIOD, "sales", "ivan", ["alice"], 240, "3", "", 5,
     "We saw the seasonality for the first time."),
    ("Campaign report: added conversion funnel charts", ActionKind.EXTRA_ANALYSIS, "marketing", "ivan", ["maria"], 205, "2", "JIRA-2211", 4,
     "The funnel chart went straight into the board deck."),
    ("Checked the warehouse scanners after the Wi-Fi upgrade", ActionKind.POST_DOWNTIME_CHECK, "operations", "greta", ["bob"], 160, "1.5", "", 5,
     "Nobody had to call the helpdesk."),
    ("FAQ: exporting bank statements for month-end", ActionKind.MANUAL_FAQ, "finance", "ivan", ["mallory"], 110, "6", "", 4, ""),
    ("Training: the new CRM quote screen for field sales", ActionKind.TRAINING, "sales", "greta", ["alice"], 85, "8", "", 5,
     "Half the team stopped using the spreadsheet."),
    ("Call-centre KPIs: added weekend and holiday split", ActionKind.EXTRA_ANALYSIS, "customer-service", "ivan", ["oscar"], 70, "2.5", "", 3,
     "Useful, but we asked for it by region too."),
    ("Payroll variance report with 24 months instead of 6", ActionKind.LONGER_DATA_PERIOD, "hr", "greta", ["hana"], 48, "1", "SNOW-88412", None, ""),
    ("Quick guide: searching the asset library", ActionKind.MANUAL_FAQ, "marketing", "greta", ["maria"], 30, "4", "", None, ""),
    ("Commission statement explained line by line", ActionKind.OTHER, "sales", "ivan", ["alice"], 21, "2", "", 4, "Fewer disputes this month."),
    ("Checked the ERP with finance after the patch weekend", ActionKind.POST_DOWNTIME_CHECK, "finance", "greta", ["mallory"], 9, "1", "", None, ""),
    ("Onboarding checklist for new starters' accounts", ActionKind.MANUAL_FAQ, "hr", "ivan", ["hana"], 5, "3", "", None, ""),
]

# system, description, days ago it started, hours, key users, answers {username: (ok, problem, hours after end)}
WINDOWS = [
    ("Warehouse Wi-Fi controllers", "Firmware upgrade of all access points.", 162, 4, ["bob"], {"bob": (True, "", 2)}),
    ("SAP ERP", "Support package and kernel upgrade.", 118, 10, ["mallory", "bob"],
     {"mallory": (True, "", 3), "bob": (True, "", 30)}),
    ("CRM and web shop", "Database migration to the new cluster.", 64, 6, ["alice", "maria"],
     {"alice": (True, "", 1), "maria": (False, "Product images are missing in the web shop after the migration.", 4)}),
    ("Telephony platform", "Call routing upgrade over the weekend.", 33, 5, ["oscar"], {"oscar": (True, "", 5)}),
    ("SAP ERP", "Security patches (patch weekend).", 10, 8, ["mallory", "hana"], {"mallory": (True, "", 2)}),
    ("Payroll system", "Year-end tax tables.", -5, 3, ["hana"], {}),
]


# The demo's business people, in the order they add "me too" votes to a repeated problem.
BUSINESS_PEOPLE = ["maria", "mallory", "bob", "oscar", "alice", "hana"]


def _day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def _at(days_ago: float, hour: int = 20) -> datetime.datetime:
    day = _day(int(days_ago))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _subject_for(unit, pain_points_by_unit):
    candidates = pain_points_by_unit.get(unit.pk) or []
    return candidates[0] if candidates else None


@transaction.atomic
def seed(*, scale: int = 1, progress=None) -> None:
    from listening.models import PainPoint

    people = {u.username: u for u in User.objects.filter(username__in={"ivan", "greta", "carla", "alice", "mallory", "bob", "maria", "hana", "oscar"})}
    units = {u.slug: u for u in BusinessUnit.objects.all()}
    if "ivan" not in people or "sales" not in units:
        return  # the partnership demo (people and units) comes first
    pain_points_by_unit = {}
    for pain_point in PainPoint.objects.order_by("created_at").only("pk", "business_unit_id", "title"):
        pain_points_by_unit.setdefault(pain_point.business_unit_id, []).append(pain_point)

    with acting_as(people["ivan"]):
        _seed_actions(people, units, pain_points_by_unit)
        _seed_windows(people)
        _seed_surveys()
        services.suggestions_refresh()
    _seed_repeated_problem(people)
    if scale > 1:
        _seed_scale(scale, people, units, progress)


def _seed_actions(people, units, pain_points_by_unit):
    existing = set(ExtraMileAction.objects.values_list("title", "business_unit_id"))
    for index, (title, kind, slug, performer, recipients, days_ago, hours, ticket, rating, comment) in enumerate(ACTIONS):
        unit = units.get(slug)
        if unit is None or (title, unit.pk) in existing:
            continue
        subject = None if ticket or index % 3 == 2 else _subject_for(unit, pain_points_by_unit)
        action = services.extra_mile_action_create(
            actor=people[performer],
            kind=kind,
            title=title,
            business_unit=unit,
            description="Beyond the request: " + title[0].lower() + title[1:] + ".",
            performed_on=_day(days_ago),
            effort_hours=Decimal(hours),
            recipients=[people[name] for name in recipients if name in people],
            subject=subject,
            external_ref=ticket,
        )
        ExtraMileAction.objects.filter(pk=action.pk).update(created_at=_at(days_ago, 17))
        if rating is not None:
            for name in recipients:
                services.extra_mile_action_rate(action=action, rated_by=people[name], rating=rating, comment=comment)


def _seed_windows(people):
    hours_due = datetime.timedelta(hours=settings.EXTRAMILE_CHECKIN_DUE_HOURS)
    now = timezone.now()
    for system, description, days_ago, hours, key_users, answers in WINDOWS:
        starts_at = _at(days_ago, 19)
        if MaintenanceWindow.objects.filter(system=system, starts_at=starts_at).exists():
            continue
        window = services.maintenance_window_create(
            actor=people["greta"], system=system, description=description, starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours), key_users=[people[n] for n in key_users if n in people],
        )
        if window.ends_at > now:
            continue
        # A past window: its check-ins were due the configured hours after it ended.
        for user in window.key_users.all():
            check_in = CheckIn.objects.create(
                window=window, key_user=user, due_at=window.ends_at + hours_due, notified_at=window.ends_at
            )
            if user.username not in answers:
                continue
            ok, problem, after = answers[user.username]
            check_in = services.check_in_answer(check_in=check_in, actor=user, systems_ok=ok, problem=problem)
            CheckIn.objects.filter(pk=check_in.pk).update(answered_at=window.ends_at + datetime.timedelta(hours=after))
        window.check_ins_created_at = window.ends_at
        MaintenanceWindow.objects.filter(pk=window.pk).update(check_ins_created_at=window.ends_at)


def _seed_repeated_problem(people):
    """Make sure the suggestions list has something to show, once.

    If the pain points of the listening demo reach no repeated-problem threshold, the business
    people add their "me too" (through listening's vote service) to the most-voted open pain
    point until it has EXTRAMILE_REPEAT_VOTES votes, and the refresh proposes a training. Once any
    proposal exists (even a dismissed one) nothing more is done, so running the seed again adds
    nothing.
    """
    from django.db.models import Count

    from listening import services as listening_services
    from listening.choices import OPEN_STATUSES
    from listening.models import PainPoint, Vote

    if ProblemSuggestion.objects.exists():
        return
    pain_point = (
        PainPoint.objects.filter(status__in=OPEN_STATUSES, confidential=False)
        .annotate(vote_count=Count("votes"))
        .order_by("-vote_count", "created_at", "pk")
        .first()
    )
    if pain_point is None:
        return
    voted = set(Vote.objects.filter(pain_point=pain_point).values_list("user_id", flat=True))
    missing = settings.EXTRAMILE_REPEAT_VOTES - len(voted)
    colleagues = [
        people[name]
        for name in BUSINESS_PEOPLE
        if name in people and people[name].pk not in voted and people[name].pk != pain_point.submitted_by_id
    ]
    if missing > len(colleagues):
        return  # not enough demo people to reach the threshold; leave the list empty
    for user in colleagues[: max(missing, 0)]:
        with acting_as(user):
            listening_services.pain_point_vote(pain_point=pain_point, user=user)
    with acting_as(people["ivan"]):
        services.suggestions_refresh()


def _seed_surveys():
    """Surveys of the pain points the listening demo resolved, most of them answered."""
    now = timezone.now()
    people = selectors.resolved_pain_point_people(since=now - datetime.timedelta(days=280), until=now)
    existing = set(ResolutionSurvey.objects.values_list("pain_point_id", "respondent_id"))
    rng = random.Random(5)
    rows = []
    for person in people:
        if (person.pain_point_id, person.user_id) in existing:
            continue
        due_at = person.resolved_at + datetime.timedelta(days=settings.EXTRAMILE_SURVEY_DAYS)
        answered = due_at < now and rng.random() < 0.75 or due_at >= now and rng.random() < 0.4
        rows.append(
            ResolutionSurvey(
                pain_point_id=person.pain_point_id,
                business_unit_id=person.business_unit_id,
                respondent_id=person.user_id,
                role=person.role,
                resolved_at=person.resolved_at,
                due_at=due_at,
                notified_at=person.resolved_at,
                rating=rng.choice([3, 4, 4, 5, 5]) if answered else None,
                comment=rng.choice(["", "Works now, thank you.", "Took a while, but it is solved.", "Much better than before."]) if answered else "",
                answered_at=min(now, person.resolved_at + datetime.timedelta(days=rng.randint(1, 6))) if answered else None,
            )
        )
    ResolutionSurvey.objects.bulk_create(rows, ignore_conflicts=True)


def _seed_scale(scale, people, units, progress):
    """More actions and ratings for the benchmarks, in bulk."""
    total = bulk_volume(scale, "extra-mile actions")
    existing = set(ExtraMileAction.objects.filter(title__startswith="Extra analysis #").values_list("title", flat=True))
    performers = [people["ivan"], people["greta"]]
    all_units = list(units.values())
    kinds = list(ActionKind.values)
    rows = [
        ExtraMileAction(
            kind=kinds[i % len(kinds)],
            title=f"Extra analysis #{i:05d}",
            status=ActionStatus.DONE,
            performed_by=performers[i % 2],
            performed_on=_day(i % 270),
            effort_hours=Decimal(1 + i % 6),
            business_unit=all_units[i % len(all_units)],
        )
        for i in range(total)
        if f"Extra analysis #{i:05d}" not in existing
    ]
    for start in range(0, len(rows), 1000):
        ExtraMileAction.objects.bulk_create(rows[start : start + 1000])
        if progress:
            progress("extra mile", min(start + 1000, len(rows)), len(rows))
    managers = list(User.objects.filter(business_unit__isnull=False, username__startswith="demo-").values_list("pk", "business_unit_id")[:2000])
    by_unit = {}
    for pk, unit_id in managers:
        by_unit.setdefault(unit_id, pk)
    created = ExtraMileAction.objects.filter(title__startswith="Extra analysis #", ratings__isnull=True).values_list("pk", "business_unit_id")
    through = ExtraMileAction.recipients.through
    recipients, ratings = [], []
    for index, (pk, unit_id) in enumerate(created):
        user_id = by_unit.get(unit_id)
        if user_id is None:
            continue
        recipients.append(through(extramileaction_id=pk, user_id=user_id))
        if index % 3:
            ratings.append(ExtraMileRating(action_id=pk, rated_by_id=user_id, rating=3 + index % 3))
    through.objects.bulk_create(recipients, ignore_conflicts=True, batch_size=1000)
    ExtraMileRating.objects.bulk_create(ratings, ignore_conflicts=True, batch_size=1000)
    _seed_scale_check_ins(scale, people, progress)


CHECK_INS_PER_WINDOW = 10


def _seed_scale_check_ins(scale, people, progress):
    """Past maintenance windows whose key users answered their check-ins, in bulk."""
    windows = bulk_volume(scale, "check-ins") // CHECK_INS_PER_WINDOW
    existing = set(MaintenanceWindow.objects.filter(system__startswith="Patch night #").values_list("system", flat=True))
    key_users = list(User.objects.filter(username__startswith="demo-").order_by("pk").values_list("pk", flat=True)[:2000])
    if not key_users:
        return
    now = timezone.now()
    new = []
    for i in range(windows):
        if f"Patch night #{i:05d}" in existing:
            continue
        ends = now - datetime.timedelta(days=3 + i % 260, hours=i % 7)
        new.append(
            MaintenanceWindow(
                system=f"Patch night #{i:05d}",
                description="Monthly operating-system patches.",
                starts_at=ends - datetime.timedelta(hours=3),
                ends_at=ends,
                recorded_by=people["ivan"],
                check_ins_created_at=ends,
            )
        )
    created = MaintenanceWindow.objects.bulk_create(new, batch_size=1000)
    due_hours = datetime.timedelta(hours=settings.EXTRAMILE_CHECKIN_DUE_HOURS)
    through = MaintenanceWindow.key_users.through
    for start in range(0, len(created), 500):
        links, check_ins = [], []
        for n, window in enumerate(created[start : start + 500], start):
            for k in range(CHECK_INS_PER_WINDOW):
                user_id = key_users[(n * CHECK_INS_PER_WINDOW + k) % len(key_users)]
                links.append(through(maintenancewindow_id=window.pk, user_id=user_id))
                answered = window.ends_at + datetime.timedelta(hours=1 + k)
                check_ins.append(
                    CheckIn(
                        window=window,
                        key_user_id=user_id,
                        due_at=window.ends_at + due_hours,
                        status=CheckInStatus.PROBLEM if k == 9 and n % 5 == 0 else CheckInStatus.OK,
                        systems_ok=not (k == 9 and n % 5 == 0),
                        problem="Printing fails since the patch." if k == 9 and n % 5 == 0 else "",
                        answered_at=answered,
                        answered_by_id=user_id,
                        notified_at=window.ends_at,
                    )
                )
        through.objects.bulk_create(links, ignore_conflicts=True)
        CheckIn.objects.bulk_create(check_ins, ignore_conflicts=True)
        if progress:
            progress("check-ins", min(start + 500, len(created)), len(created))

