"""Writes of the initiatives app: atomic functions named <entity>_<action>(*, ...).

Pages, the API and demo data change initiatives only through these functions, so each rule
lives here once. A refusal raises `ValidationError({"field": "message"})` before anything is
written; an actor without the right role gets `PermissionDenied`.

Who does what:
- IT staff (and the CIO) create, edit, propose and evaluate initiatives, record risks,
  milestones and expected benefits, start, deliver and cancel;
- the business sponsor comments, confirms the business case, may accept the risk of failure,
  adds expected benefits and may record the benefits review;
- the CIO approves, rejects and accepts the risk of failure.
Approving an initiative plans its linked pain points through the listening app's service.

Outbound webhook events (queued after the commit, for subscribers who may see the initiative):
`initiative.approved` when the CIO approves, `initiative.delivered` when IT delivers.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from listening.models import PainPoint
from listening.services import pain_point_mark_planned
from partnership.events import Notice, followers, publish
from partnership.roles import is_business_manager, is_cio, is_it_staff

from .choices import (
    KIND_OF_STATUS,
    AcceptedAs,
    DecisionKind,
    InitiativeStatus,
    Origin,
)
from .models import DecisionRecord, Initiative, InitiativeComment, RiskAcceptance
from .payloads import initiative_payload
from .permissions import can_accept_risk, can_manage, is_sponsor, require
from .workflow import (
    INITIATIVE,
    highest_risk_score,
    lock,
    missing_risk_acceptance,
    require_not_final,
    status_label,
)

# The fields IT may set when creating or editing (the status changes only by transitions).
EDITABLE_FIELDS = (
    "title",
    "problem",
    "proposal",
    "alternative_considered",
    "origin",
    "sponsor",
    "it_owner",
    "business_units",
    "pain_points",
    "one_off_cost",
    "yearly_running_cost",
    "fte",
    "start_date",
    "target_date",
)
M2M_FIELDS = ("business_units", "pain_points")
# A change of any of these after the sponsor confirmed the business case asks for a new confirmation.
BUSINESS_CASE_FIELDS = ("problem", "proposal", "one_off_cost", "yearly_running_cost", "fte", "target_date")


# --- Helpers ------------------------------------------------------------------------------------


def _record(initiative: Initiative, *, kind: str, actor, note: str = "", from_status="", to_status="") -> DecisionRecord:
    record = DecisionRecord(
        initiative=initiative,
        at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    record.save()
    return record


def _people(initiative: Initiative, *, exclude=None) -> list:
    """The sponsor and the IT owner, without the person who caused the change."""
    return followers([initiative.sponsor, initiative.it_owner], exclude=exclude)


def _publish(
    initiative: Initiative, *, kind: str, title: str, body: str = "", actor=None, recipients=None, previous_status=None
) -> None:
    """One domain event `initiative.<kind>`: the inbox of the sponsor and the owner (or of
    `recipients`), and the webhook of that name when there is one (approved, delivered)."""
    publish(
        f"initiative.{kind}",
        initiative,
        actor=actor,
        payload=lambda: initiative_payload(initiative, previous_status=previous_status or initiative.status),
        notice=Notice(
            recipients=_people(initiative, exclude=actor) if recipients is None else recipients,
            title=f"{title}: {initiative.title}",
            body=body,
        ),
    )


def _change_status(initiative: Initiative, *, to_status: str, actor, note: str = "", **fields) -> Initiative:
    """Move the initiative, write its decision record and publish `initiative.<status>`."""
    from_status = initiative.status
    initiative.status = to_status
    initiative.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    initiative.save()
    _record(
        initiative, kind=KIND_OF_STATUS[to_status], actor=actor, note=note, from_status=from_status, to_status=to_status
    )
    _publish(
        initiative,
        kind=to_status,
        title=f"Initiative {status_label(to_status)}",
        body=note,
        actor=actor,
        previous_status=from_status,
    )
    return initiative


def _check_people(*, sponsor, it_owner) -> None:
    errors = {}
    if sponsor is not None and not is_business_manager(sponsor):
        errors["sponsor"] = "The sponsor is a business manager."
    if it_owner is not None and not is_it_staff(it_owner):
        errors["it_owner"] = "The IT owner is a member of IT staff or the CIO."
    if errors:
        raise ValidationError(errors)


def _check_money(values: dict) -> None:
    errors = {}
    for name in ("one_off_cost", "yearly_running_cost", "fte"):
        value = values.get(name)
        if value is not None and Decimal(str(value)) < 0:
            errors[name] = "Cannot be negative."
    if errors:
        raise ValidationError(errors)


def _default_units(*, sponsor, pain_points) -> list:
    units = {p.business_unit_id: p.business_unit for p in pain_points}
    if sponsor is not None and sponsor.business_unit_id:
        units.setdefault(sponsor.business_unit_id, sponsor.business_unit)
    return list(units.values())


# --- Creating and editing -------------------------------------------------------------------


@transaction.atomic
def initiative_create(
    *,
    actor,
    title: str,
    problem: str,
    proposal: str,
    origin: str = Origin.IT_PROPOSED,
    alternative_considered: str = "",
    sponsor=None,
    it_owner=None,
    business_units=(),
    pain_points=(),
    one_off_cost: Decimal | int | str = Decimal("0"),
    yearly_running_cost: Decimal | int | str = Decimal("0"),
    fte: Decimal | int | str = Decimal("0"),
    start_date=None,
    target_date=None,
    propose: bool = False,
) -> Initiative:
    """IT records an initiative as an idea (or proposes it right away with `propose=True`).

    The business units default to those of the linked pain points and the sponsor's unit.
    """
    require(can_manage(actor), "Only IT staff can create initiatives.")
    pain_points = list(pain_points or [])
    business_units = list(business_units or []) or _default_units(sponsor=sponsor, pain_points=pain_points)
    it_owner = it_owner or actor
    _check_people(sponsor=sponsor, it_owner=it_owner)
    values = {"one_off_cost": one_off_cost, "yearly_running_cost": yearly_running_cost, "fte": fte}
    _check_money(values)
    if origin == Origin.PAIN_POINTS and not pain_points:
        raise ValidationError({"pain_points": "An initiative from pain points links at least one pain point."})
    now = timezone.now()
    initiative = Initiative(
        title=(title or "").strip(),
        problem=(problem or "").strip(),
        proposal=(proposal or "").strip(),
        alternative_considered=(alternative_considered or "").strip(),
        origin=origin,
        sponsor=sponsor,
        it_owner=it_owner,
        one_off_cost=Decimal(str(one_off_cost or 0)),
        yearly_running_cost=Decimal(str(yearly_running_cost or 0)),
        fte=Decimal(str(fte or 0)),
        start_date=start_date,
        target_date=target_date,
        status=InitiativeStatus.IDEA,
        status_changed_at=now,
        created_by=actor,
    )
    initiative.full_clean()
    initiative.save()
    initiative.business_units.set(business_units)
    initiative.pain_points.set(pain_points)
    _record(initiative, kind=DecisionKind.CREATED, actor=actor, to_status=InitiativeStatus.IDEA)
    if propose:
        initiative_propose(initiative=initiative, actor=actor)
    return initiative


@transaction.atomic
def initiative_update(*, initiative: Initiative, actor, **changes) -> Initiative:
    """IT edits an initiative. A change of the business case after the sponsor confirmed it
    withdraws the confirmation (the sponsor is told and confirms again)."""
    require(can_manage(actor), "Only IT staff can edit initiatives.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    lock(initiative)
    require_not_final(initiative, "editing")
    _check_people(
        sponsor=changes.get("sponsor", initiative.sponsor), it_owner=changes.get("it_owner", initiative.it_owner)
    )
    _check_money(changes)
    m2m = {name: list(changes.pop(name)) for name in M2M_FIELDS if name in changes}
    origin = changes.get("origin", initiative.origin)
    pain_points = m2m["pain_points"] if "pain_points" in m2m else list(initiative.pain_points.all())
    if origin == Origin.PAIN_POINTS and not pain_points:
        raise ValidationError({"pain_points": "An initiative from pain points links at least one pain point."})
    original = {name: getattr(initiative, name) for name in changes}
    for name, value in changes.items():
        if name in ("one_off_cost", "yearly_running_cost", "fte") and value is not None:
            value = Decimal(str(value))
        setattr(initiative, name, value)
    try:
        initiative.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(initiative, name, value)
        raise
    changed_case = [name for name in BUSINESS_CASE_FIELDS if name in original and original[name] != getattr(initiative, name)]
    withdraw = initiative.business_case_confirmed and initiative.is_undecided and changed_case
    if withdraw:
        initiative.business_case_confirmed_at = None
        initiative.business_case_confirmed_by = None
    initiative.save()
    for name, values in m2m.items():
        getattr(initiative, name).set(values)
    if withdraw:
        labels = ", ".join(Initiative._meta.get_field(n).verbose_name for n in changed_case)
        _record(initiative, kind=DecisionKind.BUSINESS_CASE_CHANGED, actor=actor, note=f"Changed: {labels}.")
        _publish(
            initiative,
            kind="business_case_changed",
            title="Please confirm the business case again",
            body=f"IT changed {labels} after you confirmed the business case.",
            actor=actor,
            recipients=[initiative.sponsor],
        )
    return initiative


# --- The workflow -----------------------------------------------------------------------------


@transaction.atomic
def initiative_propose(*, initiative: Initiative, actor, note: str = "") -> Initiative:
    """IT puts the initiative up for a decision: it needs a sponsor and a target date."""
    INITIATIVE.check(initiative, actor, "propose", lock=lock)
    errors = {}
    if initiative.sponsor_id is None:
        errors["sponsor"] = "Name a business sponsor before proposing: the sponsor confirms the business case."
    if initiative.target_date is None:
        errors["target_date"] = "Set a target date before proposing."
    if initiative.origin == Origin.PAIN_POINTS and not initiative.pain_points.exists():
        errors["pain_points"] = "An initiative from pain points links at least one pain point."
    if errors:
        raise ValidationError(errors)
    return _change_status(
        initiative, to_status=InitiativeStatus.PROPOSED, actor=actor, note=note, proposed_at=timezone.now()
    )


@transaction.atomic
def initiative_evaluate(*, initiative: Initiative, actor, note: str = "") -> Initiative:
    """IT starts the evaluation: costs, risks, the alternative, the schedule."""
    INITIATIVE.check(initiative, actor, "evaluate", lock=lock)
    return _change_status(initiative, to_status=InitiativeStatus.EVALUATING, actor=actor, note=note)


@transaction.atomic
def initiative_accept_risk(*, initiative: Initiative, actor, statement: str) -> RiskAcceptance:
    """The CIO or the sponsor accepts the risk of failure, in their own words."""
    require(can_accept_risk(actor, initiative), "Only the CIO or the initiative's sponsor can accept its risk.")
    lock(initiative)
    if not initiative.is_undecided:
        raise ValidationError(
            {"status": f"The initiative is {status_label(initiative.status)}: risk is accepted before the decision."}
        )
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": "Write the statement: which risk you accept, and why it is worth it."})
    top = highest_risk_score(initiative)
    if top is None:
        raise ValidationError({"risks": "Record the risks first: there is no risk to accept yet."})
    acceptance = RiskAcceptance(
        initiative=initiative,
        accepted_by=actor,
        accepted_as=AcceptedAs.CIO if is_cio(actor) and not is_sponsor(actor, initiative) else AcceptedAs.SPONSOR,
        accepted_at=timezone.now(),
        statement=statement,
        highest_score=top,
    )
    acceptance.full_clean()
    acceptance.save()
    _record(
        initiative,
        kind=DecisionKind.RISK_ACCEPTED,
        actor=actor,
        note=f"As {acceptance.get_accepted_as_display()}, up to risk score {top}: {statement}",
    )
    _publish(initiative, kind="risk_accepted", title="Risk of failure accepted", body=statement, actor=actor)
    return acceptance


@transaction.atomic
def initiative_approve(*, initiative: Initiative, actor, note: str = "") -> Initiative:
    """The CIO says "YES". A risk at or above the threshold needs an acceptance first. The
    linked pain points are planned through the listening app's service."""
    INITIATIVE.check(initiative, actor, "approve", lock=lock)
    top = missing_risk_acceptance(initiative)
    if top is not None:
        raise ValidationError(
            {
                "risk_acceptance": (
                    f"A risk scores {top} (the threshold is {settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD}): "
                    "the CIO or the sponsor must accept the risk of failure before approval."
                )
            }
        )
    now = timezone.now()
    _change_status(initiative, to_status=InitiativeStatus.APPROVED, actor=actor, note=note, decided_at=now)
    plan_note = f"Planned by the approved initiative “{initiative.title}”."
    # A fresh query, never a prefetched (possibly narrowed) list: every linked pain point is planned.
    for pain_point in PainPoint.objects.filter(initiatives=initiative).order_by("pk"):
        pain_point_mark_planned(pain_point=pain_point, actor=actor, note=plan_note)
    return initiative


@transaction.atomic
def initiative_reject(*, initiative: Initiative, actor, reason: str) -> Initiative:
    """The CIO says no, and why: the sponsor and the owner read the reason."""
    INITIATIVE.check(initiative, actor, "reject", lock=lock, reason=reason)
    reason = reason.strip()
    return _change_status(
        initiative,
        to_status=InitiativeStatus.REJECTED,
        actor=actor,
        note=reason,
        decided_at=timezone.now(),
        closing_reason=reason,
    )


@transaction.atomic
def initiative_start(*, initiative: Initiative, actor, note: str = "") -> Initiative:
    """IT starts the work of an approved initiative: the start date becomes the actual start,
    today, unless the planned start is earlier (work begun before it was recorded)."""
    INITIATIVE.check(initiative, actor, "start", lock=lock)
    today = timezone.localdate()
    start = min(initiative.start_date, today) if initiative.start_date else today
    if initiative.target_date and initiative.target_date < start:
        raise ValidationError({"target_date": "The target date is before today's start: move the target date first."})
    return _change_status(initiative, to_status=InitiativeStatus.IN_PROGRESS, actor=actor, note=note, start_date=start)


@transaction.atomic
def initiative_deliver(*, initiative: Initiative, actor, delivered_on=None, note: str = "") -> Initiative:
    """IT delivers an initiative in progress (on `delivered_on`, today by default)."""
    INITIATIVE.check(initiative, actor, "deliver", lock=lock)
    delivered_on = delivered_on or timezone.localdate()
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": "The delivery date cannot be in the future."})
    # An initiative in progress started by today at the latest: a later start date is a planned
    # one that was never corrected (started before start moved it), and gives way to the delivery.
    started = initiative.start_date
    if started and started > timezone.localdate():
        started = delivered_on
    if started and delivered_on < started:
        raise ValidationError({"delivered_on": f"It cannot be delivered before it started ({started:%Y-%m-%d})."})
    _change_status(
        initiative, to_status=InitiativeStatus.DELIVERED, actor=actor, note=note, delivered_on=delivered_on, start_date=started
    )
    return initiative


@transaction.atomic
def initiative_review_benefits(*, initiative: Initiative, actor, realised: list[dict], summary: str = "") -> Initiative:
    """After delivery: what each expected benefit became. `realised` is a list of
    {"benefit": <id>, "realised": "text", "realised_amount": Decimal or None}, one per expected benefit."""
    INITIATIVE.check(initiative, actor, "review-benefits", lock=lock)
    benefits = {b.pk: b for b in initiative.benefits.all()}
    given = {}
    for row in realised or []:
        benefit_id = getattr(row.get("benefit"), "pk", row.get("benefit"))
        if benefit_id not in benefits:
            raise ValidationError({"realised": f"Benefit #{benefit_id} is not one of this initiative's."})
        given[benefit_id] = row
    summary = (summary or "").strip()
    if not benefits and not summary:
        raise ValidationError({"summary": "No benefit was expected: say in the summary what the initiative brought."})
    missing = [b.description[:60] for pk, b in benefits.items() if not (given.get(pk, {}).get("realised") or "").strip()]
    if missing:
        raise ValidationError({"realised": f"Say what was realised for each expected benefit; missing: {'; '.join(missing)}."})
    now = timezone.now()
    for pk, benefit in benefits.items():
        row = given[pk]
        amount = row.get("realised_amount")
        if amount is not None and amount != "" and Decimal(str(amount)) < 0:
            raise ValidationError({"realised_amount": "A realised amount cannot be negative."})
        benefit.realised = row["realised"].strip()
        benefit.realised_amount = None if amount in (None, "") else Decimal(str(amount))
        benefit.reviewed_at = now
        benefit.full_clean()
        benefit.save()
    return _change_status(
        initiative,
        to_status=InitiativeStatus.BENEFITS_REVIEWED,
        actor=actor,
        note=summary,
        benefits_review_summary=summary,
    )


@transaction.atomic
def initiative_cancel(*, initiative: Initiative, actor, reason: str) -> Initiative:
    """IT stops an initiative before delivery; a reason is required."""
    INITIATIVE.check(initiative, actor, "cancel", lock=lock, reason=reason)
    reason = reason.strip()
    return _change_status(
        initiative, to_status=InitiativeStatus.CANCELLED, actor=actor, note=reason, closing_reason=reason
    )


# --- The sponsor -----------------------------------------------------------------------------


@transaction.atomic
def initiative_confirm_business_case(*, initiative: Initiative, actor, note: str = "") -> Initiative:
    """The sponsor confirms the business case (problem, proposal, costs, schedule) before the decision."""
    require(is_sponsor(actor, initiative), "Only the initiative's sponsor can confirm its business case.")
    lock(initiative)
    if not initiative.is_undecided:
        raise ValidationError(
            {"status": f"The initiative is {status_label(initiative.status)}: the business case is confirmed before the decision."}
        )
    if initiative.business_case_confirmed:
        raise ValidationError({"business_case": "You already confirmed this business case."})
    initiative.business_case_confirmed_at = timezone.now()
    initiative.business_case_confirmed_by = actor
    initiative.save()
    _record(initiative, kind=DecisionKind.BUSINESS_CASE_CONFIRMED, actor=actor, note=note.strip())
    _publish(initiative, kind="business_case_confirmed", title="Business case confirmed", body=note, actor=actor)
    return initiative


@transaction.atomic
def comment_add(*, initiative: Initiative, author, body: str) -> InitiativeComment:
    """Anyone who sees the initiative may comment; the sponsor and the owner are told."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    comment = InitiativeComment(initiative=initiative, author=author, body=body)
    comment.full_clean()
    comment.save()
    _publish(initiative, kind="comment", title=f"{author} commented", body=body[:500], actor=author)
    return comment
