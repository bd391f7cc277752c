"""Choices of the initiatives app."""

from django.db import models


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    PROPOSED = "proposed", "Proposed"
    EVALUATING = "evaluating", "Evaluating"
    APPROVED = "approved", "Approved"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    BENEFITS_REVIEWED = "benefits_reviewed", "Benefits reviewed"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


# Before the decision: IT still shapes the initiative, the sponsor confirms the business case.
UNDECIDED_STATUSES = (InitiativeStatus.IDEA, InitiativeStatus.PROPOSED, InitiativeStatus.EVALUATING)
# Approved or later: the whole company may see it (see InitiativeQuerySet.for_user).
APPROVED_OR_LATER = (
    InitiativeStatus.APPROVED,
    InitiativeStatus.IN_PROGRESS,
    InitiativeStatus.DELIVERED,
    InitiativeStatus.BENEFITS_REVIEWED,
)
# Statuses in which work is still ahead: milestones and target dates can be overdue.
OPEN_STATUSES = (*UNDECIDED_STATUSES, InitiativeStatus.APPROVED, InitiativeStatus.IN_PROGRESS)
FINAL_STATUSES = (InitiativeStatus.BENEFITS_REVIEWED, InitiativeStatus.REJECTED, InitiativeStatus.CANCELLED)

# The workflow (which status may follow which, who may move it) is declared in initiatives.workflow.

STATUS_BADGES = {
    InitiativeStatus.IDEA: "text-bg-light",
    InitiativeStatus.PROPOSED: "text-bg-warning",
    InitiativeStatus.EVALUATING: "text-bg-info",
    InitiativeStatus.APPROVED: "text-bg-primary",
    InitiativeStatus.IN_PROGRESS: "text-bg-primary",
    InitiativeStatus.DELIVERED: "text-bg-success",
    InitiativeStatus.BENEFITS_REVIEWED: "text-bg-success",
    InitiativeStatus.REJECTED: "text-bg-dark",
    InitiativeStatus.CANCELLED: "text-bg-secondary",
}


class Origin(models.TextChoices):
    IT_PROPOSED = "it_proposed", "IT-proposed"
    PAIN_POINTS = "pain_points", "From pain points"
    BUSINESS_REQUEST = "business_request", "Business request"


# Origins where the business asked: the YES rate measures IT's answer to these.
BUSINESS_ORIGINS = (Origin.PAIN_POINTS, Origin.BUSINESS_REQUEST)


class AcceptedAs(models.TextChoices):
    CIO = "cio", "CIO"
    SPONSOR = "sponsor", "Business sponsor"


class DecisionKind(models.TextChoices):
    """What the decision record holds: every status change and the commitments around it."""

    CREATED = "created", "Recorded"
    PROPOSED = "proposed", "Proposed"
    EVALUATING = "evaluating", "Evaluation started"
    BUSINESS_CASE_CONFIRMED = "business_case_confirmed", "Business case confirmed"
    BUSINESS_CASE_CHANGED = "business_case_changed", "Business case changed"
    RISK_ACCEPTED = "risk_accepted", "Risk accepted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    STARTED = "started", "Started"
    DELIVERED = "delivered", "Delivered"
    BENEFITS_REVIEWED = "benefits_reviewed", "Benefits reviewed"
    CANCELLED = "cancelled", "Cancelled"


# The decision-record kind of each status an initiative moves to.
KIND_OF_STATUS = {
    InitiativeStatus.PROPOSED: DecisionKind.PROPOSED,
    InitiativeStatus.EVALUATING: DecisionKind.EVALUATING,
    InitiativeStatus.APPROVED: DecisionKind.APPROVED,
    InitiativeStatus.REJECTED: DecisionKind.REJECTED,
    InitiativeStatus.IN_PROGRESS: DecisionKind.STARTED,
    InitiativeStatus.DELIVERED: DecisionKind.DELIVERED,
    InitiativeStatus.BENEFITS_REVIEWED: DecisionKind.BENEFITS_REVIEWED,
    InitiativeStatus.CANCELLED: DecisionKind.CANCELLED,
}

