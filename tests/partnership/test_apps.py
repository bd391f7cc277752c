"""Every pillar and shared service is a Django app of its own, and Celery finds its tasks."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin

from partnership.celery import app as celery_app

# The models each app took over from the partnership app when it became an app of its own.
APPS_IN_PARTNERSHIP = {
    "notifications": ["Notification", "Reminder", "NotificationPreference"],
    "score": ["ScoreConfig", "ScoreSnapshot", "PulseResponse"],
    "integrations": ["IntegrationSource", "InboundDelivery", "IdempotencyRecord", "WebhookSubscription", "WebhookDelivery"],
    "extramile": ["ExtraMileAction", "ExtraMileRating", "MaintenanceWindow", "CheckIn", "ProblemSuggestion", "ResolutionSurvey"],
}


@pytest.mark.parametrize("label", sorted(APPS_IN_PARTNERSHIP))
def test_each_shared_service_is_an_app_with_its_models_migrations_and_admin(label):
    config = apps.get_app_config(label)
    assert config.name == f"partnership.{label}"
    moved = [m for m in config.get_models() if m.__name__ in APPS_IN_PARTNERSHIP[label]]
    assert sorted(m.__name__ for m in moved) == sorted(APPS_IN_PARTNERSHIP[label])
    assert importlib.import_module(f"{config.name}.migrations.0001_initial")
    for model in config.get_models():
        # The moved models kept the tables they had in the partnership app; a model born in the
        # app (InboundTicket) has the app's own table name.
        expected = "partnership" if model in moved else label
        assert model._meta.db_table == f"{expected}_{model._meta.model_name}"
    assert any(m._meta.app_label == label for m in admin.site._registry)
    assert not [m for m in apps.get_app_config("partnership").get_models() if m.__name__ in APPS_IN_PARTNERSHIP[label]]


def test_celery_finds_every_scheduled_task_by_autodiscovery():
    celery_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(celery_app.tasks) == set()
    assert {"partnership.notifications.tasks.sweep_reminders", "partnership.score.tasks.take_score_snapshots"} <= scheduled
    assert "partnership.integrations.tasks.deliver_webhook" in celery_app.tasks
