"""Writes of the ticketing integration. The webhook view, the management command, the API, the
admin and the Celery tasks all call these.

Inbound: `inbound_delivery_receive()` checks the source, the signature and the payload, then
creates or updates the ticket's pain point through listening's services, all in one transaction
with the delivery's log row; a refusal is logged in a row of its own after that transaction rolled
back, so nothing is half-written.

Webhook subscriptions are managed in `subscriptions.py`. Their deliveries are queued by
`outbound.py` (behind `events.emit`) and sent by `delivery.py`, which never import this module:
the inbound side calls listening's services, whose events lead to the queue, so the queue must
not lead back here.
"""

import datetime
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.datastructures import CaseInsensitiveMapping
from django.utils.module_loading import import_string

from ..models import BusinessUnit
from ..roles import Role
from .choices import CLAIMING_RESULTS, InboundResult, SourceKind
from .formats import FORMATS, Ignored, PayloadError, Ticket
from .models import InboundDelivery, IntegrationSource
from .signatures import SignatureError

logger = logging.getLogger("portal.integrations")

# --- Integration sources -------------------------------------------------------------------------


def _source_actor(name: str):
    """The source's service account: inactive (it can never sign in or use a token), in the IT
    staff group because listening's workflow services accept status changes from IT only. The
    status history then names the ticketing system as the actor."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=f"integration-{name}"[:150],
        defaults={"first_name": name[:150], "last_name": "(integration)", "is_active": False},
    )
    if user.has_usable_password() or user.is_active:
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
    user.groups.add(Group.objects.get(name=Role.IT_STAFF.value))
    return user


def _check_secret(secret: str) -> str:
    secret = (secret or "").strip()
    if len(secret) < 16:
        raise ValidationError({"secret": "Use a secret of at least 16 characters."})
    return secret


@transaction.atomic
def integration_source_add(*, name: str, kind: str, secret: str, business_unit=None) -> IntegrationSource:
    """Register a ticketing system that may post signed webhooks."""
    if kind not in SourceKind.values:
        raise ValidationError({"kind": f"Choose one of {', '.join(SourceKind.values)}."})
    source = IntegrationSource(name=(name or "").strip(), kind=kind, secret=_check_secret(secret), business_unit=business_unit)
    source.full_clean(exclude=["actor"])
    source.actor = _source_actor(source.name)
    source.save()
    return source


@transaction.atomic
def integration_source_rotate_secret(*, source: IntegrationSource, secret: str, overlap_hours: int | None = None) -> IntegrationSource:
    """Make `secret` the current one; the old one stays valid for `overlap_hours` (0: no longer)."""
    secret = _check_secret(secret)
    hours = settings.INTEGRATIONS_SECRET_OVERLAP_HOURS if overlap_hours is None else overlap_hours
    if hours < 0:
        raise ValidationError({"overlap_hours": "The overlap cannot be negative."})
    source = IntegrationSource.objects.select_for_update().get(pk=source.pk)
    if secret == source.secret:
        raise ValidationError({"secret": "That is already the current secret."})
    source.previous_secret = source.secret if hours else ""
    source.previous_secret_valid_until = timezone.now() + datetime.timedelta(hours=hours) if hours else None
    source.secret = secret
    source.save()
    return source


@transaction.atomic
def integration_source_set_enabled(*, source: IntegrationSource, enabled: bool) -> IntegrationSource:
    if source.enabled != enabled:
        source.enabled = enabled
        source.save()
    return source


# --- Inbound deliveries -----------------------------------------------------------------------------


# The `code` of a refused delivery, as in every API error body (partnership/api/errors.py).
REFUSAL_CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found", 413: "payload_too_large"}


@dataclass(frozen=True)
class InboundOutcome:
    """The webhook's answer: HTTP status and the body fields."""

    status_code: int
    result: str
    detail: str
    delivery_id: str = ""
    external_ref: str = ""
    pain_point: int | None = None
    url: str = ""

    def as_body(self) -> dict:
        if self.result == InboundResult.REFUSED:
            return {"detail": self.detail, "code": REFUSAL_CODES.get(self.status_code, "invalid")}
        return {
            "result": self.result,
            "detail": self.detail,
            "delivery_id": self.delivery_id,
            "external_ref": self.external_ref,
            "pain_point": self.pain_point,
            "url": self.url,
        }


class _Replay(Exception):
    pass


class _Retry(Exception):
    pass


# How often a delivery that lost a race (its ticket's pain point appeared meanwhile) is re-run.
RACE_ATTEMPTS = 5


def _refuse(source, source_name: str, status_code: int, reason: str, *, delivery_id="", event="", external_ref=""):
    """Log a refused delivery (a row of its own, outside the rolled-back work) and answer it."""
    logger.warning("inbound webhook refused (%s) from %s: %s", status_code, source_name, reason)
    InboundDelivery.objects.create(
        source=source,
        source_name=source_name[:100],
        delivery_id=delivery_id[:255],
        event=event[:100],
        external_ref=external_ref[:200],
        result=InboundResult.REFUSED,
        status_code=status_code,
        reason=reason,
    )
    return InboundOutcome(status_code, InboundResult.REFUSED, reason, delivery_id, external_ref)


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.message_dict.items()))
            prefix = "" if field == "__all__" else f"{field}: "
            return f"{prefix}{errors[0]}"
        return exc.messages[0]
    return str(exc)


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def inbound_delivery_receive(*, source_name: str, headers, body: bytes, now=None) -> InboundOutcome:
    """Check and apply one webhook delivery; every outcome, refusals included, is logged."""
    headers = CaseInsensitiveMapping(headers)
    source_name = source_name.replace("\x00", "\ufffd")  # no source has a NUL; PostgreSQL cannot compare one
    source = IntegrationSource.objects.filter(name=source_name, enabled=True).select_related("business_unit").first()
    if source is None:
        return _refuse(None, source_name, 404, f"There is no enabled integration source named '{source_name}'.")
    form = FORMATS[source.kind]
    try:
        form.verify(
            secrets=source.valid_secrets(now),
            headers=headers,
            body=body,
            now=now,
            tolerance=settings.INTEGRATIONS_TIMESTAMP_TOLERANCE_SECONDS,
        )
    except SignatureError as exc:
        return _refuse(source, source.name, 401, str(exc))
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return _refuse(source, source.name, 400, f"The body is not valid JSON: {exc}")
    if not isinstance(payload, dict):
        return _refuse(source, source.name, 400, "The body must be a JSON object.")
    if _contains_nul(payload):
        # PostgreSQL cannot store a NUL character in text.
        return _refuse(source, source.name, 400, "The body contains a NUL character (\\u0000), which cannot be stored.")
    delivery_id = form.delivery_id(headers, payload, body)
    if not delivery_id:
        return _refuse(source, source.name, 400, "The delivery has no id (webhook-id header).")
    if len(delivery_id) > 255:
        return _refuse(source, source.name, 400, "The delivery id is longer than 255 characters.")
    try:
        parsed = form.parse(payload, headers)
    except PayloadError as exc:
        return _refuse(source, source.name, 400, str(exc), delivery_id=delivery_id)
    return _apply(source, form, delivery_id, parsed)


def _apply(source, form, delivery_id: str, parsed) -> InboundOutcome:
    ref = parsed.external_ref if isinstance(parsed, Ticket) else ""
    for _ in range(RACE_ATTEMPTS):
        try:
            with transaction.atomic():
                delivery = _claim(source, delivery_id, parsed.event, ref)
                if isinstance(parsed, Ignored):
                    delivery.result, delivery.status_code, delivery.reason = InboundResult.IGNORED, 200, parsed.reason
                    delivery.save()
                    return InboundOutcome(200, InboundResult.IGNORED, parsed.reason, delivery_id, ref)
                pain_point, result, detail = _sync_ticket(source, form, parsed)
                delivery.result = result
                delivery.status_code = 201 if result == InboundResult.CREATED else 200
                delivery.reason = detail
                delivery.object_type = ContentType.objects.get_for_model(pain_point)
                delivery.object_id = str(pain_point.pk)
                delivery.save()
            return InboundOutcome(
                delivery.status_code, result, detail, delivery_id, ref, pain_point.pk, pain_point.get_absolute_url()
            )
        except _Replay:
            return _replay(source, delivery_id, parsed.event, ref)
        except (_Retry, IntegrityError):
            continue
        except (ValidationError, PermissionDenied) as exc:
            return _refuse(source, source.name, 400, _message(exc), delivery_id=delivery_id, event=parsed.event, external_ref=ref)
    return _refuse(
        source, source.name, 409, "Other deliveries of this ticket kept changing it; retry later.",
        delivery_id=delivery_id, event=parsed.event, external_ref=ref,
    )


def _claim(source, delivery_id, event, ref) -> InboundDelivery:
    """Insert the delivery's log row. A concurrent delivery with the same id waits here for the
    first one's transaction: when it commits, the unique constraint makes this one a replay."""
    try:
        with transaction.atomic():
            return InboundDelivery.objects.create(
                source=source,
                source_name=source.name,
                delivery_id=delivery_id,
                event=event[:100],
                external_ref=ref[:200],
                result=InboundResult.PROCESSING,
                status_code=102,  # "Processing": the row is rewritten with the answer in this transaction
            )
    except IntegrityError:
        raise _Replay from None


def _replay(source, delivery_id, event, ref) -> InboundOutcome:
    first = (
        InboundDelivery.objects.filter(source=source, delivery_id=delivery_id, result__in=CLAIMING_RESULTS)
        .order_by("received_at", "id")
        .first()
    )
    pain_point_id = int(first.object_id) if first is not None and first.object_id.isdigit() else None
    detail = "This delivery was already processed; nothing changed."
    InboundDelivery.objects.create(
        source=source,
        source_name=source.name,
        delivery_id=delivery_id,
        event=event[:100],
        external_ref=ref[:200],
        result=InboundResult.REPLAY,
        status_code=200,
        reason=detail,
        object_type=first.object_type if first is not None else None,
        object_id=first.object_id if first is not None else "",
    )
    return InboundOutcome(200, InboundResult.REPLAY, detail, delivery_id, ref, pain_point_id)


def _business_unit_for(source, ticket: Ticket):
    if ticket.business_unit:
        unit = BusinessUnit.objects.filter(slug=ticket.business_unit, is_active=True).first()
        if unit is None:
            raise ValidationError({"business_unit": f"There is no active business unit '{ticket.business_unit}'."})
        return unit
    if source.business_unit_id:
        return source.business_unit
    if ticket.reporter_email:
        reporter = (
            get_user_model()
            .objects.filter(email__iexact=ticket.reporter_email, business_unit__isnull=False)
            .select_related("business_unit")
            .first()
        )
        if reporter is not None:
            return reporter.business_unit
    raise ValidationError(
        {
            "business_unit": (
                f"Cannot tell which business unit ticket {ticket.external_ref} belongs to: give the source "
                "a business unit, or send a reporter whose e-mail belongs to a portal user of a unit."
            )
        }
    )


def _sync_ticket(source, form, ticket: Ticket):
    """Create the ticket's pain point or bring it up to date. Runs inside the delivery's transaction."""
    from listening import services as listening
    from listening.choices import Source
    from listening.models import PainPoint

    actor = source.actor or _source_actor(source.name)
    note = f"{form.label} {ticket.external_ref}: status '{ticket.raw_status}'." if ticket.raw_status else ""
    for _ in range(RACE_ATTEMPTS):
        existing = (
            PainPoint.objects.select_for_update()
            .filter(source_system=source.name, external_ref=ticket.external_ref)
            .first()
        )
        if existing is not None:
            return _update(existing, ticket, actor, note)
        unit = _business_unit_for(source, ticket)
        try:
            pain_point = listening.pain_point_create(
                submitted_by=None,
                business_unit=unit,
                title=ticket.title,
                description=ticket.description,
                severity=ticket.severity or 3,
                source=Source.TICKETING,
                source_system=source.name,
                external_ref=ticket.external_ref,
            )
        except ValidationError:
            # Another delivery of the same ticket created it first (the unique index waited for
            # its commit): update that one instead.
            if PainPoint.objects.filter(source_system=source.name, external_ref=ticket.external_ref).exists():
                continue
            raise
        _move_status(pain_point, ticket, actor, note)
        return pain_point, InboundResult.CREATED, f"Pain point created from {form.label} {ticket.external_ref}."
    raise _Retry


def _update(pain_point, ticket: Ticket, actor, note: str):
    from listening import services as listening
    from listening.workflow import PAIN_POINT

    if pain_point.is_read_only:
        return pain_point, InboundResult.UNCHANGED, "The pain point was merged into another one; it takes no changes."
    if PAIN_POINT.is_final(pain_point):
        # Its workflow has ended (closed, declined): a ticket neither edits nor reopens it.
        label = pain_point.get_status_display().lower()
        return pain_point, InboundResult.UNCHANGED, f"The pain point is {label}; it takes no changes from a ticket."
    changes = {}
    if ticket.title != pain_point.title:
        changes["title"] = ticket.title
    if ticket.description != pain_point.description:
        changes["description"] = ticket.description
    if ticket.severity and ticket.severity != pain_point.severity:
        changes["severity"] = ticket.severity
    if changes:
        listening.pain_point_update(pain_point=pain_point, actor=actor, **changes)
    moved = _move_status(pain_point, ticket, actor, note)
    if changes or moved:
        what = sorted(changes) + (["status"] if moved else [])
        return pain_point, InboundResult.UPDATED, f"Updated: {', '.join(what)}."
    return pain_point, InboundResult.UNCHANGED, "The pain point already matched the ticket."


def _move_status(pain_point, ticket: Ticket, actor, note: str) -> bool:
    """Walk the pain point to the ticket's mapped status along the declared workflow
    (listening.workflow.PAIN_POINT, the steps of TICKET_STEPS), each step through its service
    and its guard. A status no declared walk reaches (a reopening, anything from a closed or
    declined pain point) is left alone."""
    from listening.workflow import PAIN_POINT, TICKET_STEPS

    if ticket.status is None:
        return False
    walk = PAIN_POINT.path(pain_point.status, ticket.status, names=TICKET_STEPS)
    inputs = {"note": note, "reason": ticket.note or note or "Declined in the ticketing system."}
    for step in walk:
        PAIN_POINT.check(pain_point, actor, step.name, **inputs)
        if TICKET_STEPS[step.name]:
            import_string(TICKET_STEPS[step.name])(pain_point=pain_point, actor=actor, note=note)
        else:
            PAIN_POINT.run(pain_point, actor, step.name, **inputs)
    return bool(walk)
