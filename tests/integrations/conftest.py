"""Fixtures of the integration tests: one configured source per format."""

import pytest

from partnership.integrations.services import integration_source_add

from .helpers import GENERIC_SECRET, SECRET


@pytest.fixture
def jira(sales):
    return integration_source_add(name="jira", kind="jira", secret=SECRET, business_unit=sales)


@pytest.fixture
def zendesk(sales):
    return integration_source_add(name="zendesk", kind="zendesk", secret=SECRET, business_unit=sales)


@pytest.fixture
def servicenow(sales):
    return integration_source_add(name="servicenow", kind="servicenow", secret=SECRET, business_unit=sales)


@pytest.fixture
def generic(db):
    return integration_source_add(name="helpdesk", kind="generic", secret=GENERIC_SECRET)


@pytest.fixture
def post_webhook(client):
    """`post_webhook(source_name, body_bytes, **headers)` posts a raw delivery."""

    def post(name, body, **headers):
        return client.generic("POST", f"/api/v1/integrations/{name}/webhook/", body, content_type="application/json", **headers)

    return post
