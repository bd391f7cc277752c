"""A bounded schemathesis (v4) run over every /api/v1/ operation, as an authenticated user (the
CIO, who may reach most actions): no server errors, and status codes, content types, headers and
bodies that conform to the OpenAPI schema.

The schema is loaded from the running app (`/api/schema/`) and requests go to the WSGI app in
this process. The test database is in autocommit mode (a transactional test), as in production, so
a request whose query fails cannot break the requests after it. Each operation gets a few generated examples
(positive data, no shrinking), so the run stays well under two minutes; set
SCHEMATHESIS_EXAMPLES to dig deeper. Every failing operation is reported, not only the first.
(schemathesis' own pytest plugin is not used: its lazy loader does not run on pytest 9.)
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from listening.services import pain_point_create
from partnership.integrations.services import integration_source_add
from partnership.integrations.subscriptions import webhook_subscription_create
from partnership.services import api_token_create
from partnership.wsgi import application

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("keep_the_test_connection")]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Response-conformance problems of other apps' operations, reported to their owners; until they
# are fixed these operations are checked for server errors only.
SERVER_ERRORS_ONLY = {
}


@pytest.fixture
def api_schema(carla, alice):
    """The schema, with a few rows so that lists and ids have something to show."""
    pain_point_create(submitted_by=alice, business_unit=alice.business_unit, title="Slow CRM", description="Slow.")
    webhook_subscription_create(owner=carla, url="https://hooks.example.com/p", events=["pain_point.created"])
    integration_source_add(name="jira", kind="jira", secret="s" * 20, business_unit=alice.business_unit)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(path_regex=r"^/api/v1/")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return "\n    ".join(text.splitlines()[:12])


def test_every_api_operation_conforms_to_the_schema(api_schema, carla):
    token = api_token_create(user=carla, name="schemathesis")[1]
    # The WSGI transport does not decompress as an HTTP client would: ask for plain JSON.
    headers = {"Authorization": f"Token {token}", "Accept-Encoding": "identity"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 40

    failures = []
    for operation in operations:
        checks = [not_a_server_error] if operation.label in SERVER_ERRORS_ONLY else CHECKS

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=checks)  # noqa: B023 - called in this iteration

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}:\n    {_first_line(exc)}")
    assert not failures, f"{len(failures)} of {len(operations)} operations failed:\n" + "\n".join(failures)
