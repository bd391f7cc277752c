"""What each ticketing system sends, read into one `Ticket`, and how its statuses and priorities
map to the pain point workflow and severity.

Parsing never touches the database. A payload that is not a ticket event (a Jira comment event,
a Zendesk user event) is `Ignored`; a ticket event without its required fields raises
`PayloadError` with a message naming the field.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass

from django.utils.dateparse import parse_datetime

from .. import bounds
from .choices import SourceKind
from .signatures import verify_jira, verify_servicenow, verify_standard, verify_zendesk

# The pain point statuses (listening.choices.PainPointStatus values), spelled out so that this
# module needs no pillar import.
NEW, ACKNOWLEDGED, ANALYSING, PLANNED, RESOLVED, CLOSED, DECLINED = (
    "new", "acknowledged", "analysing", "planned", "resolved", "closed", "declined",
)


class PayloadError(Exception):
    """Malformed JSON or a missing field; the message is the 400 answer."""


@dataclass(frozen=True)
class Ticket:
    """One ticket as the portal needs it, whatever system sent it."""

    event: str
    external_ref: str
    title: str
    description: str
    severity: int | None = None
    status: str | None = None  # a pain point status the ticket's status maps to, or None
    raw_status: str = ""
    reporter_email: str = ""
    business_unit: str = ""  # a unit slug; only the generic format names one
    note: str = ""  # the reason given with a decline (generic format)
    updated_at: datetime.datetime | None = None  # the ticket's own updated time, when the payload says it

    def content_digest(self) -> str:
        """The same content gives the same digest, whatever the event and the time."""
        content = {k: v for k, v in asdict(self).items() if k not in ("event", "updated_at")}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def as_json(self) -> dict:
        """The ticket as a parked ticket keeps it (see `from_json`)."""
        data = asdict(self)
        data["updated_at"] = self.updated_at.isoformat() if self.updated_at else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Ticket":
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["updated_at"] = parse_datetime(fields["updated_at"]) if fields.get("updated_at") else None
        return cls(**fields)


@dataclass(frozen=True)
class Ignored:
    """A valid delivery that is not about a ticket; answered 200 and logged."""

    event: str
    reason: str


# --- Status and priority maps (lower-case keys) ---------------------------------------------------

JIRA_STATUSES = {
    "to do": NEW, "open": NEW, "backlog": NEW, "new": NEW, "reopened": NEW,
    "selected for development": ACKNOWLEDGED, "acknowledged": ACKNOWLEDGED, "triage": ACKNOWLEDGED,
    "in progress": ANALYSING, "in analysis": ANALYSING, "in review": ANALYSING, "waiting for customer": ANALYSING,
    "planned": PLANNED, "scheduled": PLANNED,
    "done": RESOLVED, "resolved": RESOLVED, "fixed": RESOLVED,
    "closed": CLOSED,
    "won't do": DECLINED, "won't fix": DECLINED, "declined": DECLINED, "rejected": DECLINED, "cancelled": DECLINED,
    "canceled": DECLINED,
}
# When a workflow has its own status names, Jira's status category still says where it is.
JIRA_STATUS_CATEGORIES = {"new": NEW, "indeterminate": ANALYSING, "done": RESOLVED}
JIRA_PRIORITIES = {"highest": 5, "blocker": 5, "critical": 5, "high": 4, "major": 4, "medium": 3, "low": 2, "minor": 2,
                   "lowest": 1, "trivial": 1}

ZENDESK_STATUSES = {"new": NEW, "open": ACKNOWLEDGED, "pending": ANALYSING, "hold": ANALYSING, "on-hold": ANALYSING,
                    "solved": RESOLVED, "closed": CLOSED}
ZENDESK_PRIORITIES = {"urgent": 5, "high": 4, "normal": 3, "low": 2}

# ServiceNow incident states, by number and by label.
SERVICENOW_STATES = {
    "1": NEW, "new": NEW,
    "2": ANALYSING, "in progress": ANALYSING, "work in progress": ANALYSING,
    "3": ANALYSING, "on hold": ANALYSING, "awaiting user info": ANALYSING,
    "6": RESOLVED, "resolved": RESOLVED,
    "7": CLOSED, "closed": CLOSED, "closed complete": CLOSED,
    "8": DECLINED, "canceled": DECLINED, "cancelled": DECLINED, "closed incomplete": DECLINED,
}
# 1 Critical ... 5 Planning, possibly as "1 - Critical".
SERVICENOW_PRIORITIES = {"1": 5, "critical": 5, "2": 4, "high": 4, "3": 3, "moderate": 3, "4": 2, "low": 2,
                         "5": 1, "planning": 1}

GENERIC_STATUSES = {s: s for s in (NEW, ACKNOWLEDGED, ANALYSING, PLANNED, RESOLVED, CLOSED, DECLINED)}
GENERIC_PRIORITIES = {"lowest": 1, "low": 2, "medium": 3, "normal": 3, "high": 4, "critical": 5, "highest": 5}


# --- Helpers -------------------------------------------------------------------------------------


def _text(value, field: str, *, required: bool = False, limit: int | None = None) -> str:
    if value is None:
        value = ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, dict):  # Atlassian Document Format
        value = _adf_text(value)
    if not isinstance(value, str):
        raise PayloadError(f"{field} must be a string.")
    value = value.strip()
    if required and not value:
        raise PayloadError(f"{field} is missing.")
    return value[:limit] if limit else value


# The longest external reference a pain point holds (PainPoint.external_ref): a longer one is
# refused, never cut (two long keys cut alike would become one pain point).
REFERENCE_MAX = 200


def _reference(value, field: str) -> str:
    ref = _text(value, field, required=True)
    if len(ref) > REFERENCE_MAX:
        raise PayloadError(f"{field} is longer than {REFERENCE_MAX} characters, the longest reference the portal keeps.")
    return ref


def _time(value, field: str) -> datetime.datetime | None:
    """A ticket's updated time: ISO 8601 (Jira's `+0000` too, ServiceNow's `2024-05-01 10:00:00`
    in UTC) or Unix seconds or milliseconds; none when the payload has none."""
    if value is None or value == "":
        return None
    stamp = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        stamp = float(value)
    elif isinstance(value, str) and value.strip().isdigit():
        stamp = float(value.strip())
    try:
        if stamp is not None:
            moment = datetime.datetime.fromtimestamp(stamp / 1000 if stamp > 1e11 else stamp, tz=datetime.UTC)
        elif isinstance(value, str):
            text = value.strip()
            if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():  # 2024-05-01T10:00:00.000+0000
                text = f"{text[:-2]}:{text[-2:]}"
            moment = parse_datetime(text)
        else:
            moment = None
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None:
        raise PayloadError(f"{field} is not a date and time (ISO 8601 or Unix time).")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    if not bounds.DATETIME_MIN_UTC <= moment < bounds.DATETIME_MAX_UTC:
        raise PayloadError(f"{field} is not between the years {bounds.YEAR_MIN} and {bounds.YEAR_MAX}.")
    return moment


def _adf_text(node) -> str:
    """The plain text of an Atlassian Document Format node: its text leaves, paragraphs on lines."""
    if isinstance(node, dict):
        if node.get("type") == "text":
            return str(node.get("text", ""))
        parts = [_adf_text(child) for child in node.get("content", []) or []]
        joiner = "\n" if node.get("type") in ("doc", "bulletList", "orderedList") else ""
        return joiner.join(p for p in parts if p)
    return ""


def _object(value, field: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PayloadError(f"{field} must be an object.")
    return value


def _lookup(table: dict, raw) -> str | int | None:
    if raw is None:
        return None
    key = str(raw).strip().lower()
    if key in table:
        return table[key]
    # "1 - Critical", "2 - High" (ServiceNow display values)
    head = key.split(" - ", 1)[0].strip()
    return table.get(head)


def _description(text: str, system: str, ref: str) -> str:
    return text or f"No description was given in {system} ({ref})."


def body_digest(body: bytes) -> str:
    """A delivery id for senders that do not send one: the same bytes are the same delivery."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


# --- The formats -----------------------------------------------------------------------------------


def parse_jira(payload: dict, headers) -> Ticket | Ignored:
    event = _text(payload.get("webhookEvent"), "webhookEvent", required=True, limit=100)
    if event not in ("jira:issue_created", "jira:issue_updated"):
        return Ignored(event, f"The event {event} is not about a created or updated issue.")
    issue = _object(payload.get("issue"), "issue")
    fields = _object(issue.get("fields"), "issue.fields")
    key = _reference(issue.get("key"), "issue.key")
    status = _object(fields.get("status"), "fields.status")
    raw_status = _text(status.get("name"), "fields.status.name", limit=100)
    mapped = _lookup(JIRA_STATUSES, raw_status)
    if mapped is None and raw_status:
        category = _object(status.get("statusCategory"), "fields.status.statusCategory")
        mapped = _lookup(JIRA_STATUS_CATEGORIES, category.get("key"))
    reporter = _object(fields.get("reporter"), "fields.reporter")
    priority = _object(fields.get("priority"), "fields.priority")
    return Ticket(
        event=event,
        external_ref=key,
        title=_text(fields.get("summary"), "fields.summary", required=True, limit=200),
        description=_description(_text(fields.get("description"), "fields.description"), "Jira", key),
        severity=_lookup(JIRA_PRIORITIES, priority.get("name")),
        status=mapped,
        raw_status=raw_status,
        reporter_email=_text(reporter.get("emailAddress"), "fields.reporter.emailAddress", limit=254),
        updated_at=_time(fields.get("updated"), "fields.updated") or _time(payload.get("timestamp"), "timestamp"),
    )


def parse_zendesk(payload: dict, headers) -> Ticket | Ignored:
    event = _text(payload.get("type"), "type", required=True, limit=100)
    if not event.startswith("zen:event-type:ticket."):
        return Ignored(event, f"The event {event} is not a ticket event.")
    detail = _object(payload.get("detail"), "detail")
    if not detail:
        raise PayloadError("detail is missing.")
    ref = _reference(detail.get("id"), "detail.id")
    requester = detail.get("requester")
    email = _text(_object(requester, "detail.requester").get("email"), "detail.requester.email", limit=254) if isinstance(
        requester, dict
    ) else ""
    raw_status = _text(detail.get("status"), "detail.status", limit=100)
    return Ticket(
        event=event,
        external_ref=ref,
        title=_text(detail.get("subject"), "detail.subject", required=True, limit=200),
        description=_description(_text(detail.get("description"), "detail.description"), "Zendesk", f"#{ref}"),
        severity=_lookup(ZENDESK_PRIORITIES, detail.get("priority")),
        status=_lookup(ZENDESK_STATUSES, raw_status),
        raw_status=raw_status,
        reporter_email=email,
        updated_at=_time(detail.get("updated_at"), "detail.updated_at") or _time(payload.get("time"), "time"),
    )


def parse_servicenow(payload: dict, headers) -> Ticket:
    sys_id = _reference(payload.get("sys_id"), "sys_id")
    number = _text(payload.get("number"), "number", limit=100)
    raw_state = _text(payload.get("state"), "state", limit=100)
    ref = number or sys_id
    return Ticket(
        event=_text(payload.get("event"), "event", limit=100) or "record",
        external_ref=sys_id,
        title=_text(payload.get("short_description"), "short_description", required=True, limit=200),
        description=_description(_text(payload.get("description"), "description"), "ServiceNow", ref),
        severity=_lookup(SERVICENOW_PRIORITIES, payload.get("priority")),
        status=_lookup(SERVICENOW_STATES, raw_state),
        raw_status=raw_state,
        reporter_email=_text(payload.get("caller_email"), "caller_email", limit=254),
        updated_at=_time(payload.get("sys_updated_on"), "sys_updated_on"),
    )


def parse_generic(payload: dict, headers) -> Ticket | Ignored:
    event = _text(payload.get("type"), "type", limit=100) or "ticket.upserted"
    if not event.startswith("ticket."):
        return Ignored(event, f"The event {event} is not a ticket event.")
    data = _object(payload.get("data"), "data")
    if not data:
        raise PayloadError("data is missing.")
    ref = _reference(data.get("id"), "data.id")
    severity = data.get("severity")
    if severity is not None:
        if isinstance(severity, bool) or not isinstance(severity, int) or not 1 <= severity <= 5:
            raise PayloadError("data.severity must be a whole number from 1 to 5.")
    elif data.get("priority") is not None:
        severity = _lookup(GENERIC_PRIORITIES, data.get("priority"))
    raw_status = _text(data.get("status"), "data.status", limit=100)
    status = _lookup(GENERIC_STATUSES, raw_status)
    if raw_status and status is None:
        raise PayloadError(f"data.status must be one of {', '.join(GENERIC_STATUSES)}.")
    return Ticket(
        event=event,
        external_ref=ref,
        title=_text(data.get("title"), "data.title", required=True, limit=200),
        description=_description(_text(data.get("description"), "data.description"), "the source system", ref),
        severity=severity,
        status=status,
        raw_status=raw_status,
        reporter_email=_text(data.get("reporter_email"), "data.reporter_email", limit=254),
        business_unit=_text(data.get("business_unit"), "data.business_unit", limit=100),
        note=_text(data.get("status_note"), "data.status_note", limit=2000),
        updated_at=_time(data.get("updated_at"), "data.updated_at") or _time(payload.get("timestamp"), "timestamp"),
    )


@dataclass(frozen=True)
class Format:
    """How one kind of source signs, names its deliveries and describes its tickets."""

    label: str
    verify: object
    parse: object
    delivery_id: object  # (headers, payload, body) -> str


def _jira_delivery(headers, payload, body):
    return headers.get("X-Atlassian-Webhook-Identifier", "").strip() or body_digest(body)


def _zendesk_delivery(headers, payload, body):
    # The event id is the same on every retry of the same event; the invocation id is the fallback.
    event_id = payload.get("id") if isinstance(payload.get("id"), str) else ""
    return event_id.strip() or headers.get("X-Zendesk-Webhook-Invocation-Id", "").strip() or body_digest(body)


def _servicenow_delivery(headers, payload, body):
    stamp = headers.get("X-ServiceNow-Timestamp", "").strip()
    return headers.get("X-ServiceNow-Delivery", "").strip() or body_digest(stamp.encode() + b"." + body)


def _standard_delivery(headers, payload, body):
    return headers.get("webhook-id", "").strip()


FORMATS = {
    SourceKind.JIRA: Format("Jira", verify_jira, parse_jira, _jira_delivery),
    SourceKind.ZENDESK: Format("Zendesk", verify_zendesk, parse_zendesk, _zendesk_delivery),
    SourceKind.SERVICENOW: Format("ServiceNow", verify_servicenow, parse_servicenow, _servicenow_delivery),
    SourceKind.GENERIC: Format("the source system", verify_standard, parse_generic, _standard_delivery),
}
