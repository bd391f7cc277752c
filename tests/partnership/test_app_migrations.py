"""A database seeded at the schema of before the apps moved (main's leaf migrations) keeps every
row and every relation through the migrations that move the models to their own apps and turn the
pain-point ids of the extra mile into foreign keys."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from listening.models import PainPoint
from partnership.extramile.models import CheckIn, ExtraMileAction, ProblemSuggestion, ResolutionSurvey
from partnership.integrations.models import IdempotencyRecord, InboundDelivery, WebhookDelivery, WebhookSubscription
from partnership.models import AuditLogEntry
from partnership.notifications.models import Notification, NotificationPreference, Reminder
from partnership.score.models import PulseResponse, ScoreConfig, ScoreSnapshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# The leaf migrations of main before the move; the new apps did not exist.
BEFORE_THE_MOVE = [
    ("partnership", "0008_extramile_reminder_indexes"),
    ("listening", "0002_pain_point_list_indexes"),
    ("initiatives", "0001_initial"),
    ("revenue", "0001_initial"),
    ("steering", "0002_meeting_starts_at_index"),
    ("extramile", None),
    ("score", None),
    ("integrations", None),
    ("notifications", None),
]
ORPHAN = 987_654  # a pain point id that no longer exists


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1] is not None]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _seed(old):
    """Rows of every moved model, written through the historical models of before the move."""
    get = old.get_model
    now = timezone.now()
    unit = get("partnership", "BusinessUnit").objects.create(name="Sales", slug="sales")
    user_model = get("partnership", "User")
    alice = user_model.objects.create(username="alice", business_unit=unit)
    ivan = user_model.objects.create(username="ivan")
    pain_point = get("listening", "PainPoint").objects.create(
        title="Invoices by hand", description="Every month", business_unit=unit, submitted_by=alice,
        ack_due_on=now.date(),
    )
    ids = {"unit": unit.pk, "alice": alice.pk, "ivan": ivan.pk, "pain_point": pain_point.pk}

    action = get("partnership", "ExtraMileAction").objects.create(
        kind="extra_analysis", title="Looked at the data", performed_by=ivan, business_unit=unit
    )
    action.recipients.add(alice)
    get("partnership", "ExtraMileRating").objects.create(action=action, rated_by=alice, rating=4)
    window = get("partnership", "MaintenanceWindow").objects.create(
        system="SAP ERP", starts_at=now - datetime.timedelta(hours=3), ends_at=now - datetime.timedelta(hours=1)
    )
    window.key_users.add(alice)
    window.business_units.add(unit)
    check_in = get("partnership", "CheckIn").objects.create(
        window=window, key_user=alice, due_at=now, status="answered", systems_ok=False, pain_point_id=pain_point.pk
    )
    orphan_window = get("partnership", "MaintenanceWindow").objects.create(system="CRM", starts_at=now, ends_at=now)
    orphan_check_in = get("partnership", "CheckIn").objects.create(
        window=orphan_window, key_user=alice, due_at=now, pain_point_id=ORPHAN
    )
    suggestion_model = get("partnership", "ProblemSuggestion")
    suggestion = suggestion_model.objects.create(
        key="votes:1", trigger="votes", business_unit=unit, category="process", pain_point_id=pain_point.pk,
        evidence=[pain_point.pk], reason="Many votes", action=action,
    )
    orphan_suggestion = suggestion_model.objects.create(
        key="votes:2", trigger="votes", business_unit=unit, category="process", pain_point_id=ORPHAN,
        evidence=[ORPHAN], reason="Many votes",
    )
    survey_model = get("partnership", "ResolutionSurvey")
    survey = survey_model.objects.create(
        pain_point_id=pain_point.pk, business_unit=unit, respondent=alice, role="submitter", resolved_at=now,
        due_at=now, rating=5,
    )
    survey_model.objects.create(
        pain_point_id=ORPHAN, business_unit=unit, respondent=alice, role="voter", resolved_at=now, due_at=now
    )
    ids.update(action=action.pk, check_in=check_in.pk, orphan_check_in=orphan_check_in.pk, suggestion=suggestion.pk,
               orphan_suggestion=orphan_suggestion.pk, survey=survey.pk)

    config = get("partnership", "ScoreConfig").objects.create(version=7, weights={"listening": 2})
    snapshot = get("partnership", "ScoreSnapshot").objects.create(
        date=now.date(), business_unit=unit, overall=71.5, band="partner", config=config
    )
    pulse = get("partnership", "PulseResponse").objects.create(
        respondent=alice, business_unit=unit, quarter="2026-Q4", understands=4, delivers=3, partner=5
    )
    ids.update(config=config.pk, snapshot=snapshot.pk, pulse=pulse.pk)

    source = get("partnership", "IntegrationSource").objects.create(name="jira", kind="jira", secret="s3cret")
    pain_point_type = get("contenttypes", "ContentType").objects.get(app_label="listening", model="painpoint")
    inbound = get("partnership", "InboundDelivery").objects.create(
        source=source, source_name="jira", result="created", status_code=201, object_type=pain_point_type,
        object_id=str(pain_point.pk),
    )
    record = get("partnership", "IdempotencyRecord").objects.create(
        user=ivan, key="k-1", request_hash="0" * 64, method="POST", path="/api/v1/pain-points/",
        expires_at=now + datetime.timedelta(days=1),
    )
    subscription = get("partnership", "WebhookSubscription").objects.create(
        owner=ivan, url="https://hooks.example.com/portal", events=["pain_point.created"]
    )
    delivery = get("partnership", "WebhookDelivery").objects.create(
        subscription=subscription, message_id="msg_1", event="pain_point.created", payload={"id": pain_point.pk}
    )
    ids.update(inbound=inbound.pk, record=record.pk, subscription=subscription.pk, delivery=delivery.pk)

    content_types = get("contenttypes", "ContentType").objects
    check_in_type = content_types.get(app_label="partnership", model="checkin")
    reminder = get("partnership", "Reminder").objects.create(
        recipient=alice, kind="extramile.check_in_pending", target_type=check_in_type, target_id=str(check_in.pk),
        period="once", status="sent",
    )
    notification = get("partnership", "Notification").objects.create(
        recipient=alice, kind="extramile.check_in_pending", title="How do the systems run?", target_type=check_in_type,
        target_id=str(check_in.pk), reminder=reminder,
    )
    preference = get("partnership", "NotificationPreference").objects.create(user=alice, kind="x.y", channel="digest")
    ids.update(reminder=reminder.pk, notification=notification.pk, preference=preference.pk)

    action_type = content_types.get(app_label="partnership", model="extramileaction")
    auditors = get("auth", "Group").objects.create(name="Auditors")
    auditors.permissions.add(get("auth", "Permission").objects.get(content_type=action_type, codename="change_extramileaction"))
    get("partnership", "AuditLogEntry").objects.create(
        action="create", content_type=action_type, object_id=str(action.pk), object_repr="Looked at the data"
    )
    ids.update(action_type=action_type.pk, check_in_type=check_in_type.pk)
    return ids


def test_a_database_of_before_the_move_keeps_every_row_and_relation():
    try:
        ids = _seed(_migrate(BEFORE_THE_MOVE))
        _migrate(_latest())
        ContentType.objects.clear_cache()

        pain_point = PainPoint.objects.get(pk=ids["pain_point"])
        action = ExtraMileAction.objects.get(pk=ids["action"])
        assert [r.pk for r in action.recipients.all()] == [ids["alice"]]
        assert [(r.rated_by_id, r.rating) for r in action.ratings.all()] == [(ids["alice"], 4)]
        check_in = CheckIn.objects.get(pk=ids["check_in"])
        assert check_in.pain_point == pain_point and check_in.window.key_users.get().pk == ids["alice"]
        assert CheckIn.objects.get(pk=ids["orphan_check_in"]).pain_point is None  # the orphan id is cleared
        suggestion = ProblemSuggestion.objects.get(pk=ids["suggestion"])
        assert suggestion.pain_point == pain_point and suggestion.action == action
        assert ProblemSuggestion.objects.get(pk=ids["orphan_suggestion"]).pain_point is None
        assert [(s.pk, s.pain_point, s.rating) for s in ResolutionSurvey.objects.all()] == [(ids["survey"], pain_point, 5)]
        assert list(pain_point.resolution_surveys.all()) == [ResolutionSurvey.objects.get(pk=ids["survey"])]

        snapshot = ScoreSnapshot.objects.get(pk=ids["snapshot"])
        assert snapshot.config == ScoreConfig.objects.get(pk=ids["config"], version=7, weights={"listening": 2})
        assert (snapshot.overall, snapshot.business_unit_id) == (71.5, ids["unit"])
        assert PulseResponse.objects.get(pk=ids["pulse"]).average == 4

        inbound = InboundDelivery.objects.get(pk=ids["inbound"])
        assert inbound.source.name == "jira" and inbound.object_type.model_class() is PainPoint
        assert IdempotencyRecord.objects.get(pk=ids["record"]).user_id == ids["ivan"]
        delivery = WebhookDelivery.objects.get(pk=ids["delivery"])
        assert delivery.subscription == WebhookSubscription.objects.get(pk=ids["subscription"], owner_id=ids["ivan"])

        notification = Notification.objects.get(pk=ids["notification"])
        assert notification.reminder == Reminder.objects.get(pk=ids["reminder"])
        assert notification.target_type.model_class() is CheckIn
        assert notification.reminder.target_type_id == ids["check_in_type"]
        assert NotificationPreference.objects.get(pk=ids["preference"]).channel == "digest"

        # The content types were relabelled in place: same ids, new app labels.
        assert ContentType.objects.get(pk=ids["action_type"]).app_label == "extramile"
        assert ContentType.objects.get_for_model(ExtraMileAction).pk == ids["action_type"]
        assert not ContentType.objects.filter(app_label="partnership", model__in=["checkin", "reminder"]).exists()
        assert Group.objects.get(name="Auditors").permissions.filter(
            content_type__app_label="extramile", codename="change_extramileaction"
        ).exists()
        entry = AuditLogEntry.objects.for_object(action).get()
        assert entry.object_repr == "Looked at the data"
    finally:
        _migrate(_latest())  # later tests need the latest schema
        ContentType.objects.clear_cache()
