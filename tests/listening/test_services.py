"""The pain point workflow: every transition, every refusal, votes, merge, and the services
other apps call."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from listening import services
from listening.choices import PainPointStatus, Source
from listening.models import Evaluation, PainPoint, PainPointStatusChange, Vote, Watch
from partnership.models import AuditLogEntry
from partnership.notifications.models import Notification

from ..factories import UserFactory
from .factories import make_pain_point, make_planned, recommended_options

pytestmark = pytest.mark.django_db


def _refused(call, field, contains=""):
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    assert contains.lower() in " ".join(info.value.message_dict[field]).lower()
    return info.value


def _status(pain_point):
    return PainPoint.objects.get(pk=pain_point.pk).status


def test_submitting_records_the_history_the_sla_and_the_submitter_watches(alice):
    pain_point = make_pain_point(submitted_by=alice)
    assert pain_point.status == PainPointStatus.NEW
    assert pain_point.source == Source.PORTAL
    assert pain_point.ack_due_on >= pain_point.created_at.date()
    assert list(pain_point.status_changes.values_list("from_status", "to_status")) == [("", "new")]
    assert Watch.objects.filter(pain_point=pain_point, user=alice).exists()
    assert AuditLogEntry.objects.filter(object_id=str(pain_point.pk), action="create").exists()


def test_the_estimated_yearly_cost_is_hours_times_people_times_rate_times_weeks(alice, settings):
    settings.LISTENING_HOURLY_RATE = "50"
    settings.LISTENING_WORKING_WEEKS = 40
    pain_point = make_pain_point(submitted_by=alice, hours_lost_per_week=Decimal("2.5"), people_affected=4)
    assert pain_point.estimated_yearly_cost == Decimal("20000.00")


def test_the_full_workflow_records_every_step_and_notifies_the_submitter_and_watchers(alice, mallory, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_watch(pain_point=pain_point, user=mallory)
    make_planned(pain_point, ivan)
    services.pain_point_resolve(pain_point=pain_point, actor=ivan, note="Live.")
    services.pain_point_close(pain_point=pain_point, actor=ivan)
    assert _status(pain_point) == PainPointStatus.CLOSED
    steps = list(PainPointStatusChange.objects.filter(pain_point=pain_point).values_list("to_status", flat=True))
    assert steps == ["new", "acknowledged", "analysing", "planned", "resolved", "closed"]
    assert PainPointStatusChange.objects.filter(pain_point=pain_point, to_status="planned").get().actor == ivan
    assert Notification.objects.filter(recipient=alice, kind="pain_point.planned").exists()
    assert Notification.objects.filter(recipient=mallory, kind="pain_point.closed").exists()
    assert not Notification.objects.filter(recipient=ivan).exists()  # never told of their own change
    pain_point.refresh_from_db()
    assert pain_point.plan_note == "Import bank files nightly."
    assert pain_point.acknowledged_at is not None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (services.pain_point_resolve, "only planned"),
        (services.pain_point_close, "only resolved"),
        (services.pain_point_start_analysis, "only acknowledged"),
        (services.pain_point_plan, "only analysing"),
    ],
)
def test_skipping_a_step_of_the_workflow_is_refused_and_changes_nothing(alice, ivan, call, message):
    pain_point = make_pain_point(submitted_by=alice)
    _refused(lambda: call(pain_point=pain_point, actor=ivan), "status", message)
    assert _status(pain_point) == PainPointStatus.NEW
    assert pain_point.status_changes.count() == 1


def test_acknowledging_twice_is_refused(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    _refused(lambda: services.pain_point_acknowledge(pain_point=pain_point, actor=ivan), "status", "acknowledged")


def test_planning_without_an_evaluation_is_refused(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    services.pain_point_start_analysis(pain_point=pain_point, actor=ivan)
    _refused(lambda: services.pain_point_plan(pain_point=pain_point, actor=ivan), "evaluation", "write an evaluation")
    assert _status(pain_point) == PainPointStatus.ANALYSING


def test_planning_with_an_evaluation_without_a_recommended_option_is_refused(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    services.pain_point_start_analysis(pain_point=pain_point, actor=ivan)
    options = [dict(o, recommended=False) for o in recommended_options()]
    services.evaluation_save(pain_point=pain_point, actor=ivan, options=options)
    _refused(lambda: services.pain_point_plan(pain_point=pain_point, actor=ivan), "evaluation", "recommend")
    assert _status(pain_point) == PainPointStatus.ANALYSING


def test_an_evaluation_recommends_one_option_at_most(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    options = [dict(o, recommended=True) for o in recommended_options()]
    _refused(lambda: services.evaluation_save(pain_point=pain_point, actor=ivan, options=options), "options", "one option")
    assert not Evaluation.objects.exists()


def test_a_planned_pain_point_keeps_a_recommended_option(alice, ivan):
    pain_point = make_planned(make_pain_point(submitted_by=alice), ivan)
    options = [dict(o, recommended=False) for o in recommended_options()]
    _refused(lambda: services.evaluation_save(pain_point=pain_point, actor=ivan, options=options), "options", "planned")


def test_saving_an_evaluation_replaces_its_options(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.evaluation_save(pain_point=pain_point, actor=ivan, options=recommended_options())
    evaluation = services.evaluation_save(
        pain_point=pain_point, actor=ivan, summary="Rethought", options=[{"title": "Only one", "recommended": True}]
    )
    assert [o.title for o in evaluation.options.all()] == ["Only one"]
    assert evaluation.recommended_option.title == "Only one"


def test_declining_a_pain_point_requires_a_reason(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    _refused(lambda: services.pain_point_decline(pain_point=pain_point, actor=ivan, reason="  "), "reason", "say why")
    assert _status(pain_point) == PainPointStatus.NEW


def test_the_submitter_reads_the_decline_reason(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_decline(pain_point=pain_point, actor=ivan, reason="The carrier requires paper.")
    pain_point.refresh_from_db()
    assert pain_point.decline_reason == "The carrier requires paper."
    note = Notification.objects.get(recipient=alice, kind="pain_point.declined")
    assert "carrier requires paper" in note.body


def test_a_declined_pain_point_cannot_be_acknowledged(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_decline(pain_point=pain_point, actor=ivan, reason="No.")
    _refused(lambda: services.pain_point_acknowledge(pain_point=pain_point, actor=ivan), "status", "declined")


def test_business_managers_cannot_change_the_status(alice, mallory):
    pain_point = make_pain_point(submitted_by=alice)
    for call in (services.pain_point_acknowledge, services.pain_point_resolve, services.pain_point_close):
        with pytest.raises(PermissionDenied):
            call(pain_point=pain_point, actor=alice)
    with pytest.raises(PermissionDenied):
        services.pain_point_decline(pain_point=pain_point, actor=alice, reason="mine")
    with pytest.raises(PermissionDenied):
        services.evaluation_save(pain_point=pain_point, actor=alice, options=[])
    assert _status(pain_point) == PainPointStatus.NEW


def test_the_cio_may_move_pain_points(alice, carla):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_acknowledge(pain_point=pain_point, actor=carla)
    assert _status(pain_point) == PainPointStatus.ACKNOWLEDGED


# --- Votes ---------------------------------------------------------------------------------------


def test_voting_counts_once_and_makes_the_voter_a_watcher(alice, mallory):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_vote(pain_point=pain_point, user=mallory)
    assert Watch.objects.filter(pain_point=pain_point, user=mallory).exists()
    _refused(lambda: services.pain_point_vote(pain_point=pain_point, user=mallory), "vote", "already voted")
    assert Vote.objects.filter(pain_point=pain_point).count() == 1


def test_the_submitter_cannot_vote_on_their_own_pain_point(alice):
    pain_point = make_pain_point(submitted_by=alice)
    _refused(lambda: services.pain_point_vote(pain_point=pain_point, user=alice), "vote", "already counts")


def test_voting_on_a_closed_pain_point_is_refused(alice, mallory, ivan):
    pain_point = make_planned(make_pain_point(submitted_by=alice), ivan)
    services.pain_point_resolve(pain_point=pain_point, actor=ivan)
    services.pain_point_close(pain_point=pain_point, actor=ivan)
    _refused(lambda: services.pain_point_vote(pain_point=pain_point, user=mallory), "vote", "closed")
    assert not Vote.objects.exists()


def test_withdrawing_a_vote_and_withdrawing_one_never_cast(alice, mallory):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_vote(pain_point=pain_point, user=mallory)
    services.pain_point_unvote(pain_point=pain_point, user=mallory)
    assert not Vote.objects.exists()
    _refused(lambda: services.pain_point_unvote(pain_point=pain_point, user=mallory), "vote", "not voted")


# --- Merge ---------------------------------------------------------------------------------------


def test_merging_moves_votes_and_watchers_and_the_submitters_voice(alice, mallory, ivan, sales):
    bob = UserFactory(username="bob", business_unit=sales, role="Business manager")
    target = make_pain_point(submitted_by=alice, title="Bank statements typed by hand")
    duplicate = make_pain_point(submitted_by=mallory, title="Statements typed in by hand")
    services.pain_point_vote(pain_point=duplicate, user=bob)
    services.pain_point_vote(pain_point=duplicate, user=alice)  # the target's own submitter
    services.pain_point_merge(pain_point=duplicate, target=target, actor=ivan)

    duplicate.refresh_from_db()
    assert duplicate.status == PainPointStatus.MERGED
    assert duplicate.merged_into == target
    assert duplicate.is_read_only
    assert set(Vote.objects.filter(pain_point=target).values_list("user__username", flat=True)) == {"bob", "mallory"}
    assert not Vote.objects.filter(pain_point=duplicate).exists()
    assert set(Watch.objects.filter(pain_point=target).values_list("user__username", flat=True)) == {"alice", "bob", "mallory"}
    assert not Watch.objects.filter(pain_point=duplicate).exists()
    assert Notification.objects.filter(recipient=mallory, kind="pain_point.merged").exists()


def test_merging_into_itself_is_refused(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    _refused(lambda: services.pain_point_merge(pain_point=pain_point, target=pain_point, actor=ivan), "target", "itself")
    assert _status(pain_point) == PainPointStatus.NEW


def test_merging_into_a_merged_pain_point_is_refused(alice, ivan):
    first = make_pain_point(submitted_by=alice, title="One")
    second = make_pain_point(submitted_by=alice, title="Two")
    third = make_pain_point(submitted_by=alice, title="Three")
    services.pain_point_merge(pain_point=second, target=first, actor=ivan)
    _refused(lambda: services.pain_point_merge(pain_point=third, target=second, actor=ivan), "target", "merged")
    assert _status(third) == PainPointStatus.NEW


def test_merging_into_a_closed_or_declined_pain_point_is_refused(alice, ivan):
    declined = make_pain_point(submitted_by=alice, title="Declined")
    services.pain_point_decline(pain_point=declined, actor=ivan, reason="No.")
    other = make_pain_point(submitted_by=alice, title="Other")
    _refused(lambda: services.pain_point_merge(pain_point=other, target=declined, actor=ivan), "target", "closed or declined")


def test_merging_into_another_units_confidential_pain_point_is_refused(alice, mallory, ivan):
    secret = make_pain_point(submitted_by=mallory, title="Secret", confidential=True)
    open_one = make_pain_point(submitted_by=alice, title="Open")
    _refused(lambda: services.pain_point_merge(pain_point=open_one, target=secret, actor=ivan), "target", "confidential")


def test_a_merged_pain_point_is_read_only(alice, mallory, ivan):
    target = make_pain_point(submitted_by=alice, title="Target")
    merged = make_pain_point(submitted_by=alice, title="Merged")
    services.pain_point_merge(pain_point=merged, target=target, actor=ivan)
    _refused(lambda: services.pain_point_vote(pain_point=merged, user=mallory), "vote", "merged")
    _refused(lambda: services.comment_add(pain_point=merged, author=mallory, body="hi"), "body", "read-only")
    _refused(lambda: services.pain_point_update(pain_point=merged, actor=ivan, title="x"), "status", "read-only")
    _refused(lambda: services.pain_point_acknowledge(pain_point=merged, actor=ivan), "status", "merged")


# --- Comments, editing ---------------------------------------------------------------------------


def test_a_comment_notifies_the_submitter(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.comment_add(pain_point=pain_point, author=ivan, body="Which bank?")
    assert Notification.objects.filter(recipient=alice, kind="pain_point.commented").exists()


def test_an_empty_comment_is_refused(alice):
    pain_point = make_pain_point(submitted_by=alice)
    _refused(lambda: services.comment_add(pain_point=pain_point, author=alice, body="   "), "body")


def test_it_corrects_a_pain_point_but_not_its_status(alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_update(pain_point=pain_point, actor=ivan, severity=5)
    assert PainPoint.objects.get(pk=pain_point.pk).severity == 5
    _refused(lambda: services.pain_point_update(pain_point=pain_point, actor=ivan, status="closed"), "status", "cannot be changed")
    _refused(lambda: services.pain_point_update(pain_point=pain_point, actor=ivan, severity=9), "severity")
    assert PainPoint.objects.get(pk=pain_point.pk).severity == 5
    with pytest.raises(PermissionDenied):
        services.pain_point_update(pain_point=pain_point, actor=alice, severity=1)


# --- Services for other apps -----------------------------------------------------------------------


def test_integrations_may_create_without_a_submitter_and_find_their_item_by_reference(sales):
    pain_point = services.pain_point_create(
        submitted_by=None,
        business_unit=sales,
        title="Printer queue stuck",
        description="From the ticket.",
        source=Source.TICKETING,
        source_system="jira",
        external_ref="OPS-17",
    )
    assert pain_point.submitted_by is None
    assert PainPoint.objects.get(source_system="jira", external_ref="OPS-17") == pain_point
    assert not Watch.objects.exists()


def test_an_external_reference_is_unique_per_source_system(sales):
    def create(system):
        return services.pain_point_create(
            submitted_by=None, business_unit=sales, title="T", description="D",
            source=Source.TICKETING, source_system=system, external_ref="OPS-17",
        )

    create("jira")
    _refused(lambda: create("jira"), "external_ref", "already has")
    create("servicenow")  # another system may use the same key
    assert PainPoint.objects.count() == 2


def test_only_machine_sources_may_have_no_submitter(sales):
    _refused(
        lambda: services.pain_point_create(submitted_by=None, business_unit=sales, title="T", description="D"),
        "submitted_by",
        "check-in or a ticketing",
    )


def test_a_check_in_may_create_a_pain_point(sales):
    pain_point = services.pain_point_create(
        submitted_by=None, business_unit=sales, title="ERP slow after downtime", description="Said a key user.",
        source=Source.CHECK_IN,
    )
    assert pain_point.get_source_display() == "Check-in"


def test_an_approved_initiative_plans_a_pain_point_without_an_evaluation(alice, carla):
    pain_point = make_pain_point(submitted_by=alice)
    services.pain_point_mark_planned(pain_point=pain_point, actor=carla, note="Initiative 'Bank import' approved.")
    pain_point.refresh_from_db()
    assert pain_point.status == PainPointStatus.PLANNED
    assert pain_point.plan_note == "Initiative 'Bank import' approved."
    assert pain_point.acknowledged_at is not None
    assert Notification.objects.filter(recipient=alice, kind="pain_point.planned").exists()
    # Approving again changes nothing.
    services.pain_point_mark_planned(pain_point=pain_point, actor=carla)
    assert pain_point.status_changes.filter(to_status="planned").count() == 1


def test_an_approved_initiative_never_moves_a_resolved_pain_point_back(alice, ivan):
    pain_point = make_planned(make_pain_point(submitted_by=alice), ivan)
    services.pain_point_resolve(pain_point=pain_point, actor=ivan)
    services.pain_point_mark_planned(pain_point=pain_point, actor=ivan)
    assert _status(pain_point) == PainPointStatus.RESOLVED


def test_an_approved_initiative_reverses_a_decline_and_follows_a_merge(alice, ivan):
    declined = make_pain_point(submitted_by=alice, title="Declined")
    services.pain_point_decline(pain_point=declined, actor=ivan, reason="Too costly then.")
    services.pain_point_mark_planned(pain_point=declined, actor=ivan)
    assert _status(declined) == PainPointStatus.PLANNED

    target = make_pain_point(submitted_by=alice, title="Target")
    merged = make_pain_point(submitted_by=alice, title="Merged")
    services.pain_point_merge(pain_point=merged, target=target, actor=ivan)
    result = services.pain_point_mark_planned(pain_point=merged, actor=ivan)
    assert result.pk == target.pk
    assert _status(target) == PainPointStatus.PLANNED
    assert _status(merged) == PainPointStatus.MERGED
