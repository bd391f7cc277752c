"""Reads of "Take the extra mile": querysets for pages, API and exports, the repeated-problem
finder, the survey results of a pain point; the score indicators' measures are in measures.py.

Every list starts from `for_user()`. Counts and averages are subqueries, so a page costs the same
number of queries at any size. Pain points are read from the listening app's models (reads
only; writes go through listening's services).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date

from ..agenda import PER_SOURCE, AgendaEntry, AgendaSource, local_day
from ..bounds import parse_id
from ..delivered import DELIVERED as DELIVERED_SECTION
from ..delivered import DeliveredEntry, DeliveredSource
from ..roles import Role, is_it_staff
from ..visibility import readable, reference_to, visible_to_each
from .choices import SUBJECT_MODELS, ActionKind, ActionStatus, CheckInStatus, SuggestionTrigger, SurveyRole
from .models import CheckIn, ExtraMileAction, ExtraMileRating, MaintenanceWindow, ProblemSuggestion, ResolutionSurvey

# --- The ledger ------------------------------------------------------------------------------------


def _count(queryset, field: str):
    rows = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _subjects_for(user):
    """The actions' subjects, each read through its model's `for_user(user)` for
    `visibility.reference_to` (None for one the user may not see): one query per kind of subject
    on the page, whatever its size (none for a page without subjects)."""
    models = []
    for label in SUBJECT_MODELS:
        try:
            models.append(apps.get_model(label))
        except LookupError:  # an app not installed has no subjects to show
            continue
    return readable(user, "subject", models=models)


def action_annotate(queryset, *, user):
    """What lists show: performer, unit, subject type, the subject as `user` may see it (for
    `visibility.reference_to`), the rating count and average, and whether `user` is a
    recipient and has rated."""
    ratings = ExtraMileRating.objects.filter(action=OuterRef("pk")).order_by().values("action")
    queryset = queryset.select_related("performed_by", "business_unit", "subject_type").prefetch_related(_subjects_for(user))
    return queryset.annotate(
        rating_count=_count(ExtraMileRating.objects.all(), "action"),
        average_rating=Subquery(ratings.annotate(a=Avg("rating")).values("a")),
        is_recipient=Exists(ExtraMileAction.recipients.through.objects.filter(extramileaction_id=OuterRef("pk"), user_id=user.pk)),
        has_rated=Exists(ExtraMileRating.objects.filter(action=OuterRef("pk"), rated_by_id=user.pk)),
    )


def action_list(*, user):
    """Actions the user may see, annotated for lists (subjects as the user may see them)."""
    return action_annotate(ExtraMileAction.objects.for_user(user), user=user)


def action_detail(*, user):
    return action_list(user=user).prefetch_related("recipients", "ratings__rated_by")


def _date(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def action_filter(queryset, params, *, user):
    """The filters of the action lists (query parameters), shared by pages and score links."""
    text = (params.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(title__icontains=text) | Q(description__icontains=text) | Q(external_ref__iexact=text))
    if params.get("kind") in ActionKind.values:
        queryset = queryset.filter(kind=params["kind"])
    if params.get("status") in ActionStatus.values:
        queryset = queryset.filter(status=params["status"])
    if unit := parse_id(params.get("unit")):
        queryset = queryset.filter(business_unit_id=unit)
    if params.get("performer") == "me":
        queryset = queryset.filter(performed_by=user)
    elif performer := parse_id(params.get("performer")):
        queryset = queryset.filter(performed_by_id=performer)
    if params.get("confirmed") == "yes":
        queryset = queryset.filter(rating_count__gt=0)
    elif params.get("confirmed") == "no":
        queryset = queryset.filter(status=ActionStatus.DONE, rating_count=0)
    elif params.get("confirmed") == "to_rate":
        queryset = queryset.filter(status=ActionStatus.DONE, is_recipient=True, has_rated=False)
    if _date(params.get("from")):
        queryset = queryset.filter(performed_on__gte=_date(params["from"]))
    if _date(params.get("to")):
        queryset = queryset.filter(performed_on__lte=_date(params["to"]))
    if params.get("subject_type") and (subject_id := parse_id(params.get("subject_id"))):
        app_label, _, model = params["subject_type"].partition(".")
        queryset = queryset.filter(subject_type__app_label=app_label, subject_type__model=model, subject_id=subject_id)
    return queryset


def visible_subject(user, label, pk):
    """The subject an action names ("app_label.model" and pk), if the user may see it; a refusal otherwise."""
    label = (label or "").strip()
    if not label:
        return None
    if label not in SUBJECT_MODELS or not pk:
        raise ValidationError({"subject": "An action follows a pain point, an initiative or a revenue project."})
    try:
        model = apps.get_model(label)
    except LookupError:
        raise ValidationError({"subject": "That kind of subject does not exist yet."}) from None
    subject = model.objects.for_user(user).filter(pk=pk).first()
    if subject is None:
        raise ValidationError({"subject": "That subject does not exist or is not visible to you."})
    return subject


def actions_for_pain_point(pain_point, *, user):
    return action_list(user=user).filter(
        subject_type__app_label="listening", subject_type__model="painpoint", subject_id=pain_point.pk
    )


# --- Maintenance windows and check-ins -----------------------------------------------------------


def window_list(*, user):
    now = timezone.now()
    check_ins = CheckIn.objects.all()
    return (
        MaintenanceWindow.objects.for_user(user)
        .select_related("recorded_by")
        .prefetch_related("business_units", "key_users")
        .annotate(
            check_in_count=_count(check_ins, "window"),
            pending_count=_count(check_ins.filter(status=CheckInStatus.PENDING), "window"),
            overdue_count=_count(check_ins.filter(status=CheckInStatus.PENDING, due_at__lt=now), "window"),
            problem_count=_count(check_ins.filter(status=CheckInStatus.PROBLEM), "window"),
        )
    )


def check_in_list(*, user):
    return CheckIn.objects.for_user(user).select_related("window", "key_user__business_unit", "answered_by")


def check_in_filter(queryset, params):
    now = timezone.now()
    state = params.get("state")
    if state == "overdue":
        queryset = queryset.filter(status=CheckInStatus.PENDING, due_at__lt=now)
    elif state == "pending":
        queryset = queryset.filter(status=CheckInStatus.PENDING)
    elif state in (CheckInStatus.OK, CheckInStatus.PROBLEM):
        queryset = queryset.filter(status=state)
    if unit := parse_id(params.get("unit")):
        queryset = queryset.filter(key_user__business_unit_id=unit)
    if window := parse_id(params.get("window")):
        queryset = queryset.filter(window_id=window)
    if _date(params.get("due_from")):
        queryset = queryset.filter(due_at__date__gte=_date(params["due_from"]))
    if _date(params.get("due_to")):
        queryset = queryset.filter(due_at__date__lte=_date(params["due_to"]))
    text = (params.get("q") or "").strip()
    if text:
        queryset = queryset.filter(
            Q(window__system__icontains=text) | Q(key_user__username__icontains=text) | Q(key_user__last_name__icontains=text)
        )
    return queryset


def overdue_check_ins(*, user):
    return check_in_list(user=user).overdue()


# --- Surveys -----------------------------------------------------------------------------------------


def survey_list(*, user):
    return (
        ResolutionSurvey.objects.for_user(user)
        .select_related("respondent", "business_unit")
        .annotate(pain_point_title=F("pain_point__title"))
    )


def pain_points_seen(pairs) -> set[tuple[int, int]]:
    """Which (user id, pain point id) pairs are visible now, each person asked through the pain
    point's `for_user`: a survey goes only to someone who may still see what it is about.
    Two queries (the people, then their pain points), whatever their number."""
    from listening.models import PainPoint

    from ..models import User

    wanted = defaultdict(set)
    for user_id, pain_point_id in pairs:
        wanted[user_id].add(pain_point_id)
    people = User.objects.in_bulk(list(wanted))
    visible = visible_to_each(PainPoint, [(people[pk], ids) for pk, ids in wanted.items() if pk in people])
    return {(user_id, int(pk)) for user_id, pks in visible.items() for pk in pks}


def survey_filter(queryset, params):
    state = params.get("state")
    now = timezone.now()
    if state == "open":
        queryset = queryset.filter(answered_at__isnull=True, due_at__gte=now)
    elif state == "answered":
        queryset = queryset.filter(answered_at__isnull=False)
    elif state == "expired":
        queryset = queryset.filter(answered_at__isnull=True, due_at__lt=now)
    if unit := parse_id(params.get("unit")):
        queryset = queryset.filter(business_unit_id=unit)
    if pain_point := parse_id(params.get("pain_point")):
        queryset = queryset.filter(pain_point_id=pain_point)
    if _date(params.get("from")):
        queryset = queryset.filter(resolved_at__date__gte=_date(params["from"]))
    if _date(params.get("to")):
        queryset = queryset.filter(resolved_at__date__lte=_date(params["to"]))
    return queryset


@dataclass(frozen=True)
class SurveyResults:
    asked: int
    answered: int
    average: float | None
    comments: list  # answered surveys with a comment, newest first


def survey_results(pain_point) -> SurveyResults:
    """What the pain point page shows: how many were asked and answered, the average, the
    comments. Two queries. The caller has already checked that the user sees the pain point."""
    surveys = pain_point.resolution_surveys.all()
    totals = surveys.aggregate(asked=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)), average=Avg("rating"))
    comments = list(surveys.answered().exclude(comment="").select_related("respondent").order_by("-answered_at")[:20])
    average = totals["average"]
    return SurveyResults(
        asked=totals["asked"],
        answered=totals["answered"],
        average=None if average is None else round(float(average), 1),
        comments=comments,
    )


@dataclass(frozen=True)
class SurveyPerson:
    pain_point_id: int
    business_unit_id: int
    user_id: int
    role: str
    resolved_at: datetime.datetime


def resolved_pain_point_people(*, since, until) -> list[SurveyPerson]:
    """The submitters and voters of the pain points resolved between `since` and `until`. Two queries."""
    from listening.choices import PainPointStatus
    from listening.models import PainPointStatusChange, Vote

    resolved = {}
    rows = (
        PainPointStatusChange.objects.filter(to_status=PainPointStatus.RESOLVED, at__gte=since, at__lte=until)
        .values_list("pain_point_id", "pain_point__business_unit_id", "pain_point__submitted_by_id", "at")
        .order_by("at")
    )
    for pain_point_id, unit_id, submitter_id, at in rows:
        resolved[pain_point_id] = (unit_id, submitter_id, at)
    people = {}
    for pain_point_id, (unit_id, submitter_id, at) in resolved.items():
        if submitter_id:
            people[(pain_point_id, submitter_id)] = SurveyPerson(pain_point_id, unit_id, submitter_id, SurveyRole.SUBMITTER, at)
    if resolved:
        for pain_point_id, user_id in Vote.objects.filter(pain_point_id__in=list(resolved)).values_list("pain_point_id", "user_id"):
            unit_id, _, at = resolved[pain_point_id]
            people.setdefault((pain_point_id, user_id), SurveyPerson(pain_point_id, unit_id, user_id, SurveyRole.VOTER, at))
    return list(people.values())


# --- Repeated problems -----------------------------------------------------------------------------


def suggestion_list(*, user):
    return (
        ProblemSuggestion.objects.for_user(user)
        .select_related("business_unit", "decided_by")
        .prefetch_related(readable(user, "action", ProblemSuggestion))
    )


def attach_evidence(suggestions, *, user) -> list:
    """Give each suggestion `evidence_pain_points` (title, status, votes) with one query for all:
    those of its pain points `user` may see."""
    from listening.models import PainPoint

    suggestions = list(suggestions)
    pks = {pk for s in suggestions for pk in s.evidence}
    by_pk = {}
    if pks:
        by_pk = {
            p.pk: p
            for p in PainPoint.objects.for_user(user).filter(pk__in=pks).annotate(vote_count=Count("votes")).only("pk", "title", "status")
        }
    for suggestion in suggestions:
        suggestion.evidence_pain_points = [by_pk[pk] for pk in suggestion.evidence if pk in by_pk]
    return suggestions


@dataclass(frozen=True)
class Candidate:
    key: str
    trigger: str
    business_unit_id: int
    category: str
    pain_point_id: int | None
    evidence: list
    proposed_kind: str
    reason: str


def repeated_problem_candidates(*, now=None) -> list[Candidate]:
    """The repeated problems not yet proposed. Four queries, whatever the data.

    - N pain points (EXTRAMILE_REPEAT_RESOLVED_COUNT) of one category and unit resolved within
      EXTRAMILE_REPEAT_WINDOW_DAYS that are not yet evidence of a proposal: propose a manual or FAQ;
    - one open or resolved pain point with M votes (EXTRAMILE_REPEAT_VOTES): propose a training.
    """
    from listening.choices import Category, PainPointStatus
    from listening.models import PainPoint, PainPointStatusChange

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EXTRAMILE_REPEAT_WINDOW_DAYS)
    needed = settings.EXTRAMILE_REPEAT_RESOLVED_COUNT
    labels = dict(Category.choices)

    groups = defaultdict(set)
    unit_names = {}
    resolved = PainPointStatusChange.objects.filter(
        to_status=PainPointStatus.RESOLVED,
        at__gte=cutoff,
        at__lte=now,
        pain_point__status__in=[PainPointStatus.RESOLVED, PainPointStatus.CLOSED],
    ).values_list("pain_point_id", "pain_point__business_unit_id", "pain_point__business_unit__name", "pain_point__category")
    for pain_point_id, unit_id, unit_name, category in resolved:
        groups[(unit_id, category)].add(pain_point_id)
        unit_names[unit_id] = unit_name
    used = defaultdict(set)
    for unit_id, category, evidence in ProblemSuggestion.objects.filter(
        trigger=SuggestionTrigger.RESOLVED_CLUSTER, created_at__gte=cutoff
    ).values_list("business_unit_id", "category", "evidence"):
        used[(unit_id, category)].update(evidence)

    candidates = []
    for (unit_id, category), pks in sorted(groups.items()):
        fresh = sorted(pks - used[(unit_id, category)])
        if len(fresh) >= needed:
            label = labels.get(category, category).lower()
            candidates.append(
                Candidate(
                    key=f"cluster:{unit_id}:{category}:{fresh[0]}",
                    trigger=SuggestionTrigger.RESOLVED_CLUSTER,
                    business_unit_id=unit_id,
                    category=category,
                    pain_point_id=None,
                    evidence=fresh,
                    proposed_kind=ActionKind.MANUAL_FAQ,
                    reason=(
                        f"{len(fresh)} {label} pain points of {unit_names[unit_id]} were resolved in the last "
                        f"{settings.EXTRAMILE_REPEAT_WINDOW_DAYS} days: a manual or FAQ (or a training) could stop them coming back."
                    ),
                )
            )

    voted = (
        PainPoint.objects.exclude(status__in=[PainPointStatus.DECLINED, PainPointStatus.MERGED])
        .annotate(vote_count=Count("votes"))
        .filter(vote_count__gte=settings.EXTRAMILE_REPEAT_VOTES)
        .values_list("pk", "business_unit_id", "business_unit__name", "category", "title", "vote_count")
    )
    for pk, unit_id, unit_name, category, title, votes in voted:
        candidates.append(
            Candidate(
                key=f"votes:{pk}",
                trigger=SuggestionTrigger.VOTES,
                business_unit_id=unit_id,
                category=category,
                pain_point_id=pk,
                evidence=[pk],
                proposed_kind=ActionKind.TRAINING,
                reason=f"“{title[:150]}” of {unit_name} has {votes} “me too” votes: many people hit it, offer a training or write a FAQ.",
            )
        )
    if not candidates:
        return []
    existing = set(ProblemSuggestion.objects.filter(key__in=[c.key for c in candidates]).values_list("key", flat=True))
    return [c for c in candidates if c.key not in existing]


def overdue_check_in_count(user, business_unit=None) -> int:
    queryset = CheckIn.objects.for_user(user).overdue()
    if business_unit is not None:
        queryset = queryset.filter(key_user__business_unit=business_unit)
    return queryset.count()


def open_suggestion_count(user) -> int:
    return ProblemSuggestion.objects.for_user(user).filter(status="open").count() if is_it_staff(user) else 0



# --- What waits for me (partnership/agenda.py) ---------------------------------------------------


def agenda_ratings(user, since) -> list[AgendaEntry]:
    """Done actions addressed to the user that they have not confirmed and rated (one query)."""
    addressed = ExtraMileAction.recipients.through.objects.filter(extramileaction_id=OuterRef("pk"), user_id=user.pk)
    rated = ExtraMileRating.objects.filter(action=OuterRef("pk"), rated_by=user)
    waiting = (
        ExtraMileAction.objects.for_user(user)
        .done()
        .filter(Exists(addressed), ~Exists(rated))
        .select_related("performed_by")
        .order_by("-performed_on", "-id")
    )
    return [
        AgendaEntry(
            kind="extramile.rate",
            title=f"Confirm and rate “{a.title}”",
            url=a.get_absolute_url(),
            at=a.created_at,
            detail=f"{a.performed_by} went the extra mile for you on {a.performed_on:%Y-%m-%d}.",
        )
        for a in waiting[:PER_SOURCE]
    ]


def agenda_surveys(user, since) -> list[AgendaEntry]:
    """The user's unanswered surveys still taking answers, the soonest closing first (one query)."""
    waiting = (
        survey_list(user=user)
        .filter(respondent=user, answered_at__isnull=True, due_at__gt=timezone.now())
        .order_by("due_at", "id")
    )
    return [
        AgendaEntry(
            kind="extramile.survey",
            title=f"How well did IT solve “{s.pain_point_title}”?",
            url=s.get_absolute_url(),
            at=s.created_at,
            due_on=local_day(s.due_at),
        )
        for s in waiting[:PER_SOURCE]
    ]


def agenda_check_ins(user, since) -> list[AgendaEntry]:
    """The user's pending check-ins after a maintenance window (one query)."""
    pending = (
        CheckIn.objects.for_user(user).pending().filter(key_user=user).select_related("window").order_by("due_at", "id")
    )
    return [
        AgendaEntry(
            kind="extramile.check_in",
            title=f"Do the systems run after the maintenance of {c.window.system}?",
            url=c.get_absolute_url(),
            at=c.created_at,
            due_on=local_day(c.due_at),
        )
        for c in pending[:PER_SOURCE]
    ]


def agenda_overdue_check_ins(user, since) -> list[AgendaEntry]:
    """IT: overdue check-ins of the windows the user recorded, to follow up with a call (one query)."""
    overdue = (
        CheckIn.objects.for_user(user)
        .overdue()
        .filter(window__recorded_by=user)
        .select_related("window", "key_user")
        .order_by("due_at", "id")
    )
    return [
        AgendaEntry(
            kind="extramile.check_in_overdue",
            title=f"Call {c.key_user}: no check-in after {c.window.system}",
            url=c.get_absolute_url(),
            at=c.created_at,
            due_on=local_day(c.due_at),
            detail="Overdue.",
        )
        for c in overdue[:PER_SOURCE]
    ]


AGENDA = (
    AgendaSource("extramile.ratings", frozenset({Role.BUSINESS_MANAGER}), agenda_ratings),
    AgendaSource("extramile.surveys", frozenset({Role.BUSINESS_MANAGER}), agenda_surveys),
    AgendaSource("extramile.check_ins", frozenset({Role.BUSINESS_MANAGER}), agenda_check_ins),
    AgendaSource("extramile.check_ins_overdue", frozenset({Role.IT_STAFF}), agenda_overdue_check_ins),
)


# --- What IT delivered for a unit (partnership/delivered.py) ------------------------------------


def delivered_actions(user, unit, period):
    """The unit's extra-mile actions done within the period, newest first (their subjects as
    `user` may see them: one more query per kind of subject)."""
    return (
        action_list(user=user)
        .filter(business_unit=unit, status=ActionStatus.DONE, performed_on__gte=period.start, performed_on__lte=period.end)
        .order_by("-performed_on", "-id")
    )


def delivered_action_entry(user, action) -> DeliveredEntry:
    subject = reference_to(user, action, "subject")
    rated = f" · rated {action.average_rating:.1f}/5" if action.average_rating is not None else ""
    return DeliveredEntry(
        kind="extramile.action",
        title=action.title,
        url=action.get_absolute_url(),
        on=action.performed_on,
        detail=f"{action.get_kind_display()} by {action.performed_by.get_full_name() or action.performed_by}"
        f" · {action.effort_hours} h{rated}",
        references=(subject,) if subject is not None else (),
    )


DELIVERED = (
    DeliveredSource(
        "extramile.actions", DELIVERED_SECTION, "Extra-mile actions", delivered_actions, delivered_action_entry,
        empty="IT logged no extra-mile action for the unit in this period.",
    ),
)
