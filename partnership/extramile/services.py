"""Writes of "Take the extra mile": atomic functions named <entity>_<action>(*, ...).

Pages, the API, the Celery tasks and the demo data all call these. A refusal raises
`ValidationError({"field": "message"})` before anything is written; an actor without the right
role gets `PermissionDenied`. Other apps are reached only through their services (a failed
check-in creates its pain point with `listening.services.pain_point_create`, and is announced to
webhook subscribers as the `check_in.failed` event, with the pain point as the visibility target).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..events import Done, Notice, followers, publish
from ..roles import is_it_staff
from .choices import (
    PROPOSAL_KINDS,
    SUBJECT_MODELS,
    ActionKind,
    ActionStatus,
    CheckInStatus,
    SuggestionStatus,
)
from .models import CheckIn, ExtraMileAction, ExtraMileRating, MaintenanceWindow, ProblemSuggestion, ResolutionSurvey
from .payloads import check_in_failed_payload
from .permissions import require_it
from .workflow import CHECK_IN, EXTRA_MILE_ACTION, SUGGESTION


def _rating(value, field: str = "rating") -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not 1 <= number <= 5:
        raise ValidationError({field: "Give a rating from 1 to 5."})
    return number


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise ValidationError({"effort_hours": "Enter the effort in hours, e.g. 1.5."}) from None
    if hours < 0:
        raise ValidationError({"effort_hours": "Effort cannot be negative."})
    if hours > 1000:
        raise ValidationError({"effort_hours": "Log at most 1000 hours for one action."})
    return hours.quantize(Decimal("0.1"))


def subject_content_type(subject):
    """The content type of an allowed subject, or a refusal."""
    content_type = ContentType.objects.get_for_model(subject)
    if f"{content_type.app_label}.{content_type.model}" not in SUBJECT_MODELS:
        raise ValidationError({"subject": "An action follows a pain point, an initiative or a revenue project."})
    return content_type


def _check_recipients(recipients) -> list:
    recipients = list(dict.fromkeys(r for r in recipients if r is not None))
    it_people = [str(r) for r in recipients if is_it_staff(r)]
    if it_people:
        raise ValidationError({"recipients": f"Recipients are business people; {', '.join(it_people)} work in IT."})
    return recipients


def _ask_recipients_to_rate(action: ExtraMileAction, recipients) -> None:
    publish(
        "extramile.action_done",
        action,
        actor=action.performed_by,
        notice=Notice(
            recipients=recipients,
            title=f"IT went the extra mile for you: {action.title}",
            body=(
                f"{action.performed_by} did this for {action.business_unit}: {action.get_kind_display().lower()}. "
                "Please confirm it and rate it from 1 to 5."
            ),
        ),
    )


# --- The ledger ---------------------------------------------------------------------------------


@transaction.atomic
def extra_mile_action_create(
    *,
    actor,
    kind: str,
    title: str,
    business_unit,
    description: str = "",
    performed_by=None,
    performed_on: datetime.date | None = None,
    effort_hours=0,
    recipients=(),
    subject=None,
    external_ref: str = "",
    evidence_url: str = "",
    status: str = ActionStatus.DONE,
) -> ExtraMileAction:
    """Log an action IT took beyond the request. A done one asks its recipients to rate it."""
    require_it(actor, "log extra-mile actions")
    performed_by = performed_by or actor
    if not is_it_staff(performed_by):
        raise ValidationError({"performed_by": "Extra-mile actions are performed by IT staff."})
    performed_on = performed_on or timezone.localdate()
    if status == ActionStatus.DONE and performed_on > timezone.localdate():
        raise ValidationError({"performed_on": "A done action cannot be dated in the future; plan it instead."})
    recipients = _check_recipients(recipients)
    action = ExtraMileAction(
        kind=kind,
        title=(title or "").strip(),
        description=(description or "").strip(),
        status=status,
        performed_by=performed_by,
        performed_on=performed_on,
        effort_hours=_hours(effort_hours),
        business_unit=business_unit,
        external_ref=(external_ref or "").strip(),
        evidence_url=(evidence_url or "").strip(),
    )
    if subject is not None:
        action.subject_type = subject_content_type(subject)
        action.subject_id = subject.pk
    action.full_clean()
    action.save()
    action.recipients.set(recipients)
    if status == ActionStatus.DONE:
        _ask_recipients_to_rate(action, recipients)
    return action


@transaction.atomic
def extra_mile_action_complete(
    *, action: ExtraMileAction, actor, performed_on=None, effort_hours=None, evidence_url=None, recipients=None
) -> ExtraMileAction:
    """Mark a planned action done (e.g. the FAQ is written); its recipients are asked to rate it."""
    EXTRA_MILE_ACTION.require(action, actor, "complete")
    action = ExtraMileAction.objects.select_for_update().get(pk=action.pk)
    EXTRA_MILE_ACTION.check_status(action, "complete")
    performed_on = performed_on or timezone.localdate()
    if performed_on > timezone.localdate():
        raise ValidationError({"performed_on": "A done action cannot be dated in the future."})
    recipients = _check_recipients(recipients) if recipients is not None else list(action.recipients.all())
    action.status = ActionStatus.DONE
    action.performed_on = performed_on
    if effort_hours is not None:
        action.effort_hours = _hours(effort_hours)
    if evidence_url is not None:
        action.evidence_url = evidence_url.strip()
    action.full_clean()
    action.save()
    action.recipients.set(recipients)
    _ask_recipients_to_rate(action, recipients)
    return action


@transaction.atomic
def extra_mile_action_update(
    *, action: ExtraMileAction, actor, title: str, performed_on, effort_hours, recipients,
    description: str = "", external_ref: str = "", evidence_url: str = "",
) -> ExtraMileAction:
    """IT corrects an action (e.g. names who a planned training is for). On a done action, the
    recipients added are asked to rate it; those already asked are not asked again."""
    require_it(actor, "edit extra-mile actions")
    action = ExtraMileAction.objects.select_for_update().get(pk=action.pk)
    if action.is_done and performed_on > timezone.localdate():
        raise ValidationError({"performed_on": "A done action cannot be dated in the future."})
    recipients = _check_recipients(recipients)
    before = set(action.recipients.values_list("pk", flat=True))
    action.title = (title or "").strip()
    action.description = (description or "").strip()
    action.performed_on = performed_on
    action.effort_hours = _hours(effort_hours)
    action.external_ref = (external_ref or "").strip()
    action.evidence_url = (evidence_url or "").strip()
    action.full_clean()
    action.save()
    action.recipients.set(recipients)
    added = [r for r in recipients if r.pk not in before]
    if action.is_done and added:
        _ask_recipients_to_rate(action, added)
    return action


@transaction.atomic
def extra_mile_action_rate(*, action: ExtraMileAction, rated_by, rating, comment: str = "") -> ExtraMileRating:
    """A recipient confirms the action and rates it 1-5, once; the performer never rates their own."""
    action = ExtraMileAction.objects.select_for_update().get(pk=action.pk)
    if action.performed_by_id == rated_by.pk:
        raise ValidationError({"rating": "You performed this action: only its recipients rate it."})
    if not action.recipients.filter(pk=rated_by.pk).exists():
        raise ValidationError({"rating": "Only the recipients of this action can confirm and rate it."})
    if action.status != ActionStatus.DONE:
        raise ValidationError({"rating": "This action is only planned: rate it once it is done."})
    rating = _rating(rating)
    if ExtraMileRating.objects.filter(action=action, rated_by=rated_by).exists():
        raise ValidationError({"rating": "You already rated this action."})
    row = ExtraMileRating(action=action, rated_by=rated_by, rating=rating, comment=(comment or "").strip())
    row.full_clean()
    row.save()
    link = ExtraMileAction.recipients.through.objects.get(extramileaction=action, user=rated_by)
    publish(
        "extramile.action_rated",
        action,
        actor=rated_by,
        # The action's "please confirm and rate" entry and the reminder about this recipient's link.
        done=Done(recipient=rated_by, targets=(action, link)),
        notice=Notice(
            recipients=[action.performed_by],
            title=f"{rated_by} confirmed “{action.title}” and rated it {rating}/5",
            body=row.comment,
        ),
    )
    return row


# --- Maintenance windows and check-ins -------------------------------------------------------------


@transaction.atomic
def maintenance_window_create(
    *, actor, system: str, starts_at, ends_at, business_units=(), key_users=(), description: str = ""
) -> MaintenanceWindow:
    """Record planned downtime; its key users get a check-in once it has ended."""
    require_it(actor, "record maintenance windows")
    key_users = list(dict.fromkeys(key_users))
    business_units = list(dict.fromkeys(business_units))
    window = MaintenanceWindow(
        system=(system or "").strip(), description=(description or "").strip(),
        starts_at=starts_at, ends_at=ends_at, recorded_by=actor,
    )
    window.full_clean()
    if not key_users:
        raise ValidationError({"key_users": "Name at least one key user to check with after the window."})
    without_unit = [str(u) for u in key_users if not u.business_unit_id]
    if without_unit:
        raise ValidationError({"key_users": f"Key users are business people with a unit; {', '.join(without_unit)} has none."})
    if not business_units:
        business_units = list({u.business_unit_id: u.business_unit for u in key_users}.values())
    window.save()
    window.business_units.set(business_units)
    window.key_users.set(key_users)
    return window


@transaction.atomic
def check_ins_create(*, now: datetime.datetime | None = None) -> int:
    """Create one check-in per key user of every window that has ended; ask each key user.

    Idempotent: the unique (window, key user) constraint and ON CONFLICT DO NOTHING make a second
    run (or a concurrent one) create nothing; key users are notified by claiming the check-ins not
    yet notified under a row lock, so each is asked once. A fixed number of queries per run.
    """
    now = now or timezone.now()
    hours = datetime.timedelta(hours=settings.EXTRAMILE_CHECKIN_DUE_HOURS)
    windows = list(
        MaintenanceWindow.objects.filter(check_ins_created_at__isnull=True, ends_at__lte=now)
        .select_for_update(skip_locked=True)
        .prefetch_related("key_users")
    )
    rows = [
        CheckIn(window=window, key_user=user, due_at=max(window.ends_at, now) + hours)
        for window in windows
        for user in window.key_users.all()
    ]
    CheckIn.objects.bulk_create(rows, ignore_conflicts=True)
    if windows:
        MaintenanceWindow.objects.filter(pk__in=[w.pk for w in windows]).update(check_ins_created_at=now)
    return _check_ins_notify(now)


def _check_ins_notify(now) -> int:
    claimed = list(
        CheckIn.objects.filter(notified_at__isnull=True, status=CheckInStatus.PENDING)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("window", "key_user")
    )
    for check_in in claimed:
        local_due = timezone.localtime(check_in.due_at)
        publish(
            "extramile.check_in",
            check_in,
            notice=Notice(
                recipients=[check_in.key_user],
                title=f"After the maintenance of {check_in.window.system}: does everything run correctly?",
                body=f"Please answer by {local_due:%Y-%m-%d %H:%M}. A “no” goes straight to IT as a pain point.",
            ),
        )
    CheckIn.objects.filter(pk__in=[c.pk for c in claimed]).update(notified_at=now)
    return len(claimed)


@transaction.atomic
def check_in_answer(*, check_in: CheckIn, actor, systems_ok: bool, problem: str = "") -> CheckIn:
    """The key user (or IT on their behalf, after a call) answers; a "no" becomes a pain point."""
    from listening import services as listening_services
    from listening.choices import Category, Source

    check_in = CheckIn.objects.select_for_update(of=("self",)).select_related("window", "key_user").get(pk=check_in.pk)
    CHECK_IN.check(check_in, actor, "answer")
    if systems_ok is None:
        raise ValidationError({"systems_ok": "Say whether the systems run correctly: yes or no."})
    problem = (problem or "").strip()
    if not systems_ok and not problem:
        raise ValidationError({"problem": "Say what is wrong, so that IT can act on it."})
    now = timezone.now()
    check_in.systems_ok = bool(systems_ok)
    check_in.problem = "" if systems_ok else problem
    check_in.status = CheckInStatus.OK if systems_ok else CheckInStatus.PROBLEM
    check_in.answered_at = now
    check_in.answered_by = actor
    if not systems_ok:
        window = check_in.window
        on_behalf = "" if actor.pk == check_in.key_user_id else f" (answered by {actor} on their behalf)"
        pain_point = listening_services.pain_point_create(
            submitted_by=check_in.key_user,
            business_unit=check_in.key_user.business_unit,
            title=f"After maintenance of {window.system}: {problem.splitlines()[0][:120]}",
            description=(
                f"{check_in.key_user}{on_behalf} reported after the maintenance window of {window.system} "
                f"({timezone.localtime(window.starts_at):%Y-%m-%d %H:%M} to "
                f"{timezone.localtime(window.ends_at):%Y-%m-%d %H:%M}) that the systems do not run correctly:\n\n{problem}"
            ),
            category=Category.SYSTEM,
            severity=4,
            source=Source.CHECK_IN,
            source_system="check-in",
            external_ref=f"check-in-{check_in.pk}",
        )
        check_in.pain_point = pain_point
        publish(
            "check_in.failed",
            check_in,
            actor=actor,
            payload=check_in_failed_payload(check_in, pain_point, answered_by=actor, problem=problem),
            reveals=pain_point,
            notice=Notice(
                recipients=followers([window.recorded_by], exclude=actor),
                kind="extramile.check_in_problem",
                title=f"Check-in after {window.system}: {check_in.key_user} reports a problem",
                body=problem[:500],
                url=pain_point.get_absolute_url(),
            ),
        )
    check_in.full_clean()
    check_in.save()
    publish("check_in.answered", check_in, actor=actor, done=Done(recipient=check_in.key_user, targets=(check_in,)))
    return check_in


# --- Repeated problems ---------------------------------------------------------------------------------


def suggestions_refresh(*, now: datetime.datetime | None = None) -> int:
    """Propose a manual/FAQ or a training for each repeated problem found; return how many are new.

    A fixed number of queries whatever the data: the resolved pain points of the period, the
    pain points with many votes, the evidence already used, and one bulk insert. A pain point is
    evidence of one cluster proposal only, so a dismissed proposal is not made again.
    """
    from .selectors import repeated_problem_candidates

    rows = [
        ProblemSuggestion(
            key=candidate.key,
            trigger=candidate.trigger,
            business_unit_id=candidate.business_unit_id,
            category=candidate.category,
            pain_point_id=candidate.pain_point_id,
            evidence=candidate.evidence,
            proposed_kind=candidate.proposed_kind,
            reason=candidate.reason[:300],
        )
        for candidate in repeated_problem_candidates(now=now)
    ]
    created = ProblemSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


@transaction.atomic
def suggestion_accept(
    *, suggestion: ProblemSuggestion, actor, kind: str | None = None, planned_on=None, title: str = "", recipients=None
) -> ExtraMileAction:
    """IT takes the proposal: a planned extra-mile action (a manual/FAQ or a training) is created."""
    from listening.choices import Category
    from listening.models import PainPoint

    SUGGESTION.require(suggestion, actor, "accept")
    suggestion = ProblemSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    SUGGESTION.check_status(suggestion, "accept")
    kind = kind or suggestion.proposed_kind
    if kind not in PROPOSAL_KINDS:
        raise ValidationError({"kind": "Choose a manual or FAQ, or a training."})
    planned_on = planned_on or timezone.localdate() + datetime.timedelta(days=14)
    pain_points = list(
        PainPoint.objects.filter(pk__in=suggestion.evidence).select_related("submitted_by").prefetch_related("votes__user")
    )
    if recipients is None:
        recipients = _people_behind(pain_points)
    subject = next((p for p in pain_points if p.pk == suggestion.pain_point_id), pain_points[-1] if pain_points else None)
    category = dict(Category.choices).get(suggestion.category, suggestion.category).lower()
    default_title = f"{ActionKind(kind).label} on the {category} problems of {suggestion.business_unit}"
    action = extra_mile_action_create(
        actor=actor,
        kind=kind,
        title=(title or "").strip() or default_title,
        description=suggestion.reason,
        business_unit=suggestion.business_unit,
        performed_on=planned_on,
        recipients=recipients,
        subject=subject,
        status=ActionStatus.PLANNED,
    )
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.action = action
    suggestion.save()
    return action


def _people_behind(pain_points) -> list:
    """The business people behind a proposal: who raised its pain points and who voted "me too"."""
    people = []
    for pain_point in pain_points:
        people.append(pain_point.submitted_by)
        people.extend(vote.user for vote in pain_point.votes.all())
    return [
        person for person in dict.fromkeys(p for p in people if p is not None)
        if person.is_active and not is_it_staff(person)
    ]


@transaction.atomic
def suggestion_dismiss(*, suggestion: ProblemSuggestion, actor, reason: str = "") -> ProblemSuggestion:
    SUGGESTION.require(suggestion, actor, "dismiss")
    suggestion = ProblemSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    SUGGESTION.check_status(suggestion, "dismiss")
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.dismiss_reason = (reason or "").strip()
    suggestion.save()
    return suggestion


# --- Post-resolution surveys ------------------------------------------------------------------------


@transaction.atomic
def surveys_create(*, now: datetime.datetime | None = None) -> int:
    """Ask the submitter and the voters of each recently resolved pain point for a rating.

    Pain points resolved in the last EXTRAMILE_SURVEY_LOOKBACK_DAYS are looked at, so the task may
    miss a few runs; the unique (pain point, respondent) constraint makes running it again
    create nothing, and the respondents are notified by claiming surveys not yet notified.
    """
    from .selectors import pain_points_seen, resolved_pain_point_people

    now = now or timezone.now()
    deadline = now + datetime.timedelta(days=settings.EXTRAMILE_SURVEY_DAYS)
    since = now - datetime.timedelta(days=settings.EXTRAMILE_SURVEY_LOOKBACK_DAYS)
    people = resolved_pain_point_people(since=since, until=now)
    # Only those who may still see the pain point are asked (it may have become confidential).
    seen = pain_points_seen((person.user_id, person.pain_point_id) for person in people)
    rows = [
        ResolutionSurvey(
            pain_point_id=person.pain_point_id,
            business_unit_id=person.business_unit_id,
            respondent_id=person.user_id,
            role=person.role,
            resolved_at=person.resolved_at,
            due_at=deadline,
        )
        for person in people
        if (person.user_id, person.pain_point_id) in seen
    ]
    ResolutionSurvey.objects.bulk_create(rows, ignore_conflicts=True)
    claimed = list(
        ResolutionSurvey.objects.filter(notified_at__isnull=True, answered_at__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("respondent", "pain_point")
    )
    for survey in claimed:
        title = survey.pain_point.title
        publish(
            "extramile.survey",
            survey,
            notice=Notice(
                recipients=[survey.respondent],
                title=f"Resolved: {title}. How well did IT solve it?",
                body=f"Rate the result from 1 to 5 by {timezone.localtime(survey.due_at):%Y-%m-%d}.",
            ),
        )
    ResolutionSurvey.objects.filter(pk__in=[s.pk for s in claimed]).update(notified_at=now)
    return len(claimed)


@transaction.atomic
def survey_answer(*, survey: ResolutionSurvey, actor, rating, comment: str = "") -> ResolutionSurvey:
    """The respondent rates the resolution 1-5 with a comment, once, before the deadline."""
    survey = ResolutionSurvey.objects.select_for_update().get(pk=survey.pk)
    if survey.respondent_id != actor.pk:
        raise ValidationError({"respondent": "Only the person asked can answer this survey."})
    if survey.answered_at is not None:
        raise ValidationError({"rating": "You already answered this survey."})
    if survey.due_at < timezone.now():
        raise ValidationError(
            {"due_at": f"This survey closed on {timezone.localtime(survey.due_at):%Y-%m-%d %H:%M}: answers are no longer taken."}
        )
    survey.rating = _rating(rating)
    survey.comment = (comment or "").strip()
    survey.answered_at = timezone.now()
    survey.full_clean()
    survey.save()
    publish("survey.answered", survey, actor=actor, done=Done(recipient=actor, targets=(survey,)))
    return survey

