"""Writes of the revenue app: atomic functions named <entity>_<action>(*, ...).

Every refusal raises a ValidationError naming the field and changes nothing. Who may move a
project is declared with its workflow (revenue/workflow.py, predicates in revenue/permissions.py)
and guarded here, so pages, API and any other caller answer the same way.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from partnership.events import Notice, followers, publish
from partnership.roles import is_it_staff

from .choices import Stage
from .figures import CENT, add_months, month_start
from .models import RevenueEntry, RevenueProject, RevenueStageChange
from .payloads import revenue_project_payload
from .permissions import is_eligible_acceptor
from .workflow import REVENUE_PROJECT

MONEY_FIELDS = {
    "investment": "investment",
    "yearly_running_cost": "yearly running cost",
    "expected_yearly_revenue": "expected yearly revenue",
}
PROJECT_FIELDS = (
    "name",
    "category",
    "description",
    "it_sponsor",
    "it_lead",
    "investment",
    "yearly_running_cost",
    "expected_yearly_revenue",
    "revenue_expected_from",
)


# --- Helpers -------------------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _money_errors(values: dict) -> dict:
    errors = {}
    for name, label in MONEY_FIELDS.items():
        if name not in values:
            continue
        value = values[name]
        if value is None:
            errors[name] = f"Enter the {label} (0 if there is none)."
            continue
        try:
            value = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            errors[name] = f"Enter the {label} as a number."
            continue
        if value < 0:
            errors[name] = f"The {label} cannot be negative."
        elif value != value.quantize(CENT):
            errors[name] = f"Enter the {label} with at most two decimals."
    return errors


def _change_date_errors(project: RevenueProject, on: datetime.date) -> dict:
    if on > _today():
        return {"on": "A stage change cannot be dated in the future."}
    if on < project.stage_changed_on:
        return {
            "on": f"The project entered {project.get_stage_display()} on {project.stage_changed_on:%Y-%m-%d}; "
            "date the change on or after that day."
        }
    return {}


def _stakeholders(project: RevenueProject, actor) -> list:
    return followers([project.it_sponsor, project.it_lead, *project.business_partners.all()], exclude=actor)


def _publish(project: RevenueProject, actor, kind: str, title: str, body: str, *, event: str = "", previous_stage="") -> None:
    """One domain event: `event` (the notice's `kind` unless given) with the stakeholders' inbox
    entry; a stage change carries the webhook payload."""
    publish(
        event or kind,
        project,
        actor=actor,
        payload=lambda: revenue_project_payload(project, previous_stage=previous_stage),
        notice=Notice(recipients=_stakeholders(project, actor), kind=kind, title=title, body=body),
    )


def _record_change(project, from_stage, to_stage, on, actor, note=""):
    change = RevenueStageChange(
        project=project, from_stage=from_stage, to_stage=to_stage, changed_on=on, changed_by=actor, note=note
    )
    change.full_clean()
    change.save()
    return change


def _check_people(it_sponsor, it_lead, business_units) -> dict:
    errors = {}
    if it_sponsor is None:
        errors["it_sponsor"] = "Name the IT sponsor."
    elif not is_it_staff(it_sponsor):
        errors["it_sponsor"] = "The IT sponsor must be a member of IT staff or the CIO."
    if it_lead is not None and not is_it_staff(it_lead):
        errors["it_lead"] = "The IT lead must be a member of IT staff or the CIO."
    if business_units is not None and not list(business_units):
        errors["business_units"] = "Name at least one business unit the project makes money with."
    return errors


# --- Projects -------------------------------------------------------------------------------------


@transaction.atomic
def revenue_project_create(
    *,
    name: str,
    it_sponsor,
    business_units,
    actor,
    category: str = "other",
    description: str = "",
    it_lead=None,
    business_partners=(),
    investment=Decimal("0"),
    yearly_running_cost=Decimal("0"),
    expected_yearly_revenue=Decimal("0"),
    revenue_expected_from: datetime.date | None = None,
    identified_on: datetime.date | None = None,
) -> RevenueProject:
    """Record a revenue idea IT has identified; it starts in the identify stage."""
    business_units = list(business_units)
    identified_on = identified_on or _today()
    errors = {
        **_money_errors(
            {
                "investment": investment,
                "yearly_running_cost": yearly_running_cost,
                "expected_yearly_revenue": expected_yearly_revenue,
            }
        ),
        **_check_people(it_sponsor, it_lead, business_units),
    }
    if identified_on > _today():
        errors["identified_on"] = "A project cannot be identified in the future."
    if errors:
        raise ValidationError(errors)
    project = RevenueProject(
        name=name,
        category=category,
        description=description,
        it_sponsor=it_sponsor,
        it_lead=it_lead,
        investment=Decimal(investment).quantize(CENT),
        yearly_running_cost=Decimal(yearly_running_cost).quantize(CENT),
        expected_yearly_revenue=Decimal(expected_yearly_revenue).quantize(CENT),
        revenue_expected_from=month_start(revenue_expected_from) if revenue_expected_from else None,
        stage=Stage.IDENTIFY,
        stage_changed_on=identified_on,
    )
    project.full_clean()
    project.save()
    project.business_units.set(business_units)
    project.business_partners.set(list(business_partners))
    _record_change(project, "", Stage.IDENTIFY, identified_on, actor)
    _publish(
        project,
        actor,
        "revenue_project.identified",
        f"Revenue project identified: {project.name}",
        f"{actor or 'IT'} identified “{project.name}” as a way for IT to make money. You are named on it.",
    )
    return project


@transaction.atomic
def revenue_project_update(*, project: RevenueProject, actor, **changes) -> RevenueProject:
    """Edit a project's description, people and money. The stage moves only by its actions."""
    unknown = set(changes) - set(PROJECT_FIELDS) - {"business_units", "business_partners"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be edited here."))
    project = RevenueProject.objects.select_for_update().get(pk=project.pk)
    units = list(changes.pop("business_units")) if "business_units" in changes else None
    partners = list(changes.pop("business_partners")) if "business_partners" in changes else None
    errors = {
        **_money_errors(changes),
        **_check_people(
            changes.get("it_sponsor", project.it_sponsor),
            changes.get("it_lead", project.it_lead),
            units,
        ),
    }
    if errors:
        raise ValidationError(errors)
    for name in MONEY_FIELDS:
        if name in changes:
            changes[name] = Decimal(changes[name]).quantize(CENT)
    if changes.get("revenue_expected_from"):
        changes["revenue_expected_from"] = month_start(changes["revenue_expected_from"])
    for name, value in changes.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if units is not None:
        project.business_units.set(units)
    if partners is not None:
        project.business_partners.set(partners)
    return project


@transaction.atomic
def revenue_project_advance(
    *, project: RevenueProject, actor, to_stage: str | None = None, on: datetime.date | None = None, note: str = ""
) -> RevenueProject:
    """Move a project to its next stage. No stage is skipped, and execute needs the business
    acceptance first."""
    REVENUE_PROJECT.require(project, actor, "advance")
    project = RevenueProject.objects.select_for_update().get(pk=project.pk)
    on = on or _today()
    following = REVENUE_PROJECT.check_status(project, "advance")
    if to_stage and to_stage != following:
        if to_stage not in Stage.values:
            raise ValidationError({"stage": f"“{to_stage}” is not a stage."})
        raise ValidationError(
            {
                "stage": f"A project moves one stage at a time: from {project.get_stage_display()} the next stage "
                f"is {Stage(following).label}, not {Stage(to_stage).label}."
            }
        )
    if following == Stage.EXECUTE and not project.is_accepted:
        raise ValidationError(
            {"stage": "Record the business acceptance (who, when and their statement) before moving to execute."}
        )
    errors = _change_date_errors(project, on)
    if not errors and following == Stage.EXECUTE and on < project.accepted_on:
        errors = {"on": f"Execution cannot start before the business acceptance of {project.accepted_on:%Y-%m-%d}."}
    if errors:
        raise ValidationError(errors)

    previous = project.stage
    project.stage = following
    project.stage_changed_on = on
    if following == Stage.EXECUTE and project.executed_on is None:
        project.executed_on = on
    project.full_clean()
    project.save()
    _record_change(project, previous, following, on, actor, note)
    _publish(
        project,
        actor,
        "revenue_project.stage_changed",
        f"{project.name} moved to {project.get_stage_display()}",
        f"{actor or 'IT'} moved “{project.name}” from {Stage(previous).label} to {project.get_stage_display()} "
        f"on {date_format(on)}.",
        previous_stage=previous,
    )
    return project


@transaction.atomic
def revenue_project_accept(
    *, project: RevenueProject, accepted_by, statement: str, actor, on: datetime.date | None = None
) -> RevenueProject:
    """Record the business acceptance: who accepted, when, and their statement."""
    project = RevenueProject.objects.select_for_update().get(pk=project.pk)
    on = on or _today()
    if project.is_accepted:
        raise ValidationError(
            {
                "accepted_by": f"The business acceptance is already recorded ({project.accepted_by} on "
                f"{project.accepted_on:%Y-%m-%d})."
            }
        )
    if project.stage != Stage.ACCEPTANCE:
        raise ValidationError(
            {
                "stage": "The business acceptance is recorded while the project is in Acceptance "
                f"(it is in {project.get_stage_display()})."
            }
        )
    errors = {}
    if accepted_by is None:
        errors["accepted_by"] = "Name the business manager who accepted the project."
    elif not is_eligible_acceptor(project, accepted_by):
        errors["accepted_by"] = (
            "The acceptance must come from a business partner of the project or a business manager of one of its units."
        )
    if not (statement or "").strip():
        errors["statement"] = "Write down what the business accepted (their statement)."
    errors.update(_change_date_errors(project, on))
    if errors:
        raise ValidationError(errors)
    project.accepted_by = accepted_by
    project.accepted_on = on
    project.acceptance_statement = statement.strip()
    project.full_clean()
    project.save()
    _publish(
        project,
        actor,
        "revenue_project.accepted",
        f"{project.name} accepted by the business",
        f"{accepted_by} accepted “{project.name}” on {date_format(on)}: {project.acceptance_statement}",
    )
    return project


@transaction.atomic
def revenue_project_abandon(
    *, project: RevenueProject, reason: str, actor, on: datetime.date | None = None
) -> RevenueProject:
    """Stop a project, from any stage, with a reason."""
    REVENUE_PROJECT.require(project, actor, "abandon")
    project = RevenueProject.objects.select_for_update().get(pk=project.pk)
    on = on or _today()
    REVENUE_PROJECT.check_status(project, "abandon")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Say why the project is abandoned."
    errors.update(_change_date_errors(project, on))
    if errors:
        raise ValidationError(errors)
    previous = project.stage
    project.stage = Stage.ABANDONED
    project.stage_changed_on = on
    project.abandoned_reason = reason.strip()
    project.full_clean()
    project.save()
    _record_change(project, previous, Stage.ABANDONED, on, actor, project.abandoned_reason)
    _publish(
        project,
        actor,
        "revenue_project.abandoned",
        f"{project.name} abandoned",
        f"{actor or 'IT'} abandoned “{project.name}” (was in {Stage(previous).label}): {project.abandoned_reason}",
        event="revenue_project.stage_changed",
        previous_stage=previous,
    )
    return project


# --- Revenue entries ----------------------------------------------------------------------------


def _amount_errors(amount) -> dict:
    if amount is None or amount == "":
        return {"amount": "Enter the amount realised in the month (negative for refunds)."}
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return {"amount": "Enter the amount as a number."}
    if not amount.is_finite():
        return {"amount": "Enter the amount as a number."}
    if amount != amount.quantize(CENT):
        return {"amount": "Enter the amount with at most two decimals."}
    return {}


@transaction.atomic
def revenue_entry_create(
    *, project: RevenueProject, month: datetime.date, amount, actor, note: str = ""
) -> RevenueEntry:
    """Record the revenue a project realised in a month (one entry per project and month)."""
    errors = _amount_errors(amount)
    if month is None:
        errors["month"] = "Enter the month."
    else:
        month = month_start(month)
        latest = add_months(_today(), 1)
        if month > latest:
            errors["month"] = f"Revenue can be recorded up to next month ({latest:%Y-%m}), not for {month:%Y-%m}."
        elif RevenueEntry.objects.filter(project=project, month=month).exists():
            errors["month"] = f"Revenue for {month:%Y-%m} is already recorded for this project; correct that entry."
    if errors:
        raise ValidationError(errors)
    entry = RevenueEntry(
        project=project, month=month, amount=Decimal(amount).quantize(CENT), note=note, recorded_by=actor
    )
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        # Two people recording the same month at once: the unique constraint decides.
        raise ValidationError(
            {"month": f"Revenue for {month:%Y-%m} is already recorded for this project; correct that entry."}
        ) from exc
    return entry


@transaction.atomic
def revenue_entry_update(*, entry: RevenueEntry, amount, actor, note: str | None = None) -> RevenueEntry:
    """Correct an entry's amount or note; the audit trail keeps the previous values."""
    errors = _amount_errors(amount)
    if errors:
        raise ValidationError(errors)
    entry.amount = Decimal(amount).quantize(CENT)
    if note is not None:
        entry.note = note
    entry.full_clean(validate_constraints=False)
    entry.save()
    return entry


@transaction.atomic
def revenue_entry_delete(*, entry: RevenueEntry, actor) -> None:
    """Remove an entry recorded by mistake (the audit trail keeps it)."""
    entry.delete()
