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

from .. import jsonbody
from ..models import BusinessUnit
from ..roles import Role, is_integration_client, is_it_staff
from .choices import CLAIMING_RESULTS, InboundResult, SourceKind
from .formats import FORMATS, Ignored, PayloadError, Ticket
from .models import InboundDelivery, InboundTicket, IntegrationSource
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
def integration_source_add(*, name: str, kind: str, secret: str, business_unit=None, client=None) -> IntegrationSource:
    """Register a ticketing system that may post signed webhooks; `client`, its integration
    client account, may create, update and comment on the source's pain points over the API."""
    if kind not in SourceKind.values:
        raise ValidationError({"kind": f"Choose one of {', '.join(SourceKind.values)}."})
    if client is not None and not is_integration_client(client):
        raise ValidationError({"client": "The client must be an account of the Integration client role."})
    source = IntegrationSource(
        name=(name or "").strip(), kind=kind, secret=_check_secret(secret), business_unit=business_unit, client=client
    )
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
        payload = jsonbody.loads(body)
    except jsonbody.JSONBodyError as exc:
        return _refuse(source, source.name, 400, str(exc))
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


# The answer to a ticket by its result: created 201, parked 202 (accepted, waiting for IT), else 200.
STATUS_CODES = {InboundResult.CREATED: 201, InboundResult.PARKED: 202}


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
                pain_point, result, detail = _sync_ticket(source, form, parsed, delivery)
                delivery.result = result
                delivery.status_code = STATUS_CODES.get(result, 200)
                delivery.reason = detail
                if pain_point is not None:
                    delivery.object_type = ContentType.objects.get_for_model(pain_point)
                    delivery.object_id = str(pain_point.pk)
                delivery.save()
            return InboundOutcome(
                delivery.status_code, result, detail, delivery_id, ref,
                pain_point.pk if pain_point is not None else None,
                pain_point.get_absolute_url() if pain_point is not None else "",
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
    """The ticket's unit and, when it cannot be told, why (the unit is then None)."""
    if ticket.business_unit:
        unit = BusinessUnit.objects.filter(slug=ticket.business_unit, is_active=True).first()
        if unit is None:
            return None, f"There is no active business unit '{ticket.business_unit}'."
        return unit, ""
    if source.business_unit_id:
        return source.business_unit, ""
    if ticket.reporter_email:
        reporter = (
            get_user_model()
            .objects.filter(email__iexact=ticket.reporter_email, business_unit__isnull=False)
            .select_related("business_unit")
            .first()
        )
        if reporter is not None:
            return reporter.business_unit, ""
    return None, (
        f"Cannot tell which business unit ticket {ticket.external_ref} belongs to: the source has no business unit "
        "and the reporter's e-mail is not a portal user's of a unit."
    )


def _ticket_record(source, ref: str) -> InboundTicket:
    """The ticket's row, locked: the deliveries of one ticket take turns from here on. Two first
    deliveries at once: the unique index makes the second one wait, fail and be run again."""
    record = InboundTicket.objects.select_for_update().filter(source=source, external_ref=ref).first()
    if record is None:
        with transaction.atomic():
            record = InboundTicket.objects.create(source=source, external_ref=ref)
    return record


def _is_stale(record: InboundTicket, ticket: Ticket) -> bool:
    """Older than the update applied last (by the ticket's own updated time), or that very update
    again (the same time and content: an old body resent under a new delivery id). Without a time
    in the payload, only the same content as the last applied is stale."""
    same = bool(record.content_digest) and record.content_digest == ticket.content_digest()
    if ticket.updated_at is not None and record.updated_at is not None:
        return ticket.updated_at < record.updated_at or (ticket.updated_at == record.updated_at and same)
    return ticket.updated_at is None and same


def _sync_ticket(source, form, ticket: Ticket, delivery, *, unit=None):
    """Create the ticket's pain point, bring it up to date, or park the ticket. Runs inside the
    delivery's transaction; (pain point or None, result, detail)."""
    from listening.models import PainPoint

    record = _ticket_record(source, ticket.external_ref)
    existing = PainPoint.objects.select_for_update().filter(source_system=source.name, external_ref=ticket.external_ref).first()
    if delivery is not None and _is_stale(record, ticket):
        when = f" of {ticket.updated_at.isoformat()}" if ticket.updated_at else ""
        return existing, InboundResult.STALE, (
            f"Stale: this update{when} of {form.label} {ticket.external_ref} is not newer than the one applied; nothing changed."
        )
    actor = source.actor or _source_actor(source.name)
    note = f"{form.label} {ticket.external_ref}: status '{ticket.raw_status}'." if ticket.raw_status else ""
    changed = ticket.content_digest() != record.content_digest
    if existing is not None:
        outcome = _update(existing, ticket, actor, note, label=form.label, changed=changed)
    else:
        reason = ""
        if unit is None:
            unit, reason = _business_unit_for(source, ticket)
        outcome = _park(record, ticket, delivery, reason) if unit is None else _create(source, form, ticket, unit, actor, note)
    if outcome[1] != InboundResult.PARKED and record.parked_at is not None:
        record.parked_at, record.parked_reason, record.ticket = None, "", {}
    if ticket.updated_at is not None and (record.updated_at is None or ticket.updated_at > record.updated_at):
        record.updated_at = ticket.updated_at
    record.content_digest = ticket.content_digest()
    record.save()
    return outcome


def _park(record: InboundTicket, ticket: Ticket, delivery, reason: str):
    """Keep the ticket in IT's "needs a unit" queue (its newest content, and the delivery)."""
    again = record.parked_at is not None
    record.parked_at = record.parked_at or timezone.now()
    record.parked_reason = reason
    record.ticket = ticket.as_json()
    record.parked_delivery = delivery
    detail = f"{reason} The ticket waits for IT to assign a unit{' (it was already waiting)' if again else ''}."
    return None, InboundResult.PARKED, detail


def _create(source, form, ticket: Ticket, unit, actor, note: str):
    from listening import services as listening
    from listening.choices import Source
    from listening.models import PainPoint

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
        # Someone else wrote the ticket's pain point first (the unique index waited for its
        # commit): run the delivery again, which updates that one.
        if PainPoint.objects.filter(source_system=source.name, external_ref=ticket.external_ref).exists():
            raise _Retry from None
        raise
    _move_status(pain_point, ticket, actor, note)
    return pain_point, InboundResult.CREATED, f"Pain point created from {form.label} {ticket.external_ref}."


def _update(pain_point, ticket: Ticket, actor, note: str, *, label: str, changed: bool):
    from listening import services as listening
    from listening.workflow import PAIN_POINT, TICKET_STEPS

    ended = pain_point.is_read_only or PAIN_POINT.is_final(pain_point)
    moved = False
    if ended:
        # Its workflow has ended (closed, declined, merged): the ticket reopens it only along a
        # step the declared workflow has for a ticket; otherwise its change becomes a comment.
        if ticket.status is None or not PAIN_POINT.path(pain_point.status, ticket.status, names=TICKET_STEPS):
            return _comment_instead(pain_point, ticket, actor, label=label, changed=changed)
        moved = _move_status(pain_point, ticket, actor, note)
    changes = {}
    if ticket.title != pain_point.title:
        changes["title"] = ticket.title
    if ticket.description != pain_point.description:
        changes["description"] = ticket.description
    if ticket.severity and ticket.severity != pain_point.severity:
        changes["severity"] = ticket.severity
    if changes:
        listening.pain_point_update(pain_point=pain_point, actor=actor, **changes)
    if not ended:
        moved = _move_status(pain_point, ticket, actor, note)
    if changes or moved:
        what = sorted(changes) + (["status"] if moved else [])
        return pain_point, InboundResult.UPDATED, f"Updated: {', '.join(what)}."
    return pain_point, InboundResult.UNCHANGED, "The pain point already matched the ticket."


# How much of a ticket's description a comment quotes.
COMMENT_DESCRIPTION_MAX = 2000


def _comment_instead(pain_point, ticket: Ticket, actor, *, label: str, changed: bool):
    """Add what the ticket changed as a comment (on the pain point a merged one continues in).
    Nothing is added when the ticket's content is what was applied last, or matches anyway."""
    from listening import services as listening
    from listening.choices import PainPointStatus

    state = PainPointStatus(pain_point.status).label.lower()
    differences = []
    if ticket.title != pain_point.title:
        differences.append(f"- title: {ticket.title}")
    if ticket.severity and ticket.severity != pain_point.severity:
        differences.append(f"- severity: {ticket.severity}")
    if ticket.raw_status and ticket.status != pain_point.status:
        differences.append(f"- status: {ticket.raw_status}")
    if ticket.description != pain_point.description:
        differences.append(f"- description: {ticket.description[:COMMENT_DESCRIPTION_MAX]}")
    if not changed or not differences:
        return pain_point, InboundResult.UNCHANGED, f"The pain point is {state}; the ticket brought nothing new."
    target, seen = pain_point, set()
    while target.merged_into_id and target.pk not in seen:
        seen.add(target.pk)
        target = target.merged_into
    body = (
        f"{label} {ticket.external_ref} changed after this pain point was {state}"
        + (f" (pain point #{pain_point.pk}, merged into this one)" if target.pk != pain_point.pk else "")
        + "; the change is not applied:\n"
        + "\n".join(differences)
    )
    listening.comment_add(pain_point=target, author=actor, body=body)
    where = "" if target.pk == pain_point.pk else f" on pain point #{target.pk}, which it was merged into"
    return pain_point, InboundResult.COMMENTED, (
        f"The pain point is {state}; it takes no more changes from a ticket: the ticket's change was added as a "
        f"comment{where}."
    )


def _move_status(pain_point, ticket: Ticket, actor, note: str) -> bool:
    """Walk the pain point to the ticket's mapped status along the declared workflow
    (listening.workflow.PAIN_POINT, the steps of TICKET_STEPS), each step through its service
    and its guard. A status no declared walk reaches (a reopening the workflow does not declare,
    anything backwards) is left alone."""
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


# --- The "needs a unit" queue ------------------------------------------------------------------------


@transaction.atomic
def parked_ticket_assign(*, ticket: InboundTicket, business_unit, actor):
    """IT tells the unit of a parked ticket: its pain point is created (or updated) from what the
    ticket's last delivery said, and the ticket leaves the queue. Returns the pain point."""
    if not is_it_staff(actor):
        raise PermissionDenied("Only IT staff can assign a unit to a parked ticket.")
    record = InboundTicket.objects.select_for_update(of=("self",)).select_related("source", "parked_delivery").get(pk=ticket.pk)
    if record.parked_at is None:
        raise ValidationError({"ticket": "This ticket no longer waits for a unit."})
    if business_unit is None or not business_unit.is_active:
        raise ValidationError({"business_unit": "Choose an active business unit."})
    source = record.source
    parsed = Ticket.from_json(record.ticket)
    delivery = record.parked_delivery
    pain_point, _, _ = _sync_ticket(source, FORMATS[source.kind], parsed, None, unit=business_unit)
    record.refresh_from_db()
    record.assigned_by, record.assigned_at = actor, timezone.now()
    record.save()
    if delivery is not None and pain_point is not None:
        delivery.object_type = ContentType.objects.get_for_model(pain_point)
        delivery.object_id = str(pain_point.pk)
        delivery.reason = f"{delivery.reason} Assigned to {business_unit.name} by {actor.get_username()}."
        delivery.save()
    return pain_point
