"""The partnership app's reminder kinds: the monthly "What IT delivered" summary.

Its ledger rows are written by the monthly task (`services.delivered_digests_send`, beat entry
"delivered-digest"), not by the sweep: the summary lists each manager's entries, read through
`for_user()` for that manager, which a kind's `message()` may not query. The kind is declared here
all the same, so each manager chooses its channel on the notification preferences page like any
other reminder, and the sender, the e-mail outbox and the daily digest treat its rows like others.
"""

from .notifications import Message, ReminderKind

DELIVERED_DIGEST = "partnership.delivered_monthly"


def _no_sweep(now):
    return []  # written by the monthly task, see the module docstring


def _message(unit, reminder):
    return Message(title=f"What IT delivered for {unit} ({reminder.period})", url=unit.get_delivered_url())


# Collected by the notifications app when it is ready (partnership/declarations.py).
REMINDER_KINDS: list[ReminderKind] = [
    ReminderKind(
        key=DELIVERED_DIGEST,
        label="What IT delivered for your unit (monthly)",
        description="On the first of each month, what IT delivered for your unit the month before, with a link to the page.",
        target_model="partnership.BusinessUnit",
        due=_no_sweep,
        message=_message,
    )
]
