"""Sending outbound webhook deliveries, one attempt at a time, and the housekeeping of the
integration's logs. The Celery tasks (`tasks.py`) call these; nothing here queues work, so this
module sits below the tasks and the queue (`outbound.py`) in the import graph.

`webhook_delivery_attempt()` sends one delivery, signed in the Standard Webhooks style.
"""

import datetime
import http.client
import json
import logging
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import bounds
from ..events import Notice, publish
from .choices import DeliveryStatus
from .destinations import Destination, DestinationRefused, destination_resolve
from .models import IdempotencyRecord, InboundDelivery, InboundTicket, WebhookDelivery, WebhookSubscription
from .signatures import standard_headers

logger = logging.getLogger("portal.integrations")


class AttemptOutcome:
    SUCCEEDED = "succeeded"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"
    HELD = "held"  # the subscription is disabled: kept until it is enabled again


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The JSON sent: {"type", "timestamp", "data"}, as Standard Webhooks recommends."""
    envelope = {"type": delivery.event, "timestamp": delivery.created_at.isoformat(), "data": delivery.payload}
    return json.dumps(envelope, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def _connect(family, sockaddr, timeout) -> socket.socket:
    """A TCP connection to one checked address (no name is resolved here)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except BaseException:
        sock.close()
        raise
    return sock


def _connect_first(addresses, timeout) -> socket.socket:
    """The first of the checked addresses that accepts a connection, in the resolver's order.
    All the tries together take at most `timeout` (a name with many dead addresses must not
    outlast the task's time limit)."""
    error = OSError("No address to connect to.")
    deadline = time.monotonic() + timeout
    for family, sockaddr in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            sock = _connect(family, sockaddr, remaining)
        except OSError as exc:
            error = exc
            continue
        sock.settimeout(timeout)
        return sock
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the addresses `destination_resolve()` checked instead of resolving the host
    again (DNS rebinding); the Host header still names the URL's host."""

    def __init__(self, destination: Destination, timeout):
        super().__init__(destination.host, destination.port, timeout=timeout)
        self.addresses = destination.addresses

    def connect(self):
        self.sock = _connect_first(self.addresses, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: SNI and the certificate check name the URL's host, not the address."""

    def __init__(self, destination: Destination, timeout):
        super().__init__(destination.host, destination.port, timeout=timeout, context=ssl.create_default_context())
        self.addresses = destination.addresses

    def connect(self):
        self.sock = self._context.wrap_socket(_connect_first(self.addresses, self.timeout), server_hostname=self.host)


def _without_addresses(text: str, destination: Destination) -> str:
    """The delivery log never says what the receiver's name resolves to."""
    for _, sockaddr in destination.addresses:
        text = text.replace(str(sockaddr[0]), "the receiver")
    return text


@dataclass(frozen=True)
class _Answer:
    code: int | None
    error: str = ""
    permanent: bool = False  # the URL itself is wrong: retrying cannot help


def _post(delivery: WebhookDelivery) -> _Answer:
    """POST the delivery once. Redirects are not followed: an answer other than 2xx is a failure."""
    subscription = delivery.subscription
    try:
        destination = destination_resolve(subscription.url)
    except DestinationRefused as refused:
        return _Answer(None, refused.message, refused.permanent)
    body = delivery_body(delivery)
    headers = standard_headers(secrets=subscription.signing_secrets(), message_id=delivery.message_id, body=body)
    headers.update({"Content-Type": "application/json", "User-Agent": "IT-Partnership-Portal-Webhooks/1.0"})
    kind = _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    connection = None
    try:
        connection = kind(destination, timeout=settings.INTEGRATIONS_WEBHOOK_TIMEOUT_SECONDS)
        connection.request("POST", destination.target, body=body, headers=headers)
        response = connection.getresponse()
        error = "" if 200 <= response.status < 300 else f"HTTP {response.status} {response.reason}"[:500]
        return _Answer(*_known_status(response.status, error))
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return _Answer(None, _without_addresses(str(exc) or type(exc).__name__, destination)[:500])
    finally:
        if connection is not None:
            connection.close()


def _known_status(code: int, error: str) -> tuple[int | None, str]:
    """A receiver's status code if it is one of HTTP's (100-599, the range the delivery's column
    holds); another (http.client reads up to 999) is kept in the error only: a failure."""
    if bounds.HTTP_STATUS_MIN <= code <= bounds.HTTP_STATUS_MAX:
        return code, error
    return None, (error or f"HTTP {code}") + " (not an HTTP status code)"


def webhook_delivery_attempt(*, delivery_id: int) -> str:
    """Send one pending delivery once. Returns an `AttemptOutcome`.

    The row stays locked during the request (bounded by the timeout) so that a second worker
    given the same message skips it instead of sending it twice.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return AttemptOutcome.SKIPPED
        subscription = delivery.subscription
        now = timezone.now()
        if not subscription.enabled:
            delivery.status = DeliveryStatus.HELD
            delivery.last_error = "The subscription is disabled: sent when it is enabled again."
            delivery.save(update_fields=["status", "last_error"])
            return AttemptOutcome.HELD
        answer = _post(delivery)
        code, error = answer.code, answer.error
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.response_code = code
        delivery.last_error = error
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.save()
            if subscription.consecutive_failures or subscription.failing_since:
                WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0, failing_since=None)
            return AttemptOutcome.SUCCEEDED
        if delivery.attempts < settings.INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS and not answer.permanent:
            delivery.save()
            return AttemptOutcome.RETRY
        delivery.status = DeliveryStatus.FAILED
        delivery.save()
        _count_failure(subscription.pk, error or f"HTTP {code}", delivery.created_at)
        return AttemptOutcome.FAILED


def _count_failure(subscription_id: int, error: str, created_at) -> None:
    """One more delivery failed after every retry; too many in a row disable the subscription.
    The run of failures remembers when its first delivery was created: enabling the
    subscription again sends every delivery that failed since (services.py)."""
    subscription = WebhookSubscription.objects.select_for_update().select_related("owner").get(pk=subscription_id)
    subscription.consecutive_failures += 1
    if subscription.failing_since is None or created_at < subscription.failing_since:
        subscription.failing_since = created_at
    limit = settings.INTEGRATIONS_WEBHOOK_FAILURES_TO_DISABLE
    if subscription.enabled and subscription.consecutive_failures >= limit:
        subscription.enabled = False
        subscription.disabled_at = timezone.now()
        subscription.disabled_reason = (
            f"{subscription.consecutive_failures} deliveries in a row failed after every retry; last error: {error}"
        )[:300]
        publish(
            "webhook_subscription.disabled",
            subscription,
            notice=Notice(
                recipients=[subscription.owner],
                title=f"Webhook subscription disabled: {subscription}",
                body=subscription.disabled_reason
                + " Its events are kept: fix the receiver, then enable the subscription again to send them.",
            ),
        )
        logger.warning("webhook subscription %s disabled: %s", subscription.pk, subscription.disabled_reason)
    subscription.save()


def retry_delay_seconds(attempts: int) -> int:
    """How long a delivery waits after its `attempts`-th failed attempt, before jitter: the
    backoff doubling from INTEGRATIONS_WEBHOOK_BACKOFF_SECONDS up to its maximum."""
    base, cap = settings.INTEGRATIONS_WEBHOOK_BACKOFF_SECONDS, settings.INTEGRATIONS_WEBHOOK_BACKOFF_MAX_SECONDS
    return min(base * 2 ** min(max(attempts - 1, 0), 30), cap)


def stale_delivery_ids(*, older_than_seconds: int | None = None) -> list[int]:
    """Pending deliveries whose message is lost or was never sent, at most 1,000, oldest first.

    By default a delivery never tried counts once it is INTEGRATIONS_WEBHOOK_REQUEUE_AFTER_SECONDS
    old (its hand-off to the broker failed, say during a Redis outage), and a delivery tried n
    times once its retry delay after the n-th attempt has passed by as long again (the task leaves
    a delay longer than a broker countdown to this sweep). `older_than_seconds` replaces all of
    that with one age.
    """
    now = timezone.now()
    if older_than_seconds is not None:
        cutoff = now - datetime.timedelta(seconds=older_than_seconds)
        due = Q(last_attempt_at__lt=cutoff) | Q(last_attempt_at__isnull=True, created_at__lt=cutoff)
    else:
        grace = settings.INTEGRATIONS_WEBHOOK_REQUEUE_AFTER_SECONDS
        due = Q(last_attempt_at__isnull=True, created_at__lt=now - datetime.timedelta(seconds=grace))
        for attempts in range(1, settings.INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS):
            wait = datetime.timedelta(seconds=retry_delay_seconds(attempts) + grace)
            due |= Q(attempts=attempts, last_attempt_at__lt=now - wait)
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(due)
        .order_by("id")
        .values_list("pk", flat=True)[:1000]
    )


def integration_records_purge() -> dict:
    """Delete expired idempotency records and old delivery logs."""
    now = timezone.now()
    keep = datetime.timedelta(days=settings.INTEGRATIONS_LOG_RETENTION_DAYS)
    return {
        "idempotency_records": IdempotencyRecord.objects.filter(expires_at__lt=now).delete()[0],
        # A parked ticket's delivery stays while the ticket waits for a unit.
        "inbound_deliveries": InboundDelivery.objects.filter(received_at__lt=now - keep)
        .exclude(pk__in=InboundTicket.objects.parked().exclude(parked_delivery=None).values("parked_delivery"))
        .delete()[0],
        "webhook_deliveries": WebhookDelivery.objects.exclude(status=DeliveryStatus.PENDING)
        .filter(created_at__lt=now - keep)
        .delete()[0],
    }
