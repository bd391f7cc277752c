"""What a domain event (partnership/events.py) does in the inbox and to pending reminders."""

from .services import notifications_mark_done, notify, reminders_cancel_no_longer_due


def inbox(event) -> None:
    """One inbox entry per recipient who may see the target now (its model's `for_user`)."""
    if event.notice is None:
        return
    notify(
        recipients=event.notice.recipients,
        kind=event.notice_kind,
        title=event.notice.title,
        body=event.notice.body,
        url=event.notice.url or event.target.get_absolute_url(),
        target=event.target,
    )


def prompts_done(event) -> None:
    """The inbox entries that asked for what the change did (rate, answer) are marked done."""
    if event.done is not None:
        notifications_mark_done(recipient=event.done.recipient, targets=event.done.targets)


def reminders(event) -> None:
    """A change may make a pending reminder about the target pointless: cancel it now."""
    reminders_cancel_no_longer_due(event.target)


HANDLERS = (inbox, prompts_done, reminders)
