"""Fixtures of the integration tests: one configured source per format, a webhook receiver on
127.0.0.1 and the ids the webhook sender was queued with."""

import http.server
import threading

import pytest

from partnership.integrations.services import integration_source_add

from .helpers import GENERIC_SECRET, SECRET


@pytest.fixture
def keep_the_test_connection():
    """As Django's test client does: keep the test's connection open across WSGI requests made
    in this process (the schemathesis run, the generated client)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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


class Receiver:
    """An HTTP server on 127.0.0.1 answering the queued status codes (then 200) and keeping
    every request it got."""

    def __init__(self):
        self.requests, self.codes = [], []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                if code in (301, 302):
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.INTEGRATIONS_WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.INTEGRATIONS_WEBHOOK_TIMEOUT_SECONDS = 5
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture
def queued(monkeypatch):
    """The ids the sender was queued with (instead of a broker)."""
    from partnership.integrations import tasks

    ids = []
    monkeypatch.setattr(tasks.deliver_webhook, "delay", lambda pk: ids.append(pk))
    return ids
