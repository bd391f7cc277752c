"""Reminder kinds of "Take the extra mile" (see docs/reminders.md and docs/pillars/extra-mile.md).

- `extramile.check_in_due`: a pending check-in due within EXTRAMILE_CHECKIN_REMIND_HOURS_BEFORE
  hours; its key user, once. (The key user was already asked when the check-in was created; a
  check-in created that close to its due time gets no second message.)
- `extramile.check_in_overdue`: a pending check-in past its due time; its key user, once.
- `extramile.check_in_escalated`: still pending EXTRAMILE_CHECKIN_ESCALATE_HOURS after it was due;
  IT, once each: the IT person who recorded the window, or, if nobody in IT did (the recorder
  left or lost the role), every active member of the IT staff group.
- `extramile.rating_pending`: a done action a recipient has not rated EXTRAMILE_RATING_REMIND_AFTER_DAYS
  days after it was performed (actions older than RATING_REMINDER_MAX_AGE_DAYS are left alone);
  each such recipient, once. Its target is the (action, recipient) link, so a recipient who rates
  meanwhile has their own reminder cancelled, not their colleague's.
- `extramile.survey_pending`: an unanswered post-resolution survey with
  EXTRAMILE_SURVEY_REMIND_DAYS_BEFORE days or less left; its respondent, once.

Every `due(now)` is one query on a partial index (the escalation: the check-ins whose recorder
is in IT, plus the IT staff group over the others), which the sweep runs inside its one insert
per kind; dates come from `now` (the tests move it); `message()` reads only what
`select_related` loaded; `still_due` cancels the rows answered between the sweep and the sender.
"""

import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.signals import post_migrate
from django.utils import timezone

from ..notifications import Message, ReminderKind, still_in, to_each, union
from ..roles import Role
from .choices import ActionStatus, CheckInStatus, SurveyRole

# Collected by the notifications app when it is ready (partnership/declarations.py).
REMINDER_KINDS: list[ReminderKind] = []

CHECK_IN_DUE = "extramile.check_in_due"
CHECK_IN_OVERDUE = "extramile.check_in_overdue"
CHECK_IN_ESCALATED = "extramile.check_in_escalated"
RATING_PENDING = "extramile.rating_pending"
SURVEY_PENDING = "extramile.survey_pending"

# An unrated action older than this (days after it was performed) is not chased any more: the
# reminder is for the weeks after the work, not for the backlog of a newly installed portal.
RATING_REMINDER_MAX_AGE_DAYS = 30

ONCE = "once"


def _local(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --- Check-ins ---------------------------------------------------------------------------------------


def _pending_check_ins(now=None):
    """Pending check-ins (the partial index on due_at WHERE status = 'pending')."""
    from .models import CheckIn

    return CheckIn.objects.filter(status=CheckInStatus.PENDING)


_still_pending = still_in(_pending_check_ins)


def _pending_before_due(now):
    return _pending_check_ins().filter(due_at__gt=now)


def _check_in_due(now):
    lead = datetime.timedelta(hours=settings.EXTRAMILE_CHECKIN_REMIND_HOURS_BEFORE)
    return (
        _pending_before_due(now)
        .filter(due_at__lte=now + lead, notified_at__lte=F("due_at") - lead)
        .values(recipient_id=F("key_user_id"), target_id=F("pk"), period=Value(ONCE))
    )


def _check_in_due_message(check_in, reminder):
    return Message(
        title=f"Reminder: does {check_in.window.system} run correctly after the maintenance?",
        body=(
            f"Your check-in is due by {_local(check_in.due_at)}. Answer yes, or no and what is wrong: "
            "a “no” goes straight to IT as a pain point."
        ),
        url=check_in.get_absolute_url(),
    )


def _check_in_overdue(now):
    return _pending_check_ins().filter(due_at__lt=now).values(
        recipient_id=F("key_user_id"), target_id=F("pk"), period=Value(ONCE)
    )


def _check_in_overdue_message(check_in, reminder):
    return Message(
        title=f"Overdue: your check-in after the maintenance of {check_in.window.system}",
        body=(
            f"It was due by {_local(check_in.due_at)}. Please tell IT whether your systems run correctly "
            "after the maintenance; one click if all is well."
        ),
        url=check_in.get_absolute_url(),
    )


def _check_in_escalated(now):
    """The recorder of the window if they are still in IT (an active IT staff or CIO member),
    else every active member of the IT staff group: a query plus a fan-out, one insert."""
    from ..models import User

    cutoff = now - datetime.timedelta(hours=settings.EXTRAMILE_CHECKIN_ESCALATE_HOURS)
    late = _pending_check_ins().filter(due_at__lt=cutoff)
    recorder_in_it = Exists(
        User.objects.filter(
            pk=OuterRef("window__recorded_by_id"), is_active=True, groups__name__in=[Role.IT_STAFF, Role.CIO]
        )
    )
    staff_group = User.objects.filter(is_active=True, groups__name=Role.IT_STAFF).values_list("pk", flat=True)
    return union(
        late.filter(recorder_in_it).values(
            recipient_id=F("window__recorded_by_id"), target_id=F("pk"), period=Value(ONCE)
        ),
        to_each(staff_group, late.filter(~recorder_in_it).values(target_id=F("pk"), period=Value(ONCE))),
    )


def _check_in_escalated_message(check_in, reminder):
    key_user = check_in.key_user
    unit = f" ({key_user.business_unit})" if key_user.business_unit_id else ""
    return Message(
        title=f"No answer from {key_user}{unit} after the maintenance of {check_in.window.system}",
        body=(
            f"The check-in was due by {_local(check_in.due_at)}. Call {key_user} and answer it on their "
            "behalf: a “no” creates a pain point in the triage queue."
        ),
        url=check_in.get_absolute_url(),
    )


def _declare_check_in_kind(**fields) -> None:
    """Declare a kind of the check-ins; its message reads the window and the key user's unit."""
    REMINDER_KINDS.append(
        ReminderKind(target_model="extramile.CheckIn", select_related=("window", "key_user__business_unit"), **fields)
    )


_declare_check_in_kind(
    key=CHECK_IN_DUE,
    label="Check-ins after maintenance due soon",
    description=(
        "A check-in after planned downtime is due in a few hours and you have not answered "
        "(once, to the key user)."
    ),
    due=_check_in_due,
    message=_check_in_due_message,
    still_due=still_in(_pending_before_due),
)
_declare_check_in_kind(
    key=CHECK_IN_OVERDUE,
    label="Overdue check-ins after maintenance",
    description="Your check-in after planned downtime is overdue (once, to the key user).",
    due=_check_in_overdue,
    message=_check_in_overdue_message,
    still_due=_still_pending,
)
_declare_check_in_kind(
    key=CHECK_IN_ESCALATED,
    label="Key users who did not check in after maintenance (IT)",
    description=(
        "A key user has not answered their check-in well after it was due (once, to the IT person "
        "who recorded the window, or to the IT staff group)."
    ),
    due=_check_in_escalated,
    message=_check_in_escalated_message,
    still_due=_still_pending,
)


# --- Extra-mile ratings --------------------------------------------------------------------------------


def _recipient_links():
    """The (action, recipient) rows of the recipients M2M: a rating reminder's target."""
    from .models import ExtraMileAction

    return ExtraMileAction.recipients.through.objects


def _unrated(queryset):
    from .models import ExtraMileRating

    rated = ExtraMileRating.objects.filter(action_id=OuterRef("extramileaction_id"), rated_by_id=OuterRef("user_id"))
    return queryset.filter(extramileaction__status=ActionStatus.DONE).exclude(Exists(rated))


def _rating_pending(now):
    today = timezone.localdate(now)
    latest = today - datetime.timedelta(days=settings.EXTRAMILE_RATING_REMIND_AFTER_DAYS)
    oldest = latest - datetime.timedelta(days=RATING_REMINDER_MAX_AGE_DAYS)
    return _unrated(_recipient_links().filter(extramileaction__performed_on__range=(oldest, latest))).values(
        recipient_id=F("user_id"), target_id=F("pk"), period=Value(ONCE)
    )


def _unrated_links(now=None):
    return _unrated(_recipient_links())


def _rating_message(link, reminder):
    action = link.extramileaction
    return Message(
        title=f"Did it help? Please rate “{action.title}”",
        body=(
            f"{action.performed_by} did this for {action.business_unit} on {action.performed_on:%Y-%m-%d}: "
            f"{action.get_kind_display().lower()}. Confirm it and rate it from 1 to 5; it takes ten seconds."
        ),
        url=action.get_absolute_url(),
    )


def _ensure_link_content_type(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """The rating reminder targets rows of the recipients M2M table, an auto-created model that
    migrate gives no content type. Create it after migrate like the others, so the ledger never
    creates it inside a transaction that may roll back (the content-type cache would keep a
    stale id)."""
    if sender.label != "extramile":
        return
    from django.contrib.contenttypes.models import ContentType

    from .models import ExtraMileAction

    ContentType.objects.db_manager(using).get_for_model(ExtraMileAction.recipients.through)


post_migrate.connect(_ensure_link_content_type, dispatch_uid="extramile-rating-link-content-type")

REMINDER_KINDS.append(
    ReminderKind(
        key=RATING_PENDING,
        label="Extra-mile actions waiting for your rating",
        description="IT did something for you beyond the request and you have not rated it yet (once per action).",
        target_model="extramile.ExtraMileAction_recipients",
        due=_rating_pending,
        message=_rating_message,
        select_related=("extramileaction__performed_by", "extramileaction__business_unit"),
        still_due=still_in(_unrated_links),
    )
)


# --- Post-resolution surveys ---------------------------------------------------------------------------


def _open_surveys(now):
    """Unanswered surveys still taking answers (the partial index on due_at WHERE answered_at IS NULL)."""
    from .models import ResolutionSurvey

    return ResolutionSurvey.objects.filter(answered_at__isnull=True, due_at__gt=now)


def _survey_pending(now):
    closing = now + datetime.timedelta(days=settings.EXTRAMILE_SURVEY_REMIND_DAYS_BEFORE)
    return _open_surveys(now).filter(due_at__lte=closing).values(
        recipient_id=F("respondent_id"), target_id=F("pk"), period=Value(ONCE)
    )


def _survey_message(survey, reminder):
    return Message(
        title=f"Your short survey closes on {timezone.localtime(survey.due_at):%Y-%m-%d}: how well did IT solve it?",
        body=(
            f"IT resolved a pain point of {survey.business_unit} that you "
            f"{'raised' if survey.role == SurveyRole.SUBMITTER else 'voted for'} on "
            f"{timezone.localtime(survey.resolved_at):%Y-%m-%d}. Rate the result from 1 to 5, with a comment if you like."
        ),
        url=survey.get_absolute_url(),
    )


REMINDER_KINDS.append(
    ReminderKind(
        key=SURVEY_PENDING,
        label="Surveys after a resolved pain point",
        description="A survey on a resolved pain point is about to close and you have not answered (once).",
        target_model="extramile.ResolutionSurvey",
        due=_survey_pending,
        message=_survey_message,
        select_related=("business_unit",),
        still_due=still_in(_open_surveys),
    )
)
