"""E-mails of the reminders: the outbox of delivered reminders and the daily digest.

Each e-mail is sent and recorded in its own small transaction: the ledger row is locked (FOR
UPDATE SKIP LOCKED, so two senders never take the same one), the message goes to the mail server,
the row is marked and the transaction commits. A worker killed in the middle of a run leaves the
rows it had not reached waiting, and can repeat at most the one e-mail whose SMTP answer came in
the instant before its commit; sending after the commit could lose that e-mail instead.
"""
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ..links import absolute_url
from ..visibility import hide_unseeable
from .choices import EmailState
from .models import Reminder
from .registry import get_kind

# --- The outbox: reminders delivered to the inbox whose e-mail is still to go -------------------


def reminder_emails_send(*, limit: int = 100) -> int:
    """Send up to `limit` waiting reminder e-mails (oldest first), each recorded as it goes.

    The sender queues them (`email_state` "queued") in the transaction that puts the reminders
    in the inbox; a mail server error stops the run and leaves the rest queued for the next one.
    Returns how many were sent.
    """
    waiting = list(
        Reminder.objects.filter(email_state=EmailState.QUEUED)
        .select_related("recipient", "notification")
        .order_by("id")[:limit]
    )
    if not waiting:
        return 0
    sent = 0
    with get_connection() as mailer:  # one SMTP session for the run
        for row in waiting:
            with transaction.atomic():
                taken = Reminder.objects.select_for_update(skip_locked=True).filter(
                    pk=row.pk, email_state=EmailState.QUEUED
                )
                if not taken.exists():
                    continue  # another sender has it, or sent it already
                note = getattr(row, "notification", None)
                if note is None or not row.recipient.email:
                    taken.update(email_state=EmailState.NONE)
                    continue
                mailer.send_messages([_reminder_email(row, note)])
                taken.update(email_state=EmailState.SENT)
            sent += 1
    return sent


def _reminder_email(row: Reminder, note) -> EmailMultiAlternatives:
    kind = get_kind(row.kind)
    return _email(
        to=row.recipient.email,
        subject=note.title,
        template="partnership/email/reminder",
        context={
            "user": row.recipient,
            "kind_label": kind.label if kind else row.kind,
            "title": note.title,
            "body": note.body,
            "url": absolute_url(note.url),
        },
    )


# Line breaks of every kind (CR, LF, NEL, the Unicode line and paragraph separators) and the other
# control characters, with the spaces around them.
_BREAKS = re.compile(r"\s*[\x00-\x1f\x7f\x85\u2028\u2029]+\s*")


def one_line(text: str) -> str:
    """`text` as one line of a mail header: a title stored with a line break (through an import,
    the admin or an old row) would make Django refuse the whole e-mail (BadHeaderError), and the
    sender would stop at it on every run, so nobody is reminded."""
    return _BREAKS.sub(" ", text).strip()


def _email(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """Every e-mail of the portal's reminders; its subject is made one line here."""
    context = {
        **context,
        "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
        "preferences_url": absolute_url(reverse("notification-preferences")),
        "inbox_url": absolute_url(reverse("inbox")),
    }
    message = EmailMultiAlternatives(
        subject=f"[IT Partnership Portal] {one_line(subject)}"[:250],
        body=render_to_string(f"{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


# --- The daily digest ------------------------------------------------------------------------


def reminders_send_digests(*, users_per_batch: int = 50) -> int:
    """Send each user one e-mail that lists their reminders set aside for the digest.

    One transaction per user: their rows are claimed like the sender claims them (FOR UPDATE SKIP
    LOCKED) and marked as the e-mail is sent, so a killed worker repeats at most one digest.
    Returns the number of e-mails sent.
    """
    sent, last_user = 0, 0
    with get_connection() as mailer:
        while True:
            user_ids = list(
                Reminder.objects.filter(email_state=EmailState.DIGEST_PENDING, recipient_id__gt=last_user)
                .order_by("recipient_id")
                .values_list("recipient_id", flat=True)
                .distinct()[:users_per_batch]
            )
            if not user_ids:
                return sent
            last_user = user_ids[-1]
            for user_id in user_ids:
                with transaction.atomic():
                    rows = list(
                        Reminder.objects.filter(email_state=EmailState.DIGEST_PENDING, recipient_id=user_id)
                        .select_related("recipient", "notification")
                        .select_for_update(skip_locked=True, of=("self",))
                        .order_by("created_at", "id")
                    )
                    if not rows:
                        continue
                    mailer.send_messages([_digest_email(rows)])
                    Reminder.objects.filter(pk__in=[row.pk for row in rows]).update(email_state=EmailState.DIGEST_SENT)
                sent += 1


def _digest_email(rows: list[Reminder]) -> EmailMultiAlternatives:
    user = rows[0].recipient
    # Each line is asked again now: an object the reader may no longer see is listed without its
    # title or body, as in the inbox.
    hide_unseeable(user, [row.notification for row in rows if getattr(row, "notification", None)])
    items = []
    for row in rows:
        kind = get_kind(row.kind)
        note = getattr(row, "notification", None)
        items.append(
            {
                "kind_label": kind.label if kind else row.kind,
                "title": note.title if note else (kind.label if kind else row.kind),
                "body": note.body if note else "",
                "url": absolute_url(note.url) if note else "",
            }
        )
    count = len(items)
    return _email(
        to=user.email,
        subject=f"Your daily digest: {count} reminder{'s' if count != 1 else ''}",
        template="partnership/email/digest",
        context={"user": user, "items": items, "count": count},
    )
