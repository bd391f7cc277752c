"""A client generated from /api/schema/ by openapi-python-client parses every answer it gets.

The client is generated into a temporary folder and imported; it then talks to the WSGI app in
this process (httpx's WSGI transport) over the demo data: it lists every resource and retrieves
the first row of each, and takes the main writes (create, change, workflow steps, delete). Each
answer must have a documented status and parse into the generated models: a field typed
narrower than what the server sends (an enum without the blank it answers, a required field a
PATCH leaves out) makes the generated code raise.
"""

import datetime
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client as DjangoClient

from partnership.services import api_token_create
from partnership.wsgi import application

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("keep_the_test_connection")]

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "portal_api_client"
# Lists whose rows are not retrieved one by one: the notification preferences are retrieved by
# kind (below), the score's history has no detail.
NO_DETAIL = {"score"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The generated client package, imported."""
    folder = tmp_path_factory.mktemp("generated")
    schema = folder / "schema.json"
    response = DjangoClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    schema.write_bytes(response.content)
    config = folder / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run on the generated code
    run = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(schema), "--output-path", str(folder / PACKAGE), "--meta", "none",
         "--config", str(config)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout, run.stdout  # every operation and model was generated
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _client(generated, user):
    _, key = api_token_create(user=user, name="generated client")
    client = generated.AuthenticatedClient(
        base_url="http://testserver", token=key, prefix="Token", raise_on_unexpected_status=True
    )
    client.set_httpx_client(
        httpx.Client(
            base_url="http://testserver", transport=httpx.WSGITransport(app=application),
            headers={"Authorization": f"Token {key}"},
        )
    )
    return client


def _operations(generated):
    """{module name: module} of every generated operation."""
    api = importlib.import_module(f"{PACKAGE}.api")
    found = {}
    for tag in pkgutil.iter_modules(api.__path__):
        package = importlib.import_module(f"{PACKAGE}.api.{tag.name}")
        for op in pkgutil.iter_modules(package.__path__):
            found[op.name] = importlib.import_module(f"{PACKAGE}.api.{tag.name}.{op.name}")
    return found


def _call(operation, client, **kwargs):
    response = operation.sync_detailed(client=client, **kwargs)
    body = response.content.decode()[:300]
    assert response.status_code < 300, f"{operation.__name__}: {response.status_code} {body}"
    assert response.status_code == 204 or response.parsed is not None, f"{operation.__name__} did not parse: {body}"
    return response.parsed


def _path_parameters(operation) -> list[str]:
    return [
        name for name, p in inspect.signature(operation.sync_detailed).parameters.items()
        if p.kind is p.POSITIONAL_OR_KEYWORD and name != "client"
    ]


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {user.username: user for user in get_user_model().objects.filter(username__in=["alice", "ivan", "carla"])}


def test_the_generated_client_lists_and_retrieves_every_resource(generated, demo):
    client = _client(generated, demo["carla"])
    operations = _operations(generated)
    lists = {name: op for name, op in operations.items() if name.endswith("_list")}
    assert len(lists) > 20
    retrieved = []
    for name, operation in sorted(lists.items()):
        page = _call(operation, client)
        rows = page if isinstance(page, list) else page.results
        resource = name.removesuffix("_list")
        detail = operations.get(f"{resource}_retrieve")
        if not rows or detail is None or resource in NO_DETAIL:
            continue
        row = rows[0]
        (parameter,) = _path_parameters(detail)
        value = row.kind if resource == "notification_preferences" else row.id
        _call(detail, client, **{parameter: value})
        retrieved.append(resource)
    # The demo fills the main resources; each of them was retrieved through the client.
    assert {"pain_points", "initiatives", "revenue_projects", "events", "committees", "extra_mile_actions"} <= set(retrieved)
    for name in ("me_retrieve", "score_retrieve", "score_config_retrieve"):
        _call(operations[name], client)


def test_the_generated_client_takes_the_main_writes(generated, demo):
    models = importlib.import_module(f"{PACKAGE}.models")
    operations = _operations(generated)
    alice, ivan = _client(generated, demo["alice"]), _client(generated, demo["ivan"])

    created = _call(
        operations["pain_points_create"], alice,
        body=models.PainPointRequest(
            title="The CRM logs me out", description="Every ten minutes.", business_unit=demo["alice"].business_unit_id
        ),
    )
    assert created.title == "The CRM logs me out"
    detail = _call(operations["pain_points_retrieve"], ivan, id=created.id)
    first = detail.status_history[0].from_status  # the first row: no previous status
    assert getattr(first, "value", first) == ""
    _call(operations["pain_points_acknowledge_create"], ivan, id=created.id, body=models.PainPointNoteRequest())
    declined = _call(
        operations["pain_points_decline_create"], ivan, id=created.id,
        body=models.PainPointDeclineRequest(reason="Fixed by the next release."),
    )
    assert declined.status.value == "declined"

    starts = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)
    event = _call(
        operations["events_create"], ivan,
        body=models.EventRequest(
            kind=models.SteeringEventKindEnum.WORKSHOP, title="API workshop", starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
        ),
    )
    changed = _call(
        operations["events_partial_update"], ivan, id=event.id, body=models.PatchedEventRequest(location="Room 4")
    )
    assert changed.location == "Room 4"
    assert changed.attendees == 0
    _call(operations["events_register_create"], alice, id=event.id)
    _call(operations["events_destroy"], ivan, id=event.id)

    token = _call(operations["tokens_create"], alice, body=models.ApiTokenCreateRequest(name="laptop"))
    assert token.key
    assert json.loads(json.dumps(token.to_dict()))["name"] == "laptop"
