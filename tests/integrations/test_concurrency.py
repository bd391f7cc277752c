"""Parallel deliveries of one new ticket, through a live server on PostgreSQL: one pain point.

The server's PostgreSQL allows 100 connections, shared with the other test runs, so 50 threads
send the 100 deliveries, released together by a barrier. A delivery answered 503 (the database
refused a connection) is sent again, as a ticketing system retries anything that is not 2xx.
"""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from listening.models import PainPoint, PainPointStatusChange
from partnership.integrations.models import InboundDelivery
from partnership.integrations.services import integration_source_add

from .helpers import SECRET, as_requests_headers, encode, jira_headers, jira_payload

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

THREADS = 50
DELIVERIES = 100


def _post(url, body, headers, barrier=None):
    if barrier is not None:
        barrier.wait(timeout=30)
    for _ in range(20):
        request = urllib.request.Request(url, data=body, headers={**headers, "Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            if exc.code != 503:
                return exc.code, exc.read()
        except (urllib.error.URLError, ConnectionError):
            pass  # the test server's listen backlog overflowed: send again, as a sender would
    raise AssertionError("no answer after 20 tries")


def _send_all(url, deliveries):
    barrier = threading.Barrier(min(THREADS, len(deliveries)))
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [
            pool.submit(_post, url, body, headers, barrier if i < THREADS else None)
            for i, (body, headers) in enumerate(deliveries)
        ]
        return [f.result() for f in futures]


@pytest.fixture
def source(sales):
    return integration_source_add(name="jira", kind="jira", secret=SECRET, business_unit=sales)


def test_a_hundred_parallel_deliveries_of_one_new_ticket_create_exactly_one_pain_point(live_server, source):
    assert connection.vendor == "postgresql"
    url = f"{live_server.url}/api/v1/integrations/jira/webhook/"
    body = encode(jira_payload(key="OPS-77"))
    deliveries = [(body, as_requests_headers(jira_headers(body, delivery=f"d-{i}"))) for i in range(DELIVERIES)]

    answers = _send_all(url, deliveries)

    codes = sorted(code for code, _ in answers)
    assert codes.count(201) == 1, codes
    assert codes.count(200) == DELIVERIES - 1, codes
    pain_point = PainPoint.objects.get()
    assert pain_point.external_ref == "OPS-77"
    assert PainPointStatusChange.objects.filter(pain_point=pain_point).count() == 1
    assert InboundDelivery.objects.filter(result="created").count() == 1
    assert not InboundDelivery.objects.filter(result__in=["refused", "updated"]).exists()


def test_the_same_delivery_sent_in_parallel_is_processed_once(live_server, source):
    url = f"{live_server.url}/api/v1/integrations/jira/webhook/"
    body = encode(jira_payload(key="OPS-78", status="Done"))
    headers = as_requests_headers(jira_headers(body, delivery="the-one-delivery"))

    answers = _send_all(url, [(body, headers)] * 30)

    codes = sorted(code for code, _ in answers)
    assert codes == [200] * 29 + [201], codes
    assert PainPoint.objects.get().status == "resolved"
    assert InboundDelivery.objects.filter(result="created").count() == 1
    assert InboundDelivery.objects.filter(result="replay").count() == 29


def test_parallel_requests_with_one_idempotency_key_run_once(live_server, ivan):
    from partnership.integrations.models import WebhookSubscription
    from partnership.services import api_token_create

    _, key = api_token_create(user=ivan, name="parallel")
    url = f"{live_server.url}/api/v1/webhook-subscriptions/"
    body = encode({"url": "https://hooks.example.com/x", "events": ["pain_point.created"]})
    headers = {"Authorization": f"Token {key}", "Idempotency-Key": "same-key"}

    answers = _send_all(url, [(body, headers)] * 20)

    codes = [code for code, _ in answers]
    assert set(codes) <= {201, 409}, codes
    assert WebhookSubscription.objects.count() == 1
    created = {json.loads(content)["id"] for code, content in answers if code == 201}
    assert len(created) == 1  # every 201 is the first answer or its replay
