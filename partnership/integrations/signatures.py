"""Signature checks of each inbound format, and the Standard Webhooks signature of outbound
deliveries. Pure functions over headers, body and secrets; comparisons in constant time.

- Jira Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.
- Zendesk: `X-Zendesk-Webhook-Signature: base64(HMAC-SHA256(secret, timestamp + body))` with the
  timestamp in `X-Zendesk-Webhook-Signature-Timestamp`.
- ServiceNow (the portal's format, docs/integration.md): `X-ServiceNow-Timestamp: <unix seconds>`
  and `X-ServiceNow-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
- Generic: Standard Webhooks, `webhook-signature: v1,<base64 HMAC-SHA256(key, id + "." + timestamp
  + "." + body)>` where the key is the base64 part of a `whsec_` secret (or the secret's bytes).
"""

import base64
import binascii
import datetime
import hashlib
import hmac

from django.utils import timezone
from django.utils.dateparse import parse_datetime


class SignatureError(Exception):
    """A delivery whose signature or timestamp does not hold; the message says which."""


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def _matches(candidates, expected_for) -> bool:
    """True when some candidate signature equals the expected one for some secret. Compared as
    bytes: `hmac.compare_digest` raises on a text with a character past ASCII."""
    return any(
        hmac.compare_digest(candidate.encode(), expected.encode())
        for expected in expected_for
        for candidate in candidates
    )


def _header(headers, name: str) -> str:
    """A signature header's value ("" when missing). Every header a signature reads comes
    through here: a value past ASCII (sent by no ticketing system, and unauthenticated) is
    refused as a bad signature, never compared or decoded."""
    value = headers.get(name, "")
    if not value.isascii():
        raise SignatureError(f"The {name} header holds characters other than ASCII.")
    return value


def standard_webhooks_key(secret: str) -> bytes:
    """The signing key of a Standard Webhooks secret: base64 after `whsec_`, else the raw text."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except (binascii.Error, ValueError):
            pass
    return secret.encode()


def _check_fresh(moment: datetime.datetime, now: datetime.datetime, tolerance: int) -> None:
    if abs((now - moment).total_seconds()) > tolerance:
        raise SignatureError(f"The timestamp is more than {tolerance} seconds away from the portal's clock.")


def _unix_timestamp(value: str, header: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise SignatureError(f"{header} is not a Unix timestamp in seconds.") from exc


def verify_jira(*, secrets, headers, body: bytes, now=None, tolerance: int = 300) -> None:
    header = _header(headers, "X-Hub-Signature")
    if not header:
        raise SignatureError("The X-Hub-Signature header is missing.")
    method, _, signature = header.partition("=")
    if method.lower() != "sha256":
        raise SignatureError("X-Hub-Signature must be sha256=<hex>.")
    expected = [_hmac(s.encode(), body).hex() for s in secrets]
    if not _matches([signature.strip().lower()], expected):
        raise SignatureError("The X-Hub-Signature does not match the body.")


def verify_zendesk(*, secrets, headers, body: bytes, now=None, tolerance: int = 300) -> None:
    signature = _header(headers, "X-Zendesk-Webhook-Signature")
    stamp = _header(headers, "X-Zendesk-Webhook-Signature-Timestamp")
    if not signature or not stamp:
        raise SignatureError("The X-Zendesk-Webhook-Signature or -Timestamp header is missing.")
    expected = [base64.b64encode(_hmac(s.encode(), stamp.encode() + body)).decode() for s in secrets]
    if not _matches([signature.strip()], expected):
        raise SignatureError("The X-Zendesk-Webhook-Signature does not match the timestamp and body.")
    moment = parse_datetime(stamp.strip())
    if moment is None:
        raise SignatureError("X-Zendesk-Webhook-Signature-Timestamp is not an ISO 8601 time.")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    _check_fresh(moment, now or timezone.now(), tolerance)


def verify_servicenow(*, secrets, headers, body: bytes, now=None, tolerance: int = 300) -> None:
    signature = _header(headers, "X-ServiceNow-Signature")
    stamp = _header(headers, "X-ServiceNow-Timestamp")
    if not signature or not stamp:
        raise SignatureError("The X-ServiceNow-Signature or X-ServiceNow-Timestamp header is missing.")
    method, _, value = signature.partition("=")
    if method.lower() != "sha256":
        raise SignatureError("X-ServiceNow-Signature must be sha256=<hex>.")
    expected = [_hmac(s.encode(), stamp.strip().encode() + b"." + body).hex() for s in secrets]
    if not _matches([value.strip().lower()], expected):
        raise SignatureError("The X-ServiceNow-Signature does not match the timestamp and body.")
    _check_fresh(_unix_timestamp(stamp.strip(), "X-ServiceNow-Timestamp"), now or timezone.now(), tolerance)


def standard_signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value of one delivery."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(_hmac(standard_webhooks_key(secret), signed)).decode()


def verify_standard(*, secrets, headers, body: bytes, now=None, tolerance: int = 300) -> None:
    message_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    header = _header(headers, "webhook-signature")
    if not message_id or not stamp or not header:
        raise SignatureError("The webhook-id, webhook-timestamp or webhook-signature header is missing.")
    moment = _unix_timestamp(stamp.strip(), "webhook-timestamp")
    candidates = [part.partition(",")[2] for part in header.split() if part.startswith("v1,")]
    expected = [
        standard_signature(secret=s, message_id=message_id, timestamp=int(stamp), body=body).partition(",")[2]
        for s in secrets
    ]
    if not _matches(candidates, expected):
        raise SignatureError("The webhook-signature does not match the id, timestamp and body.")
    _check_fresh(moment, now or timezone.now(), tolerance)


def standard_headers(*, secrets, message_id: str, body: bytes, now=None) -> dict[str, str]:
    """The three headers of an outbound Standard Webhooks delivery: one `v1,` signature per
    secret, space-separated (the current secret first; the previous one during a rotation's
    overlap), so a receiver that knows either accepts it."""
    if isinstance(secrets, str):
        secrets = [secrets]
    timestamp = int((now or timezone.now()).timestamp())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            standard_signature(secret=s, message_id=message_id, timestamp=timestamp, body=body) for s in secrets
        ),
    }
