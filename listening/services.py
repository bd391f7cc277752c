"""Writes of the listening app: atomic functions named <entity>_<action>(*, ...).

Pages, the API, demo data and other apps all change pain points through these functions, so
each rule lives here once. A refusal raises `ValidationError({"field": "message"})` before
anything is written; an actor without the right role gets `PermissionDenied`.

Other apps call two of them:
- `pain_point_create(..., source=Source.CHECK_IN or Source.TICKETING, submitted_by=None)` for
  machine writes (check-ins, ticketing integrations);
- `pain_point_mark_planned(pain_point=..., actor=..., note=...)` when an initiative that answers
  the pain point is approved (see its docstring for the rule).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.events import Notice, followers, publish
from partnership.roles import is_integration_client, is_it_staff

from .choices import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Category,
    PainPointStatus,
    Risk,
    Source,
)
from .models import (
    Comment,
    Evaluation,
    EvaluationOption,
    ListeningSession,
    PainPoint,
    PainPointStatusChange,
    Vote,
    Watch,
)
from .payloads import pain_point_payload
from .permissions import is_own_source, require_it
from .sla import ack_due_date
from .workflow import PAIN_POINT, lock

# The fields IT may change on an existing pain point (the status changes only by transitions).
EDITABLE_FIELDS = (
    "title",
    "description",
    "business_unit",
    "category",
    "severity",
    "people_affected",
    "hours_lost_per_week",
    "confidential",
)

DUPLICATE_EXTERNAL_REF = "This source system already has a pain point with this external reference."
# The answer to someone who may not see the pain point holding the reference: it says no more
# than that the reference cannot be used.
REFERENCE_UNAVAILABLE = "This external reference cannot be used for a new pain point."

# What a source's integration client may change on its own source's pain points (the unit and
# confidentiality, which decide who sees it, stay IT's).
CLIENT_EDITABLE_FIELDS = ("title", "description", "category", "severity", "people_affected", "hours_lost_per_week")

def _followers(pain_point: PainPoint, *, exclude=None) -> list:
    """The submitter and the watchers, without the person who caused the change."""
    people = [pain_point.submitted_by] + [w.user for w in pain_point.watches.select_related("user")]
    return followers(people, exclude=exclude)


def _record_status(pain_point: PainPoint, *, from_status: str, actor, note: str = "") -> PainPointStatusChange:
    change = PainPointStatusChange(
        pain_point=pain_point,
        at=pain_point.status_changed_at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        from_status=from_status,
        to_status=pain_point.status,
        note=note,
    )
    change.save()
    return change


def _change_status(pain_point: PainPoint, *, to_status: str, actor, note: str = "", body: str = "", **fields):
    """Move the pain point, write its history row and tell the submitter and the watchers."""
    from_status = pain_point.status
    now = timezone.now()
    pain_point.status = to_status
    pain_point.status_changed_at = now
    if pain_point.acknowledged_at is None and from_status == PainPointStatus.NEW:
        # The first response of IT, whatever it is, stops the SLA clock.
        pain_point.acknowledged_at = now
    for name, value in fields.items():
        setattr(pain_point, name, value)
    pain_point.full_clean()
    pain_point.save()
    _record_status(pain_point, from_status=from_status, actor=actor, note=note)
    label = PainPointStatus(to_status).label.lower()
    publish(
        "pain_point.status_changed",
        pain_point,
        actor=actor,
        payload=pain_point_payload(pain_point, previous_status=from_status),
        notice=Notice(
            recipients=_followers(pain_point, exclude=actor),
            kind=f"pain_point.{to_status}",
            title=f"Pain point {label}: {pain_point.title}",
            body=body or note,
        ),
    )
    return pain_point


# --- Creating and editing -------------------------------------------------------------------


@transaction.atomic
def pain_point_create(
    *,
    submitted_by,
    business_unit,
    title: str,
    description: str,
    category: str = Category.PROCESS,
    severity: int = 3,
    people_affected: int = 1,
    hours_lost_per_week: Decimal | int | str = Decimal("1"),
    confidential: bool = False,
    source: str = Source.PORTAL,
    source_system: str = "",
    external_ref: str = "",
    listening_session: ListeningSession | None = None,
) -> PainPoint:
    """Record a new pain point; its submitter watches it from now on.

    `submitted_by` may be None only for machine sources (check-in, ticketing system). A pain
    point raised in a listening session names the session, and its source is that session.
    """
    if listening_session is not None and source == Source.PORTAL:
        source = Source.LISTENING_SESSION
    if source == Source.LISTENING_SESSION and submitted_by is not None and not is_it_staff(submitted_by):
        raise PermissionDenied("Only IT staff record pain points from listening sessions.")
    now = timezone.now()
    pain_point = PainPoint(
        submitted_by=submitted_by,
        business_unit=business_unit,
        title=title.strip(),
        description=description.strip(),
        category=category,
        severity=severity,
        people_affected=people_affected,
        hours_lost_per_week=Decimal(str(hours_lost_per_week)),
        confidential=confidential,
        source=source,
        source_system=source_system.strip(),
        external_ref=external_ref.strip(),
        listening_session=listening_session,
        ack_due_on=ack_due_date(timezone.localdate(now)),
        status_changed_at=now,
    )
    holder = (
        PainPoint.objects.filter(source_system=pain_point.source_system, external_ref=pain_point.external_ref).first()
        if pain_point.external_ref
        else None
    )
    if holder is not None:
        raise ValidationError({"external_ref": _duplicate_reference(submitted_by, holder)})
    pain_point.full_clean()
    try:
        with transaction.atomic():
            pain_point.save()
    except IntegrityError as exc:
        # Two deliveries of the same ticket at once: full_clean passed for both, the index wins.
        raise ValidationError({"external_ref": _duplicate_reference(submitted_by, None)}) from exc
    via = Source(source).label.lower()
    _record_status(pain_point, from_status="", actor=submitted_by, note=f"Submitted via {via}.")
    if submitted_by is not None:
        Watch.objects.create(pain_point=pain_point, user=submitted_by)
    publish("pain_point.created", pain_point, actor=submitted_by, payload=pain_point_payload(pain_point))
    return pain_point


def _duplicate_reference(submitted_by, holder) -> str:
    """Name the duplicate only to a machine write or to someone who may see the pain point."""
    if submitted_by is None or (holder is not None and PainPoint.objects.for_user(submitted_by).filter(pk=holder.pk).exists()):
        return DUPLICATE_EXTERNAL_REF
    return REFERENCE_UNAVAILABLE


@transaction.atomic
def pain_point_update(*, pain_point: PainPoint, actor, **changes) -> PainPoint:
    """IT corrects the facts of a pain point (title, unit, category, numbers, confidentiality);
    the integration client of the pain point's source updates the ticket's facts while its
    workflow has not ended."""
    client = not is_it_staff(actor)
    if client and not is_own_source(actor, pain_point):
        raise PermissionDenied("Only IT staff can edit a pain point.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if client and set(changes) - set(CLIENT_EDITABLE_FIELDS):
        refused = sorted(set(changes) - set(CLIENT_EDITABLE_FIELDS))
        raise ValidationError(dict.fromkeys(refused, "Only IT staff can change this field."))
    lock(pain_point)
    if pain_point.is_read_only:
        raise ValidationError({"status": "A merged pain point is read-only; edit the one it was merged into."})
    if client and pain_point.status in FINAL_STATUSES:
        label = PainPointStatus(pain_point.status).label.lower()
        raise ValidationError({"status": f"This pain point is {label}: it takes no more changes from its ticket."})
    original = {name: getattr(pain_point, name) for name in changes}
    for name, value in changes.items():
        setattr(pain_point, name, value)
    try:
        pain_point.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(pain_point, name, value)
        raise
    pain_point.save()
    return pain_point


# --- The workflow -----------------------------------------------------------------------------


@transaction.atomic
def pain_point_acknowledge(*, pain_point: PainPoint, actor, note: str = "") -> PainPoint:
    PAIN_POINT.check(pain_point, actor, "acknowledge", lock=lock)
    return _change_status(
        pain_point,
        to_status=PainPointStatus.ACKNOWLEDGED,
        actor=actor,
        note=note,
        body=note or "IT has read your pain point and will look into it.",
    )


@transaction.atomic
def pain_point_start_analysis(*, pain_point: PainPoint, actor, note: str = "") -> PainPoint:
    PAIN_POINT.check(pain_point, actor, "start-analysis", lock=lock)
    return _change_status(pain_point, to_status=PainPointStatus.ANALYSING, actor=actor, note=note)


def _evaluation_of(pain_point: PainPoint) -> Evaluation | None:
    return Evaluation.objects.filter(pain_point=pain_point).prefetch_related("options").first()


@transaction.atomic
def pain_point_plan(*, pain_point: PainPoint, actor, note: str = "") -> PainPoint:
    """IT commits to a plan. It needs an evaluation with a recommended option."""
    PAIN_POINT.check(pain_point, actor, "plan", lock=lock)
    evaluation = _evaluation_of(pain_point)
    if evaluation is None:
        raise ValidationError({"evaluation": "Write an evaluation with a recommended option before planning."})
    option = evaluation.recommended_option
    if option is None:
        raise ValidationError({"evaluation": "The evaluation has no recommended option yet: recommend one first."})
    plan_note = note.strip() or evaluation.plan.strip() or f"Recommended option: {option.title}"
    return _change_status(
        pain_point, to_status=PainPointStatus.PLANNED, actor=actor, note=note, body=plan_note, plan_note=plan_note
    )


@transaction.atomic
def pain_point_mark_planned(*, pain_point: PainPoint, actor, note: str = "") -> PainPoint:
    """Mark a pain point planned because an approved initiative now answers it.

    Called by the initiatives app when an initiative is approved. It requires nothing but that
    approval: the approved initiative (its proposal, costs and accepted risk) *is* the evaluated
    plan, so the "evaluation with a recommended option" rule of `pain_point_plan` is not checked
    here, and `note` (e.g. "Planned by initiative 'Self-service reports'") becomes the plan the
    business reads. The actor's role is not checked either: approving the initiative was the
    authorised act.

    - new, acknowledged or analysing: moves to planned directly (one history row);
    - declined: moves to planned too, the approval reverses the decline (the history keeps it);
    - planned, resolved or closed: left as it is, the initiative never moves it backwards;
    - merged: the pain point it was merged into is planned instead, and returned.
    It is idempotent: approving twice changes nothing the second time.
    """
    lock(pain_point)
    seen = set()
    while pain_point.status == PainPointStatus.MERGED and pain_point.merged_into_id not in seen:
        seen.add(pain_point.pk)
        pain_point = lock(PainPoint.objects.get(pk=pain_point.merged_into_id))
    if PAIN_POINT["mark-planned"].target(pain_point.status) is None:
        return pain_point
    plan_note = note.strip() or "An approved initiative answers this pain point."
    return _change_status(
        pain_point, to_status=PainPointStatus.PLANNED, actor=actor, note=plan_note, plan_note=plan_note,
    )


@transaction.atomic
def pain_point_resolve(*, pain_point: PainPoint, actor, note: str = "") -> PainPoint:
    PAIN_POINT.check(pain_point, actor, "resolve", lock=lock)
    return _change_status(pain_point, to_status=PainPointStatus.RESOLVED, actor=actor, note=note)


@transaction.atomic
def pain_point_close(*, pain_point: PainPoint, actor, note: str = "") -> PainPoint:
    PAIN_POINT.check(pain_point, actor, "close", lock=lock)
    return _change_status(pain_point, to_status=PainPointStatus.CLOSED, actor=actor, note=note)


@transaction.atomic
def pain_point_decline(*, pain_point: PainPoint, actor, reason: str) -> PainPoint:
    """IT says no, and why: the submitter reads the reason on the page and in the inbox."""
    PAIN_POINT.check(pain_point, actor, "decline", lock=lock, reason=reason)
    reason = reason.strip()
    return _change_status(
        pain_point, to_status=PainPointStatus.DECLINED, actor=actor, note=reason, decline_reason=reason
    )


@transaction.atomic
def pain_point_merge(*, pain_point: PainPoint, target: PainPoint, actor, note: str = "") -> PainPoint:
    """Merge a duplicate into `target`: its votes and watchers move over, and its submitter's
    voice becomes a vote on the target. The merged pain point becomes read-only and links there.
    """
    PAIN_POINT.require(pain_point, actor, "merge")
    if target is None:
        raise ValidationError({"target": "Choose the pain point to merge into."})
    if target.pk == pain_point.pk:
        raise ValidationError({"target": "A pain point cannot be merged into itself."})
    # Lock both rows in id order, so that two opposite merges cannot deadlock.
    for row in sorted((pain_point, target), key=lambda p: p.pk):
        lock(row)
    if target.status == PainPointStatus.MERGED:
        raise ValidationError({"target": "That pain point was itself merged; merge into the one it points to."})
    if target.status in FINAL_STATUSES:
        raise ValidationError({"target": "Merge only into a pain point that is not closed or declined."})
    if target.confidential and target.business_unit_id != pain_point.business_unit_id:
        raise ValidationError(
            {"target": "That pain point is confidential to another unit: the people following this one could not see it."}
        )
    PAIN_POINT.check_status(pain_point, "merge")

    already_voting = set(target.votes.values_list("user_id", flat=True))
    already_watching = set(target.watches.values_list("user_id", flat=True))
    voices = [vote.user_id for vote in pain_point.votes.all()]
    if pain_point.submitted_by_id:
        voices.append(pain_point.submitted_by_id)
    for vote in list(pain_point.votes.all()):
        vote.delete()
    for user_id in dict.fromkeys(voices):
        if user_id not in already_voting and user_id != target.submitted_by_id:
            Vote.objects.create(pain_point=target, user_id=user_id)
            already_voting.add(user_id)

    # Tell the merged one's followers that it moved, before they move to the target. The notice
    # never names the target: a stored title would outlive a later change that makes the target
    # confidential. The merged pain point's page names it, through for_user(), when it is read.
    body = "It continues in another pain point, linked from this one; your votes and watch moved there."
    _change_status(
        pain_point,
        to_status=PainPointStatus.MERGED,
        actor=actor,
        note=note or f"Merged into pain point #{target.pk}.",
        body=body,
        merged_into=target,
    )
    for watch in list(pain_point.watches.all()):
        if watch.user_id in already_watching:
            watch.delete()
        else:
            watch.pain_point = target
            watch.save()
            already_watching.add(watch.user_id)
    return pain_point


# --- Votes, watches and comments ----------------------------------------------------------------


@transaction.atomic
def pain_point_vote(*, pain_point: PainPoint, user) -> Vote:
    """Say "me too" on an open pain point, once."""
    lock(pain_point)
    if pain_point.status not in OPEN_STATUSES:
        label = PainPointStatus(pain_point.status).label.lower()
        raise ValidationError({"vote": f"This pain point is {label}: it takes no more votes."})
    if pain_point.submitted_by_id == user.pk:
        raise ValidationError({"vote": "You raised this pain point: your voice already counts."})
    if Vote.objects.filter(pain_point=pain_point, user=user).exists():
        raise ValidationError({"vote": "You already voted for this pain point."})
    vote = Vote(pain_point=pain_point, user=user)
    vote.save()
    if not Watch.objects.filter(pain_point=pain_point, user=user).exists():
        Watch.objects.create(pain_point=pain_point, user=user)
    return vote


@transaction.atomic
def pain_point_unvote(*, pain_point: PainPoint, user) -> None:
    lock(pain_point)
    if pain_point.is_read_only:
        raise ValidationError({"vote": "This pain point was merged; your vote moved to the one it was merged into."})
    vote = Vote.objects.filter(pain_point=pain_point, user=user).first()
    if vote is None:
        raise ValidationError({"vote": "You have not voted for this pain point."})
    vote.delete()


@transaction.atomic
def pain_point_watch(*, pain_point: PainPoint, user) -> Watch:
    if pain_point.is_read_only:
        raise ValidationError({"watch": "This pain point was merged; watch the one it was merged into."})
    watch, _ = Watch.objects.get_or_create(pain_point=pain_point, user=user)
    return watch


@transaction.atomic
def pain_point_unwatch(*, pain_point: PainPoint, user) -> None:
    for watch in Watch.objects.filter(pain_point=pain_point, user=user):
        watch.delete()


@transaction.atomic
def comment_add(*, pain_point: PainPoint, author, body: str) -> Comment:
    """Anyone who sees a pain point comments on it; an integration client only on its own source's."""
    if is_integration_client(author) and not is_it_staff(author) and not is_own_source(author, pain_point):
        raise PermissionDenied("An integration client comments only on the pain points of its own source.")
    if pain_point.is_read_only:
        raise ValidationError({"body": "This pain point was merged and is read-only; comment on the one it was merged into."})
    comment = Comment(pain_point=pain_point, author=author, body=(body or "").strip())
    comment.full_clean()
    comment.save()
    publish(
        "pain_point.commented",
        pain_point,
        actor=author,
        notice=Notice(
            recipients=_followers(pain_point, exclude=author),
            title=f"New comment on: {pain_point.title}",
            body=comment.body[:500],
        ),
    )
    return comment


# --- Evaluations ----------------------------------------------------------------------------------


@transaction.atomic
def evaluation_save(*, pain_point: PainPoint, actor, summary: str = "", plan: str = "", options: list[dict]) -> Evaluation:
    """Write (or rewrite) IT's evaluation: the options, each with pros, cons, rough cost and
    risk, at most one of them recommended, and the plan. The options given replace the old ones.
    """
    require_it(actor, "evaluate a pain point")
    lock(pain_point)
    if pain_point.status not in OPEN_STATUSES:
        label = PainPointStatus(pain_point.status).label.lower()
        raise ValidationError({"evaluation": f"This pain point is {label}: its evaluation can no longer change."})
    options = [dict(o) for o in options]
    if sum(1 for o in options if o.get("recommended")) > 1:
        raise ValidationError({"options": "Recommend one option only."})
    if pain_point.status == PainPointStatus.PLANNED and not any(o.get("recommended") for o in options):
        raise ValidationError({"options": "This pain point is planned: keep one option recommended."})
    for number, option in enumerate(options, start=1):
        if not str(option.get("title", "")).strip():
            raise ValidationError({"options": f"Option {number} needs a title."})
        if option.get("risk", Risk.MEDIUM) not in Risk.values:
            raise ValidationError({"options": f"Option {number}: choose a risk of low, medium or high."})
        cost = option.get("rough_cost")
        if cost not in (None, "") and Decimal(str(cost)) < 0:
            raise ValidationError({"options": f"Option {number}: a rough cost cannot be negative."})

    evaluation = Evaluation.objects.filter(pain_point=pain_point).first() or Evaluation(pain_point=pain_point)
    evaluation.summary = summary.strip()
    evaluation.plan = plan.strip()
    evaluation.evaluated_by = actor
    evaluation.full_clean()
    evaluation.save()
    for old in list(evaluation.options.all()):
        old.delete()
    for position, option in enumerate(options):
        cost = option.get("rough_cost")
        row = EvaluationOption(
            evaluation=evaluation,
            position=position,
            title=str(option["title"]).strip(),
            description=str(option.get("description", "")).strip(),
            pros=str(option.get("pros", "")).strip(),
            cons=str(option.get("cons", "")).strip(),
            rough_cost=None if cost in (None, "") else Decimal(str(cost)),
            risk=option.get("risk", Risk.MEDIUM),
            is_recommended=bool(option.get("recommended")),
        )
        row.full_clean()
        row.save()
    if pain_point.status == PainPointStatus.PLANNED and evaluation.plan:
        # The business reads the current plan.
        pain_point.plan_note = evaluation.plan
        pain_point.save()
    return evaluation
