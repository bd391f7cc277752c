"""The inbound ticketing webhook writes a pain point's title, description and severity: it is
refused with the model's own message, and nothing is saved, like the page and the API."""

import pytest

from listening.models import PainPoint
from partnership.integrations.models import InboundDelivery
from partnership.integrations.services import integration_source_add

from ..integrations.helpers import GENERIC_SECRET, encode, generic_headers, generic_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(client, sales):
    integration_source_add(name="helpdesk", kind="generic", secret=GENERIC_SECRET)

    def post(**values):
        body = encode(generic_payload(business_unit=sales.slug, **values))
        return client.generic(
            "POST", "/api/v1/integrations/helpdesk/webhook/", body, content_type="application/json", **generic_headers(body)
        )

    return post


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"title": "Expense\ttool rejects receipts"}, "title: Use one line of text without control characters."),
        ({"title": "Expense tool\x1b[2J rejects receipts"}, "title: Use one line of text without control characters."),
        ({"description": "x" * 20_001}, "description: Keep it to 20,000 characters"),
    ],
    ids=["tab", "escape", "long description"],
)
def test_a_ticket_with_an_out_of_bounds_text_is_refused_and_creates_nothing(deliver, values, message):
    response = deliver(**values)
    assert response.status_code == 400, response.content
    assert message in response.content.decode()
    assert not PainPoint.objects.exists()
    assert InboundDelivery.objects.get().status_code == 400  # refused, and logged as such


def test_an_update_with_an_out_of_bounds_title_leaves_the_pain_point_as_it_was(deliver):
    assert deliver().status_code == 201
    response = deliver(title="Expense tool\nrejects receipts")
    assert response.status_code == 400
    assert PainPoint.objects.get().title == "Expense tool rejects receipts"
