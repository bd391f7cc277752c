"""Stage rules, acceptance, abandonment and revenue entries: every transition and every refusal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnership.models import AuditLogEntry
from partnership.notifications.models import Notification
from revenue import services
from revenue.choices import Stage
from revenue.figures import add_months
from revenue.models import RevenueEntry, RevenueProject

from .factories import identify, walk_to

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def refused(call, field, text):
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.message_dict
    assert field in errors, errors
    assert text in " ".join(errors[field]), errors
    return errors


def unchanged(project):
    """The project as stored, to compare with its state before a refusal."""
    fresh = RevenueProject.objects.get(pk=project.pk)
    return (fresh.stage, fresh.stage_changed_on, fresh.executed_on, fresh.accepted_by_id, fresh.stage_changes.count())


def test_identifying_a_project_starts_it_in_identify_with_a_history_row_and_tells_the_partners(ivan, carla, alice, sales):
    project = identify(actor=ivan, units=[sales], partners=[alice], it_sponsor=carla, it_lead=ivan)
    assert project.stage == Stage.IDENTIFY
    assert project.stage_changed_on == TODAY()
    assert [(c.from_stage, c.to_stage, c.changed_by) for c in project.stage_changes.all()] == [("", "identify", ivan)]
    notified = set(Notification.objects.filter(kind="revenue_project.identified").values_list("recipient__username", flat=True))
    assert notified == {"alice", "carla"}  # not ivan, who did it


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"investment": Decimal("-1")}, "investment", "cannot be negative"),
        ({"yearly_running_cost": Decimal("-0.01")}, "yearly_running_cost", "cannot be negative"),
        ({"expected_yearly_revenue": Decimal("-5")}, "expected_yearly_revenue", "cannot be negative"),
        ({"investment": Decimal("10.001")}, "investment", "at most two decimals"),
        ({"identified_on": datetime.date(2999, 1, 1)}, "identified_on", "future"),
    ],
)
def test_identifying_refuses_bad_money_and_dates(ivan, sales, fields, field, text):
    refused(lambda: identify(actor=ivan, units=[sales], **fields), field, text)
    assert not RevenueProject.objects.exists()


def test_the_it_sponsor_must_be_it_and_a_business_unit_is_required(ivan, alice, sales):
    refused(lambda: identify(actor=ivan, units=[sales], it_sponsor=alice), "it_sponsor", "IT staff")
    refused(lambda: identify(actor=ivan, units=[sales], it_lead=alice), "it_lead", "IT staff")
    refused(lambda: identify(actor=ivan, units=[]), "business_units", "at least one business unit")
    assert not RevenueProject.objects.exists()


def test_a_project_walks_every_stage_one_at_a_time_keeping_the_date_of_each_change(ivan, alice, sales):
    project = identify(actor=ivan, units=[sales], identified_on=TODAY() - datetime.timedelta(days=30))
    project = services.revenue_project_advance(project=project, actor=ivan, on=TODAY() - datetime.timedelta(days=20))
    assert project.stage == Stage.DEVELOP
    project = services.revenue_project_advance(project=project, actor=ivan, on=TODAY() - datetime.timedelta(days=10))
    assert project.stage == Stage.ACCEPTANCE
    project = services.revenue_project_accept(
        project=project, accepted_by=alice, statement="Sales accepts the pricing.", actor=ivan,
        on=TODAY() - datetime.timedelta(days=5),
    )
    assert (project.accepted_by, project.accepted_on) == (alice, TODAY() - datetime.timedelta(days=5))
    project = services.revenue_project_advance(project=project, actor=ivan, on=TODAY() - datetime.timedelta(days=2))
    assert project.stage == Stage.EXECUTE
    assert project.executed_on == TODAY() - datetime.timedelta(days=2)
    project = services.revenue_project_advance(project=project, actor=ivan, to_stage=Stage.SUPPORT)
    assert project.stage == Stage.SUPPORT
    assert project.executed_on == TODAY() - datetime.timedelta(days=2)  # reaching support keeps the execution date
    history = [(c.from_stage, c.to_stage, (TODAY() - c.changed_on).days) for c in project.stage_changes.all()]
    assert history == [
        ("", "identify", 30), ("identify", "develop", 20), ("develop", "acceptance", 10),
        ("acceptance", "execute", 2), ("execute", "support", 0),
    ]
    refused(lambda: services.revenue_project_advance(project=project, actor=ivan), "stage", "last stage")


def test_moving_to_execute_without_business_acceptance_is_refused(ivan, sales):
    project = walk_to(identify(actor=ivan, units=[sales]), Stage.ACCEPTANCE, actor=ivan)
    before = unchanged(project)
    refused(lambda: services.revenue_project_advance(project=project, actor=ivan), "stage", "business acceptance")
    assert unchanged(project) == before


@pytest.mark.parametrize("target", [Stage.ACCEPTANCE, Stage.EXECUTE, Stage.SUPPORT])
def test_skipping_a_stage_is_refused(ivan, sales, target):
    project = identify(actor=ivan, units=[sales])
    before = unchanged(project)
    refused(
        lambda: services.revenue_project_advance(project=project, actor=ivan, to_stage=target),
        "stage", "one stage at a time",
    )
    assert unchanged(project) == before


def test_an_unknown_target_stage_is_refused(ivan, sales):
    project = identify(actor=ivan, units=[sales])
    refused(lambda: services.revenue_project_advance(project=project, actor=ivan, to_stage="launch"), "stage", "not a stage")


def test_stage_changes_cannot_be_in_the_future_or_before_the_current_stage(ivan, sales):
    project = identify(actor=ivan, units=[sales], identified_on=TODAY() - datetime.timedelta(days=3))
    before = unchanged(project)
    refused(
        lambda: services.revenue_project_advance(project=project, actor=ivan, on=TODAY() + datetime.timedelta(days=1)),
        "on", "future",
    )
    refused(
        lambda: services.revenue_project_advance(project=project, actor=ivan, on=TODAY() - datetime.timedelta(days=4)),
        "on", "on or after",
    )
    assert unchanged(project) == before


def test_execution_cannot_be_dated_before_the_acceptance(ivan, alice, sales):
    project = identify(actor=ivan, units=[sales], identified_on=TODAY() - datetime.timedelta(days=10))
    project = walk_to(project, Stage.ACCEPTANCE, actor=ivan, on=TODAY() - datetime.timedelta(days=10))
    project = services.revenue_project_accept(project=project, accepted_by=alice, statement="OK", actor=ivan)
    refused(
        lambda: services.revenue_project_advance(project=project, actor=ivan, on=TODAY() - datetime.timedelta(days=1)),
        "on", "before the business acceptance",
    )


def test_acceptance_is_refused_outside_the_acceptance_stage(ivan, alice, sales):
    project = identify(actor=ivan, units=[sales])
    refused(
        lambda: services.revenue_project_accept(project=project, accepted_by=alice, statement="Yes", actor=ivan),
        "stage", "while the project is in Acceptance",
    )
    assert RevenueProject.objects.get().accepted_by is None


def test_acceptance_needs_an_eligible_business_person_and_a_statement(ivan, alice, mallory, sales):
    project = walk_to(identify(actor=ivan, units=[sales]), Stage.ACCEPTANCE, actor=ivan)
    refused(
        lambda: services.revenue_project_accept(project=project, accepted_by=mallory, statement="Yes", actor=ivan),
        "accepted_by", "business manager of one of its units",
    )
    refused(
        lambda: services.revenue_project_accept(project=project, accepted_by=ivan, statement="Yes", actor=ivan),
        "accepted_by", "business partner",
    )
    refused(
        lambda: services.revenue_project_accept(project=project, accepted_by=alice, statement="  ", actor=ivan),
        "statement", "statement",
    )
    refused(
        lambda: services.revenue_project_accept(
            project=project, accepted_by=alice, statement="Yes", actor=ivan, on=TODAY() + datetime.timedelta(days=1)
        ),
        "on", "future",
    )
    assert RevenueProject.objects.get().accepted_by is None


def test_a_business_partner_from_another_unit_may_accept(ivan, mallory, sales):
    project = walk_to(identify(actor=ivan, units=[sales], partners=[mallory]), Stage.ACCEPTANCE, actor=ivan)
    project = services.revenue_project_accept(project=project, accepted_by=mallory, statement="Finance agrees.", actor=mallory)
    assert project.is_accepted
    refused(
        lambda: services.revenue_project_accept(project=project, accepted_by=mallory, statement="Again", actor=mallory),
        "accepted_by", "already recorded",
    )


def test_abandoning_needs_a_reason_and_keeps_it_in_the_history(ivan, alice, sales):
    project = walk_to(identify(actor=ivan, units=[sales], partners=[alice]), Stage.DEVELOP, actor=ivan)
    refused(lambda: services.revenue_project_abandon(project=project, reason=" ", actor=ivan), "reason", "Say why")
    assert RevenueProject.objects.get().stage == Stage.DEVELOP
    project = services.revenue_project_abandon(project=project, reason="The provider raised its fees.", actor=ivan)
    assert project.stage == Stage.ABANDONED
    last = project.stage_changes.last()
    assert (last.from_stage, last.to_stage, last.note) == ("develop", "abandoned", "The provider raised its fees.")
    assert Notification.objects.filter(recipient=alice, kind="revenue_project.abandoned").exists()
    refused(lambda: services.revenue_project_abandon(project=project, reason="Again", actor=ivan), "stage", "already abandoned")
    refused(lambda: services.revenue_project_advance(project=project, actor=ivan), "stage", "abandoned project moves no further")


def test_stage_changes_notify_sponsor_lead_and_partners_but_not_the_actor(ivan, carla, alice, mallory, sales):
    project = identify(actor=ivan, units=[sales], partners=[alice, mallory], it_sponsor=carla, it_lead=ivan)
    Notification.objects.all().delete()
    services.revenue_project_advance(project=project, actor=ivan)
    notes = Notification.objects.filter(kind="revenue_project.stage_changed")
    assert set(notes.values_list("recipient__username", flat=True)) == {"carla", "alice", "mallory"}
    note = notes.first()
    assert note.url == project.get_absolute_url()
    assert "Develop" in note.title


def test_editing_a_project_keeps_its_stage_and_refuses_bad_money(ivan, sales, finance):
    project = identify(actor=ivan, units=[sales])
    project = services.revenue_project_update(
        project=project, actor=ivan, name="Club points", business_units=[finance], investment=Decimal("15000.50")
    )
    assert (project.name, project.investment, list(project.business_units.all())) == ("Club points", Decimal("15000.50"), [finance])
    refused(lambda: services.revenue_project_update(project=project, actor=ivan, investment=Decimal("-1")), "investment", "negative")
    refused(lambda: services.revenue_project_update(project=project, actor=ivan, stage="execute"), "stage", "cannot be edited")
    assert RevenueProject.objects.get().stage == Stage.IDENTIFY


# --- Revenue entries ------------------------------------------------------------------------------


@pytest.fixture
def live_project(ivan, alice, sales):
    return walk_to(identify(actor=ivan, units=[sales]), Stage.EXECUTE, actor=ivan, acceptor=alice)


def test_recording_revenue_normalises_the_month_and_allows_negative_months(live_project, ivan):
    entry = services.revenue_entry_create(
        project=live_project, month=TODAY().replace(day=17), amount=Decimal("-120.50"), note="Refunds", actor=ivan
    )
    assert entry.month == TODAY().replace(day=1)
    assert entry.amount == Decimal("-120.50")
    assert entry.recorded_by == ivan


def test_a_second_entry_for_the_same_month_is_refused(live_project, ivan):
    services.revenue_entry_create(project=live_project, month=TODAY(), amount=Decimal("100"), actor=ivan)
    refused(
        lambda: services.revenue_entry_create(project=live_project, month=TODAY(), amount=Decimal("5"), actor=ivan),
        "month", "already recorded",
    )
    assert RevenueEntry.objects.get().amount == Decimal("100")


def test_next_month_is_allowed_but_not_the_month_after(live_project, ivan):
    services.revenue_entry_create(project=live_project, month=add_months(TODAY(), 1), amount=Decimal("1"), actor=ivan)
    refused(
        lambda: services.revenue_entry_create(project=live_project, month=add_months(TODAY(), 2), amount=Decimal("1"), actor=ivan),
        "month", "up to next month",
    )
    assert RevenueEntry.objects.count() == 1


@pytest.mark.parametrize(("amount", "text"), [(Decimal("10.005"), "two decimals"), (None, "Enter the amount"), ("abc", "number")])
def test_amounts_must_be_numbers_with_at_most_two_decimals(live_project, ivan, amount, text):
    refused(lambda: services.revenue_entry_create(project=live_project, month=TODAY(), amount=amount, actor=ivan), "amount", text)
    assert not RevenueEntry.objects.exists()


def test_a_correction_is_an_edit_recorded_in_the_audit_trail(live_project, ivan):
    entry = services.revenue_entry_create(project=live_project, month=TODAY(), amount=Decimal("100"), actor=ivan)
    services.revenue_entry_update(entry=entry, amount=Decimal("150.25"), note="Late invoice", actor=ivan)
    change = AuditLogEntry.objects.for_object(entry).filter(action="update").get()
    assert change.before["amount"] == "100.00"
    assert change.after["amount"] == "150.25"
    refused(lambda: services.revenue_entry_update(entry=entry, amount=Decimal("1.111"), actor=ivan), "amount", "two decimals")
    assert RevenueEntry.objects.get().amount == Decimal("150.25")
