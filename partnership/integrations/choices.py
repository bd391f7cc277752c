"""Choices of the integrations package."""

from django.db import models


class SourceKind(models.TextChoices):
    JIRA = "jira", "Jira Cloud"
    ZENDESK = "zendesk", "Zendesk"
    SERVICENOW = "servicenow", "ServiceNow"
    GENERIC = "generic", "Generic (Standard Webhooks)"


class InboundResult(models.TextChoices):
    PROCESSING = "processing", "Processing"
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    IGNORED = "ignored", "Ignored (not a ticket event)"
    REPLAY = "replay", "Replay (already processed)"
    REFUSED = "refused", "Refused"
    # Accepted, but its business unit cannot be told: kept in IT's "needs a unit" queue.
    PARKED = "parked", "Parked (needs a unit)"
    # Older than the update of the ticket already applied (by the ticket's own updated time).
    STALE = "stale", "Stale (older than what was applied)"
    # The pain point's workflow has ended: the ticket's change was added as a comment.
    COMMENTED = "commented", "Commented (the pain point takes no more changes)"


# Results that "use up" a delivery id: a second delivery with the same id is a replay.
CLAIMING_RESULTS = (
    InboundResult.PROCESSING,
    InboundResult.CREATED,
    InboundResult.UPDATED,
    InboundResult.UNCHANGED,
    InboundResult.IGNORED,
    InboundResult.PARKED,
    InboundResult.STALE,
    InboundResult.COMMENTED,
)


class WebhookEvent(models.TextChoices):
    PAIN_POINT_CREATED = "pain_point.created", "Pain point created"
    PAIN_POINT_STATUS_CHANGED = "pain_point.status_changed", "Pain point status changed"
    INITIATIVE_APPROVED = "initiative.approved", "Initiative approved"
    INITIATIVE_DELIVERED = "initiative.delivered", "Initiative delivered"
    CHECK_IN_FAILED = "check_in.failed", "Check-in failed"
    DECISION_CLOSED = "decision.closed", "Decision closed"
    REVENUE_PROJECT_STAGE_CHANGED = "revenue_project.stage_changed", "Revenue project stage changed"


# Sent only by the "ping" action, to one subscription; nobody subscribes to it.
PING_EVENT = "ping"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    # Kept while the subscription is disabled; enabling it again sends them, oldest first.
    HELD = "held", "Held (subscription disabled)"


class IdempotencyState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
