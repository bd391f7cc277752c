"""Choices of the listening app."""

from django.db import models


class PainPointStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ANALYSING = "analysing", "Analysing"
    PLANNED = "planned", "Planned"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined"
    MERGED = "merged", "Merged"


# Statuses in which IT still has work to do, and in which the business may vote "me too".
OPEN_STATUSES = (
    PainPointStatus.NEW,
    PainPointStatus.ACKNOWLEDGED,
    PainPointStatus.ANALYSING,
    PainPointStatus.PLANNED,
)
# Statuses that never change again.
FINAL_STATUSES = (PainPointStatus.CLOSED, PainPointStatus.DECLINED, PainPointStatus.MERGED)

# The workflow (which status may follow which, who may move it) is declared in listening.workflow.

STATUS_BADGES = {
    PainPointStatus.NEW: "text-bg-warning",
    PainPointStatus.ACKNOWLEDGED: "text-bg-info",
    PainPointStatus.ANALYSING: "text-bg-info",
    PainPointStatus.PLANNED: "text-bg-primary",
    PainPointStatus.RESOLVED: "text-bg-success",
    PainPointStatus.CLOSED: "text-bg-secondary",
    PainPointStatus.DECLINED: "text-bg-dark",
    PainPointStatus.MERGED: "text-bg-light",
}


class Category(models.TextChoices):
    PROCESS = "process", "Process"
    SYSTEM = "system", "System"
    DATA = "data", "Data"
    REPORTING = "reporting", "Reporting"
    ACCESS = "access", "Access"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    PORTAL = "portal", "Portal"
    LISTENING_SESSION = "listening_session", "Listening session"
    CHECK_IN = "check_in", "Check-in"
    TICKETING = "ticketing", "Ticketing system"


# Sources that are machine writes: they may have no human submitter.
INTEGRATION_SOURCES = (Source.CHECK_IN, Source.TICKETING)


class SessionKind(models.TextChoices):
    SALES_MEETING = "sales_meeting", "Sales meeting"
    MARKETING_MEETING = "marketing_meeting", "Marketing meeting"
    FRONT_LINE_DAY = "front_line_day", "Day at the front line"
    COFFEE_EVENT = "coffee_event", "Coffee event"
    ONE_TO_ONE = "one_to_one", "One-to-one"
    OTHER = "other", "Other"


class Risk(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
