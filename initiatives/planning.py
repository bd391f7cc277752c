"""Writes of an initiative's plan: its risks, milestones and expected benefits.

The same conventions as initiatives.services: atomic functions named <entity>_<action>(*, ...),
a refusal raises ValidationError before anything is written, a wrong role PermissionDenied.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Benefit, Initiative, Milestone, Risk
from .permissions import can_add_benefit, can_manage, require
from .workflow import lock, require_not_final, status_label


def _check_scale(values: dict) -> None:
    errors = {}
    for name in ("probability", "impact"):
        if name not in values:
            continue
        value = values[name]
        try:
            ok = value is not None and 1 <= int(value) <= 5 and int(value) == value
        except (TypeError, ValueError):
            ok = False
        if not ok:
            errors[name] = f"The {name} goes from 1 to 5."
    if errors:
        raise ValidationError(errors)


def _clean_and_save(obj, original: dict | None = None):
    try:
        obj.full_clean()
    except ValidationError:
        for name, value in (original or {}).items():
            setattr(obj, name, value)
        raise
    obj.save()
    return obj


@transaction.atomic
def risk_add(*, initiative: Initiative, actor, description: str, probability: int, impact: int, mitigation: str = "", owner=None) -> Risk:
    require(can_manage(actor), "Only IT staff can record risks.")
    _check_scale({"probability": probability, "impact": impact})
    lock(initiative)
    require_not_final(initiative, "the risk register")
    risk = Risk(
        initiative=initiative,
        description=(description or "").strip(),
        probability=probability,
        impact=impact,
        mitigation=(mitigation or "").strip(),
        owner=owner,
    )
    return _clean_and_save(risk)


RISK_FIELDS = ("description", "probability", "impact", "mitigation", "owner")


@transaction.atomic
def risk_update(*, risk: Risk, actor, **changes) -> Risk:
    require(can_manage(actor), "Only IT staff can change risks.")
    unknown = set(changes) - set(RISK_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    _check_scale(changes)
    require_not_final(lock(risk.initiative), "the risk register")
    original = {name: getattr(risk, name) for name in changes}
    for name, value in changes.items():
        setattr(risk, name, value)
    return _clean_and_save(risk, original)


@transaction.atomic
def risk_delete(*, risk: Risk, actor) -> None:
    require(can_manage(actor), "Only IT staff can remove risks.")
    require_not_final(lock(risk.initiative), "the risk register")
    risk.delete()


@transaction.atomic
def milestone_add(*, initiative: Initiative, actor, title: str, due_on) -> Milestone:
    require(can_manage(actor), "Only IT staff can plan milestones.")
    lock(initiative)
    require_not_final(initiative, "planning")
    if due_on is None:
        raise ValidationError({"due_on": "Give the milestone a due date."})
    return _clean_and_save(Milestone(initiative=initiative, title=(title or "").strip(), due_on=due_on))


@transaction.atomic
def milestone_update(*, milestone: Milestone, actor, **changes) -> Milestone:
    require(can_manage(actor), "Only IT staff can change milestones.")
    unknown = set(changes) - {"title", "due_on"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    require_not_final(lock(milestone.initiative), "planning")
    original = {name: getattr(milestone, name) for name in changes}
    for name, value in changes.items():
        setattr(milestone, name, value)
    return _clean_and_save(milestone, original)


@transaction.atomic
def milestone_mark_done(*, milestone: Milestone, actor, done_on=None) -> Milestone:
    require(can_manage(actor), "Only IT staff can complete milestones.")
    require_not_final(lock(milestone.initiative), "planning")
    if milestone.done_on is not None:
        raise ValidationError({"done_on": "This milestone is already done."})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "A milestone cannot be done in the future."})
    milestone.done_on = done_on
    return _clean_and_save(milestone)


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor) -> None:
    require(can_manage(actor), "Only IT staff can remove milestones.")
    require_not_final(lock(milestone.initiative), "planning")
    milestone.delete()


@transaction.atomic
def benefit_add(*, initiative: Initiative, actor, description: str, expected_amount=None) -> Benefit:
    """IT or the sponsor records a benefit expected of the initiative (before delivery)."""
    require(can_add_benefit(actor, initiative), "Only IT staff or the sponsor can record expected benefits.")
    lock(initiative)
    if not initiative.is_open:
        raise ValidationError(
            {"status": f"The initiative is {status_label(initiative.status)}: expected benefits are set before delivery."}
        )
    if expected_amount not in (None, "") and Decimal(str(expected_amount)) < 0:
        raise ValidationError({"expected_amount": "An expected amount cannot be negative."})
    benefit = Benefit(
        initiative=initiative,
        description=(description or "").strip(),
        expected_amount=None if expected_amount in (None, "") else Decimal(str(expected_amount)),
    )
    return _clean_and_save(benefit)


@transaction.atomic
def benefit_delete(*, benefit: Benefit, actor) -> None:
    require(can_add_benefit(actor, benefit.initiative), "Only IT staff or the sponsor can remove expected benefits.")
    if not lock(benefit.initiative).is_open:
        raise ValidationError({"status": "Expected benefits are set before delivery."})
    benefit.delete()
