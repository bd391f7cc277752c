"""Reminders: a registry of kinds (each pillar registers its own), a ledger, a sweep and a sender.

See docs/reminders.md and docs/development/adding-a-reminder-kind.md. Import the registry from here:

    from partnership.notifications import Message, ReminderKind, register, to_each, union
"""

from .registry import (
    DUE_SOON,
    OVERDUE,
    DueUnion,
    FanOut,
    Message,
    ReminderKind,
    dated_period,
    due_stage_period,
    get_kind,
    is_due_soon,
    period_day,
    period_month,
    period_quarter,
    period_week,
    register,
    registered_kinds,
    still_in,
    to_each,
    union,
    unregister,
)

__all__ = [
    "DUE_SOON",
    "OVERDUE",
    "DueUnion",
    "FanOut",
    "Message",
    "ReminderKind",
    "dated_period",
    "due_stage_period",
    "get_kind",
    "is_due_soon",
    "period_day",
    "period_month",
    "period_quarter",
    "period_week",
    "register",
    "registered_kinds",
    "still_in",
    "to_each",
    "union",
    "unregister",
]
