"""Writes of notifications: the inbox, and the reminders' sweep, sender, daily digest and preferences.

The ledger (`partnership.notifications.models.Reminder`) is the source of truth; Celery only says "look now".

- The sweep asks each registered kind for its due rows and inserts them with ONE statement per
  kind, `INSERT ... SELECT ... FROM (<the kind's due query>) ON CONFLICT DO NOTHING` on
  (recipient, kind, target, period), run by the database: running it twice, or from two beats
  at once, adds nothing, and no due row becomes a Python object.
- The sender claims pending rows in batches with SELECT ... FOR UPDATE SKIP LOCKED, creates
  their in-app notifications, marks them sent and queues their e-mails (`email_state` "queued"),
  all in one transaction: a worker killed halfway rolls its batch back and the rows stay pending
  for the next run; two senders never take the same row. After the commit the e-mails go out one
  by one, each recorded in its own transaction (`emails.reminder_emails_send`), so a worker killed
  in the middle of a batch repeats at most one e-mail, never the in-app notification.
"""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..audit import acting_as
from ..retries import TRANSIENT_ERRORS
from ..visibility import visible_to_each, who_can_see
from .choices import DeliveryChannel, EmailState, ReminderStatus
from .emails import reminder_emails_send, reminders_send_digests  # noqa: F401 (the digest's callers import it here)
from .models import Notification, NotificationPreference, Reminder
from .registry import due_sql, get_kind, registered_kinds
from .selectors import channels_of

logger = logging.getLogger(__name__)

SWEEP_INSERT_BATCH = 5000


@dataclass
class SendResult:
    sent: int = 0
    cancelled: int = 0
    failed: int = 0
    more: bool = False


class _BatchFailed(Exception):
    def __init__(self, ids):
        super().__init__(f"delivery of reminders {ids} failed")
        self.ids = ids


# --- The inbox -----------------------------------------------------------------------------------


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", target=None) -> list[Notification]:
    """Put a notification in each recipient's inbox (one bulk insert, duplicates folded).

    With a `target`, only the recipients who may see it now (its model's `for_user`) get one:
    following an object does not outlast the right to see it. Call it from inside a service's
    transaction: the notifications commit with the change.
    """
    unique = {r.pk: r for r in recipients if r is not None and r.pk}
    if target is not None:
        unique = {r.pk: r for r in who_can_see(target, unique.values())}
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    rows = [
        Notification(
            recipient=recipient,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            target_type=target_type,
            target_id=str(target.pk) if target is not None else "",
        )
        for recipient in unique.values()
    ]
    return Notification.objects.bulk_create(rows)


def notification_mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one notification, or all of the user's unread ones, as read."""
    queryset = Notification.objects.for_user(user).unread()
    if notification is not None:
        queryset = queryset.filter(pk=notification.pk)
    return queryset.update(read_at=timezone.now())


def notifications_mark_done(*, recipient, targets) -> int:
    """The recipient did what their inbox entries about `targets` asked (rated the action, answered
    the survey): each such entry is marked done, and read. Call it inside the service's transaction."""
    condition = Q()
    for target in targets:
        content_type = ContentType.objects.get_for_model(target)
        condition |= Q(target_type=content_type, target_id=str(target.pk))
    if not condition:
        return 0
    now = timezone.now()
    return (
        Notification.objects.for_user(recipient)
        .filter(condition, done_at__isnull=True)
        .update(done_at=now, read_at=Coalesce("read_at", Value(now)))
    )


# --- The sweep -----------------------------------------------------------------------------------


def reminders_sweep(*, now=None) -> int:
    """Insert every due reminder into the ledger; return how many rows are new.

    Per kind, ONE `INSERT INTO <ledger> ... SELECT ... FROM (<its due query>) ON CONFLICT DO
    NOTHING`, run by the database in its own savepoint: the number of queries and the memory do
    not grow with the number of reminders (a kind whose rows are a Python list is inserted in
    bounded batches instead). A kind whose query fails is logged and skipped, so one faulty
    kind does not stop the others.
    """
    now = now or timezone.now()
    # The insertion time (not `now`, which tests move) marks this sweep's rows.
    stamp = timezone.now()
    created = 0
    for kind in registered_kinds():
        try:
            with transaction.atomic():
                target_type = ContentType.objects.get_for_model(kind.model, for_concrete_model=True)
                created += _sweep_kind(kind, target_type, now, stamp)
        except TRANSIENT_ERRORS:
            raise
        except Exception:
            logger.exception("reminder kind %s: the due query failed; skipped in this sweep", kind.key)
    return created


# The ledger columns filled from the due rows; the others get the kind, its target type, the
# sweep's stamp or their model default (pending, no e-mail yet, no attempt...).
_FROM_DUE = {"recipient": "due.recipient_id", "target_id": "due.target_id", "period": "due.period"}


def _sweep_kind(kind, target_type, now, stamp) -> int:
    """Insert one kind's due rows; return how many are new."""
    rows = kind.due(now)
    period_length = Reminder._meta.get_field("period").max_length
    select = due_sql(rows, connection, period_length=period_length)
    if select is None:
        return _sweep_in_python(kind, target_type, rows, stamp, period_length)
    sql, params = select
    if not sql:
        return 0
    quote = connection.ops.quote_name
    given = {"kind": kind.key, "target_type": target_type.pk, "created_at": stamp}
    columns, values, fixed = [], [], []
    for model_field in Reminder._meta.concrete_fields:
        if model_field.primary_key:
            continue
        columns.append(quote(model_field.column))
        if model_field.name in _FROM_DUE:
            values.append(_FROM_DUE[model_field.name])
        else:
            value = given[model_field.name] if model_field.name in given else model_field.get_default()
            values.append("%s")
            fixed.append(model_field.get_db_prep_save(value, connection))
    # "WHERE true": SQLite needs a WHERE before ON CONFLICT in an INSERT ... SELECT (else it could
    # read ON as the start of a join constraint).
    insert = (
        f"INSERT INTO {quote(Reminder._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM ({sql}) due WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, [*fixed, *params])
        return max(cursor.rowcount, 0)


def _sweep_in_python(kind, target_type, rows, stamp, period_length) -> int:
    """Due rows that are not SQL (a list of dicts...): insert them in bounded batches."""
    if isinstance(rows, QuerySet):
        if not rows.query.is_sliced:
            rows = rows.order_by()  # a model's default ordering only slows the sweep down
        rows = rows.iterator(chunk_size=SWEEP_INSERT_BATCH)
    rows, inserted = iter(rows), False
    while batch := list(islice(rows, SWEEP_INSERT_BATCH)):
        ledger = [
            Reminder(
                recipient_id=row["recipient_id"],
                kind=kind.key,
                target_type=target_type,
                target_id=str(row["target_id"]),
                period=str(row["period"])[:period_length],
                created_at=stamp,
            )
            for row in batch
            if row["recipient_id"] is not None
        ]
        if ledger:
            Reminder.objects.bulk_create(ledger, ignore_conflicts=True)
            inserted = True
    return Reminder.objects.filter(kind=kind.key, created_at=stamp).count() if inserted else 0


# --- The sender ----------------------------------------------------------------------------------


def reminders_cancel_no_longer_due(target, *, now=None) -> int:
    """Cancel the pending reminders about `target` that its kind no longer finds due.

    Called on each domain event about `target` (an acknowledgement cancels the "acknowledge
    please" reminders at once, before any e-mail): one query when nothing is pending, one more per
    kind that can tell (`still_due`). The sender checks again when it delivers, so a kind without
    `still_due` is still never sent for a target that is gone.
    """
    now = now or timezone.now()
    target_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
    pending = Reminder.objects.pending().filter(target_type=target_type, target_id=str(target.pk))
    target_id = str(target.pk)
    gone = []
    for key in set(pending.values_list("kind", flat=True)):
        kind = get_kind(key)
        if kind is not None and kind.still_due is not None and target_id not in {str(pk) for pk in kind.still_due(now, [target_id])}:
            gone.append(key)
    if not gone:
        return 0
    return pending.filter(kind__in=gone).update(status=ReminderStatus.CANCELLED, claimed_at=now)


def reminders_send(*, now=None, batch_size: int | None = None, time_budget: float | None = None) -> SendResult:
    """Deliver pending reminders batch by batch, then their e-mails, until none is left or the
    time budget is spent.

    `more` in the result says work was left for another run (the task queues itself again).
    """
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    deadline = time.monotonic() + time_budget if time_budget else None
    result = SendResult()
    while True:
        try:
            claimed = _send_batch(result, limit=batch_size, now=now)
        except _BatchFailed as failure:
            # A faulty kind (a bug, not an outage): deliver row by row so the rest still goes out
            # and the faulty row is counted towards its attempts.
            logger.exception("reminder batch failed; retrying its rows one by one")
            claimed = len(failure.ids)
            for pk in failure.ids:
                try:
                    _send_batch(result, limit=1, now=now, only_pk=pk)
                except _BatchFailed as single:
                    _record_failure(pk, single.__cause__, result)
        # The batch's e-mails (and any a killed worker left queued), each recorded as it goes.
        emailed = reminder_emails_send(limit=batch_size)
        if not claimed and not emailed:
            return result
        if deadline is not None and time.monotonic() > deadline:
            result.more = (
                Reminder.objects.pending().exists() or Reminder.objects.filter(email_state=EmailState.QUEUED).exists()
            )
            return result


def _send_batch(result: SendResult, *, limit: int, now=None, only_pk=None) -> int:
    """Claim up to `limit` pending rows, deliver them and commit; return how many were claimed."""
    keys = [kind.key for kind in registered_kinds()]
    with transaction.atomic():
        claim = Reminder.objects.pending().filter(kind__in=keys)
        if only_pk is not None:
            claim = claim.filter(pk=only_pk)
        batch = list(
            claim.select_related("recipient").select_for_update(skip_locked=True, of=("self",)).order_by("id")[:limit]
        )
        if not batch:
            return 0
        try:
            counts = _deliver(batch, now or timezone.now())
        except TRANSIENT_ERRORS:
            raise
        except Exception as exc:
            raise _BatchFailed([row.pk for row in batch]) from exc
    result.sent += counts[ReminderStatus.SENT]
    result.cancelled += counts[ReminderStatus.CANCELLED]
    return len(batch)


def _deliver(batch: list[Reminder], now) -> dict:
    by_kind = defaultdict(list)
    for row in batch:
        by_kind[row.kind].append(row)
    targets, still_due = {}, {}
    for key, rows in by_kind.items():
        kind = get_kind(key)
        ids = sorted({row.target_id for row in rows})
        manager = kind.model._base_manager
        if kind.select_related:
            manager = manager.select_related(*kind.select_related)
        targets[key] = {str(pk): obj for pk, obj in manager.in_bulk(ids).items()}
        still_due[key] = {str(pk) for pk in kind.still_due(now, ids)} if kind.still_due else None
    seen = _seen_by_recipients(batch, targets)
    channels = channels_of((row.recipient_id for row in batch), by_kind)

    notifications = []
    counts = {ReminderStatus.SENT: 0, ReminderStatus.CANCELLED: 0}
    for row in batch:
        kind = get_kind(row.kind)
        target = targets[row.kind].get(row.target_id)
        row.claimed_at = now
        gone = target is None or (still_due[row.kind] is not None and row.target_id not in still_due[row.kind])
        if gone or not row.recipient.is_active or row.target_id not in seen[row.kind, row.recipient_id]:
            row.status = ReminderStatus.CANCELLED
            counts[ReminderStatus.CANCELLED] += 1
            continue
        message = kind.message(target, row)
        notifications.append(
            Notification(
                recipient_id=row.recipient_id,
                kind=row.kind,
                title=message.title[:200],
                body=message.body,
                url=message.url,
                target_type_id=row.target_type_id,
                target_id=row.target_id,
                reminder=row,
                created_at=now,
            )
        )
        row.status, row.sent_at = ReminderStatus.SENT, now
        counts[ReminderStatus.SENT] += 1
        channel = channels.get((row.recipient_id, row.kind), kind.default_channel)
        if channel == DeliveryChannel.EMAIL and row.recipient.email:
            row.email_state = EmailState.QUEUED  # sent after the commit (emails.reminder_emails_send)
        elif channel == DeliveryChannel.DIGEST and row.recipient.email:
            row.email_state = EmailState.DIGEST_PENDING
    Notification.objects.bulk_create(notifications)
    Reminder.objects.bulk_update(batch, ["status", "email_state", "claimed_at", "sent_at"])
    return counts


def _seen_by_recipients(batch: list[Reminder], targets: dict) -> dict:
    """(kind, recipient id) -> the target ids that recipient may still see, asked through the
    target model's `for_user` now, at sending time: a reminder about something the person may
    no longer see is cancelled. One query per target model at most (and one for the roles),
    whatever the number of people."""
    wanted = defaultdict(lambda: defaultdict(set))
    people = {}
    for row in batch:
        if row.target_id in targets[row.kind]:
            wanted[get_kind(row.kind).model][row.recipient_id].add(row.target_id)
            people.setdefault(row.recipient_id, row.recipient)
    visible = {
        model: visible_to_each(model, [(people[pk], ids) for pk, ids in per_person.items()], everyone=people.values())
        for model, per_person in wanted.items()
    }
    return {
        (row.kind, row.recipient_id): visible.get(get_kind(row.kind).model, {}).get(row.recipient_id, set())
        for row in batch
    }


def _record_failure(pk, exc, result: SendResult) -> None:
    """Count a failed attempt on one row, in its own transaction; give up after the maximum."""
    with transaction.atomic():
        updated = Reminder.objects.filter(pk=pk, status=ReminderStatus.PENDING).update(
            attempts=F("attempts") + 1,
            claimed_at=timezone.now(),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            status=Case(
                When(attempts__gte=settings.REMINDER_MAX_ATTEMPTS - 1, then=Value(ReminderStatus.FAILED)),
                default=Value(ReminderStatus.PENDING),
            ),
        )
    if updated and Reminder.objects.filter(pk=pk, status=ReminderStatus.FAILED).exists():
        result.failed += 1


# --- Preferences -----------------------------------------------------------------------------


@transaction.atomic
def notification_preference_set(*, user, kind: str, channel: str, actor=None) -> NotificationPreference:
    """Choose how `user` receives one kind of reminder."""
    if get_kind(kind) is None:
        raise ValidationError({"kind": f"There is no reminder kind “{kind}”."})
    if channel not in DeliveryChannel.values:
        raise ValidationError({"channel": f"Choose one of: {', '.join(DeliveryChannel.values)}."})
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if preference is None:
        preference = NotificationPreference(user=user, kind=kind)
    elif preference.channel == channel:
        return preference
    preference.channel = channel
    preference.full_clean()
    with acting_as(actor or user):
        preference.save()
    return preference
