"""Signed deliveries of each format, as the ticketing systems send them."""

import base64
import hashlib
import hmac
import json
import time
import uuid

from django.utils import timezone

from partnership.integrations.signatures import standard_signature

SECRET = "a-shared-secret-of-some-length"
NEW_SECRET = "the-next-shared-secret-value"
GENERIC_SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()


def _hex(secret, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def jira_payload(key="OPS-1", summary="Invoices stuck in approval", status="To Do", priority="High", event="jira:issue_created",
                 description="Approvals time out every Monday.", email="alice@example.com"):
    return {
        "timestamp": int(time.time() * 1000),
        "webhookEvent": event,
        "issue": {
            "id": "10001",
            "key": key,
            "fields": {
                "summary": summary,
                "description": description,
                "priority": {"name": priority},
                "status": {"name": status, "statusCategory": {"key": "new"}},
                "reporter": {"accountId": "abc", "displayName": "Alice", "emailAddress": email},
            },
        },
    }


def jira_headers(body: bytes, *, secret=SECRET, delivery=None):
    return {
        "HTTP_X_HUB_SIGNATURE": "sha256=" + _hex(secret, body),
        "HTTP_X_ATLASSIAN_WEBHOOK_IDENTIFIER": delivery or str(uuid.uuid4()),
    }


def zendesk_payload(ticket_id="5158", subject="Printer queue lost", status="NEW", priority="HIGH",
                    event="zen:event-type:ticket.created", event_id=None):
    return {
        "account_id": 1,
        "id": event_id or str(uuid.uuid4()),
        "type": event,
        "time": timezone.now().isoformat(),
        "subject": f"zen:ticket:{ticket_id}",
        "zendesk_event_version": "2022-11-06",
        "detail": {
            "id": ticket_id,
            "subject": subject,
            "description": "The shared printer forgets jobs.",
            "priority": priority,
            "status": status,
            "requester_id": "123",
        },
    }


def zendesk_headers(body: bytes, *, secret=SECRET, stamp=None):
    stamp = stamp or timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = base64.b64encode(hmac.new(secret.encode(), stamp.encode() + body, hashlib.sha256).digest()).decode()
    return {"HTTP_X_ZENDESK_WEBHOOK_SIGNATURE": signature, "HTTP_X_ZENDESK_WEBHOOK_SIGNATURE_TIMESTAMP": stamp}


def servicenow_payload(sys_id="46d44a5d", number="INC0010001", state="1", priority="2", short="VPN drops every hour"):
    return {
        "sys_id": sys_id,
        "number": number,
        "short_description": short,
        "description": "Field sales lose the VPN every hour.",
        "priority": priority,
        "state": state,
        "correlation_id": "",
    }


def servicenow_headers(body: bytes, *, secret=SECRET, stamp=None, delivery=None):
    stamp = str(stamp if stamp is not None else int(time.time()))
    headers = {
        "HTTP_X_SERVICENOW_TIMESTAMP": stamp,
        "HTTP_X_SERVICENOW_SIGNATURE": "sha256=" + _hex(secret, stamp.encode() + b"." + body),
    }
    if delivery:
        headers["HTTP_X_SERVICENOW_DELIVERY"] = delivery
    return headers


def generic_payload(ticket_id="T-1", title="Expense tool rejects receipts", status=None, severity=4, business_unit=None, **extra):
    data = {"id": ticket_id, "title": title, "description": "PDF receipts over 2 MB are refused.", "severity": severity}
    if status:
        data["status"] = status
    if business_unit:
        data["business_unit"] = business_unit
    data.update(extra)
    return {"type": "ticket.updated", "data": data}


def generic_headers(body: bytes, *, secret=GENERIC_SECRET, stamp=None, delivery=None):
    delivery = delivery or f"msg_{uuid.uuid4().hex}"
    stamp = int(stamp if stamp is not None else time.time())
    return {
        "HTTP_WEBHOOK_ID": delivery,
        "HTTP_WEBHOOK_TIMESTAMP": str(stamp),
        "HTTP_WEBHOOK_SIGNATURE": standard_signature(secret=secret, message_id=delivery, timestamp=stamp, body=body),
    }


def encode(payload) -> bytes:
    return json.dumps(payload).encode()


def as_requests_headers(meta: dict) -> dict:
    """Django test-client META names back to HTTP header names."""
    return {key.removeprefix("HTTP_").replace("_", "-"): value for key, value in meta.items()}
