"""Writes of the partnership app. Views, API and commands all call these."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .delivered import DELIVERED, Period, delivered_count, delivered_for
from .links import absolute_url
from .models import ApiToken, BusinessUnit, TokenScope, User
from .notifications.choices import DeliveryChannel, EmailState, ReminderStatus
from .notifications.emails import reminder_emails_send
from .notifications.models import Notification, Reminder
from .notifications.registry import get_kind
from .notifications.selectors import channels_of
from .reminders import DELIVERED_DIGEST
from .roles import Role, load_role_names
from .templatetags.portal_numbers import money


@transaction.atomic
def api_token_create(
    *, user, name: str, scope: str = TokenScope.READ_WRITE, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never shown again."""
    key = ApiToken.generate_key()
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        expires_at=(
            timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
        ),
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def home_visit_record(*, user, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The user opens their home page: return when their previous visit began (None on the first).

    Views closer together than PORTAL_VISIT_GAP_MINUTES are one visit, so reloading the page
    keeps showing what changed since the visit before rather than nothing. One UPDATE; a visit is
    no domain change, so it is not audited.
    """
    now = now or timezone.now()
    gap = datetime.timedelta(minutes=settings.PORTAL_VISIT_GAP_MINUTES)
    if user.home_visited_at is None or now - user.home_visited_at >= gap:
        user.previous_home_visited_at = user.home_visited_at
    user.home_visited_at = now
    User.objects.filter(pk=user.pk).update(
        home_visited_at=user.home_visited_at, previous_home_visited_at=user.previous_home_visited_at
    )
    return user.previous_home_visited_at


# --- The monthly "What IT delivered" summary (partnership/delivered.py) -------------------------

# Entries per part listed in the e-mail; the page linked from it has them all.
DIGEST_PER_SECTION = 10


def _digest_message(manager, unit, period, sections) -> tuple[str, str, str]:
    """(title, body, url) of one manager's summary: plain text, each entry dated and linked."""
    count = delivered_count(sections)
    month = f"{period.start:%B %Y}"
    url = f"{unit.get_delivered_url()}?start={period.start.isoformat()}&end={period.end.isoformat()}"
    lines = [f"In {month}, IT delivered {count} thing{'s' if count != 1 else ''} for {unit.name}:"]
    for part in sections[DELIVERED]:
        if not part.entries:
            continue
        lines += ["", part.source.heading]
        for entry in part.entries:
            amount = f" {money(entry.amount)}" if entry.amount is not None else ""
            detail = f" - {entry.detail}{amount}" if entry.detail or amount else ""
            lines.append(f"- {entry.on:%Y-%m-%d} {entry.title}{detail}")
            lines.append(f"  {absolute_url(entry.url)}")
        if part.has_more:
            lines.append("  ... and more on the page.")
    lines += ["", "What is coming, and everything delivered, on the page:"]
    return f"What IT delivered for {unit.name} in {month}: {count} item{'s' if count != 1 else ''}", "\n".join(lines), url


def delivered_digests_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail each active business manager what IT delivered for their unit last month.

    Once per manager and month: the ledger row (recipient, kind, unit, "2026-05") is unique, so a
    second run, or two at once, sends nothing more. Each row, its inbox entry and its e-mail
    state commit together; the e-mails then go through the outbox (`reminder_emails_send`, also
    drained by the regular sender), or wait for the daily digest, or stay in the inbox only, as
    each manager chose for this kind (partnership/reminders.py). A unit with nothing delivered
    last month gets no summary (its rows are recorded as cancelled). Returns the summaries sent.
    """
    now = now or timezone.now()
    period = Period.month_before(timezone.localdate(now))
    month = f"{period.start:%Y-%m}"
    kind = get_kind(DELIVERED_DIGEST)
    unit_type = ContentType.objects.get_for_model(BusinessUnit)
    done = set(Reminder.objects.filter(kind=DELIVERED_DIGEST, period=month).values_list("recipient_id", flat=True))
    managers = [
        manager
        for manager in User.objects.filter(
            is_active=True, business_unit__is_active=True, groups__name=Role.BUSINESS_MANAGER
        ).select_related("business_unit").order_by("business_unit_id", "id")
        if manager.pk not in done
    ]
    load_role_names(managers)
    channels = channels_of([m.pk for m in managers], [DELIVERED_DIGEST])
    sent = 0
    for manager in managers:
        unit = manager.business_unit
        with transaction.atomic():
            row, created = Reminder.objects.get_or_create(
                recipient=manager, kind=DELIVERED_DIGEST, target_type=unit_type, target_id=str(unit.pk), period=month,
                defaults={"status": ReminderStatus.SENT, "claimed_at": now, "sent_at": now},
            )
            if not created:
                continue  # another run took it
            sections = delivered_for(manager, unit, period, per_section=DIGEST_PER_SECTION)
            if not delivered_count(sections):
                Reminder.objects.filter(pk=row.pk).update(status=ReminderStatus.CANCELLED, sent_at=None)
                continue
            title, body, url = _digest_message(manager, unit, period, sections)
            Notification.objects.create(
                recipient=manager, kind=DELIVERED_DIGEST, title=title[:200], body=body, url=url,
                target_type=unit_type, target_id=str(unit.pk), reminder=row, created_at=now,
            )
            channel = channels.get((manager.pk, DELIVERED_DIGEST), kind.default_channel)
            state = EmailState.NONE
            if manager.email and channel == DeliveryChannel.EMAIL:
                state = EmailState.QUEUED
            elif manager.email and channel == DeliveryChannel.DIGEST:
                state = EmailState.DIGEST_PENDING
            Reminder.objects.filter(pk=row.pk).update(email_state=state)
            sent += 1
    while reminder_emails_send():
        pass
    return sent
