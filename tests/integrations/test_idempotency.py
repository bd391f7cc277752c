"""Idempotency-Key on every POST and PATCH under /api/v1/."""

import datetime
import json

import pytest
from django.utils import timezone

from partnership.integrations.choices import IdempotencyState
from partnership.integrations.models import IdempotencyRecord, WebhookSubscription
from partnership.models import ApiToken

pytestmark = pytest.mark.django_db

SUBSCRIPTION = {"url": "https://hooks.example.com/portal", "events": ["pain_point.created"]}


def post(client, path, data, key):
    return client.post(path, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_and_body_replays_the_first_answer(api, ivan):
    from partnership.integrations.models import WebhookDelivery

    client = api(ivan)
    subscription = client.post("/api/v1/webhook-subscriptions/", SUBSCRIPTION, format="json").json()
    ping = f"/api/v1/webhook-subscriptions/{subscription['id']}/ping/"
    first = post(client, ping, {}, "key-1")
    second = post(client, ping, {}, "key-1")
    assert first.status_code == second.status_code == 202
    assert json.loads(second.content) == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert WebhookDelivery.objects.count() == 1


def test_an_answer_holding_a_secret_is_never_stored_and_its_replay_answers_409(api, ivan):
    client = api(ivan)
    first = post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    assert first.status_code == 201
    secret = first.json()["secret"]
    second = post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    assert second.status_code == 409
    assert second.json()["code"] == "secret_not_replayed"
    assert secret not in second.content.decode()
    assert all(secret.encode() not in bytes(r.response_body) for r in IdempotencyRecord.objects.all())
    assert WebhookSubscription.objects.count() == 1
    rotated = post(client, f"/api/v1/webhook-subscriptions/{first.json()['id']}/rotate-secret/", {}, "rotate-1")
    new_secret = rotated.json()["secret"]
    assert all(new_secret.encode() not in bytes(r.response_body) for r in IdempotencyRecord.objects.all())


def test_a_key_is_bound_to_the_token_that_used_it(api, ivan):
    """A read-only token replaying the key of a read-write token's request never gets its answer."""
    read_write, read_only = api(ivan), api(ivan, scope="read")
    first = post(read_write, "/api/v1/tokens/", {"name": "deploy"}, "shared-key")
    assert first.status_code == 201
    replay = post(read_only, "/api/v1/tokens/", {"name": "deploy"}, "shared-key")
    assert replay.status_code == 422
    assert first.json()["key"] not in replay.content.decode()
    assert ApiToken.objects.filter(name="deploy").count() == 1


def test_the_same_key_with_another_body_answers_422(api, ivan):
    client = api(ivan)
    post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    response = post(client, "/api/v1/webhook-subscriptions/", {**SUBSCRIPTION, "description": "other"}, "key-1")
    assert response.status_code == 422
    assert "another request" in response.json()["detail"]
    assert WebhookSubscription.objects.count() == 1


def test_the_same_key_on_another_path_answers_422(api, ivan):
    client = api(ivan)
    post(client, "/api/v1/tokens/", {"name": "x"}, "key-1")
    assert post(client, "/api/v1/webhook-subscriptions/", {"name": "x"}, "key-1").status_code == 422


def test_a_request_whose_key_is_in_progress_answers_409(api, ivan):
    client = api(ivan)
    first = post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    assert first.status_code == 201
    # The first request of a key is still running: its record is claimed but not complete.
    IdempotencyRecord.objects.update(state=IdempotencyState.IN_PROGRESS, status_code=None)
    response = post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    assert response.status_code == 409
    assert WebhookSubscription.objects.count() == 1


def test_keys_are_per_user(api, ivan, carla):
    assert post(api(ivan), "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "shared").status_code == 201
    response = post(api(carla), "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "shared")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert WebhookSubscription.objects.count() == 2


def test_an_expired_record_lets_the_key_run_again(api, ivan):
    client = api(ivan)
    post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    IdempotencyRecord.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert WebhookSubscription.objects.count() == 2


def test_a_record_is_kept_24_hours(api, ivan):
    post(api(ivan), "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    record = IdempotencyRecord.objects.get()
    assert datetime.timedelta(hours=23, minutes=59) < record.expires_at - record.created_at <= datetime.timedelta(hours=24)


def test_a_validation_error_is_stored_and_replayed_too(api, ivan):
    client = api(ivan)
    first = post(client, "/api/v1/webhook-subscriptions/", {"url": "nope", "events": []}, "key-1")
    assert first.status_code == 400
    second = post(client, "/api/v1/webhook-subscriptions/", {"url": "nope", "events": []}, "key-1")
    assert second.status_code == 400 and second["Idempotent-Replayed"] == "true"


def test_a_refused_permission_frees_the_key(api, alice):
    client = api(alice)
    assert post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1").status_code == 403
    assert not IdempotencyRecord.objects.exists()


def test_a_server_error_frees_the_key(api, ivan, monkeypatch):
    from partnership.integrations import subscriptions

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(subscriptions, "webhook_subscription_create", boom)
    client = api(ivan)
    client.raise_request_exception = False
    assert post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1").status_code == 500
    assert not IdempotencyRecord.objects.exists()


def test_patch_requests_are_idempotent_too(api, ivan):
    client = api(ivan)
    subscription = post(client, "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "create").json()
    path = f"/api/v1/webhook-subscriptions/{subscription['id']}/"
    first = client.patch(path, {"description": "first"}, format="json", HTTP_IDEMPOTENCY_KEY="patch-1")
    client.patch(path, {"description": "changed meanwhile"}, format="json")
    replay = client.patch(path, {"description": "first"}, format="json", HTTP_IDEMPOTENCY_KEY="patch-1")
    assert replay.json() == first.json()
    assert WebhookSubscription.objects.get().description == "changed meanwhile"


def test_every_app_gets_it_for_example_token_creation(api, alice):
    client = api(alice)
    first = post(client, "/api/v1/tokens/", {"name": "script"}, "token-1")
    second = post(client, "/api/v1/tokens/", {"name": "script"}, "token-1")
    assert (first.status_code, second.status_code) == (201, 409)
    assert first.json()["key"] not in second.content.decode()
    assert ApiToken.objects.filter(name="script").count() == 1


def test_session_users_get_it_as_well(client, ivan):
    client.force_login(ivan)
    body = json.dumps(SUBSCRIPTION)
    first = client.post("/api/v1/webhook-subscriptions/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="s")
    second = client.post("/api/v1/webhook-subscriptions/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="s")
    assert (first.status_code, second.status_code) == (201, 409)  # the first answer held its secret
    assert WebhookSubscription.objects.count() == 1


def test_a_key_longer_than_255_characters_answers_400(api, ivan):
    response = post(api(ivan), "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "k" * 256)
    assert response.status_code == 400
    assert "255" in response.json()["detail"]
    assert not WebhookSubscription.objects.exists()


def test_a_key_of_255_characters_is_fine(api, ivan):
    assert post(api(ivan), "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "k" * 255).status_code == 201


def test_anonymous_requests_are_left_to_the_view(api):
    response = post(api(), "/api/v1/webhook-subscriptions/", SUBSCRIPTION, "key-1")
    assert response.status_code == 401
    assert not IdempotencyRecord.objects.exists()


def test_requests_without_a_key_are_not_recorded(api, ivan):
    client = api(ivan)
    client.post("/api/v1/webhook-subscriptions/", SUBSCRIPTION, format="json")
    client.post("/api/v1/webhook-subscriptions/", SUBSCRIPTION, format="json")
    assert WebhookSubscription.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_the_schema_documents_the_header_and_the_409_and_422_answers():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/webhook-subscriptions/"]["post"]
    assert {"409", "422"} <= set(operation["responses"])
    header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["schema"]["maxLength"] == 255
    webhook = schema["paths"]["/api/v1/integrations/{source}/webhook/"]["post"]
    assert not any(p["name"] == "Idempotency-Key" for p in webhook["parameters"])
