"""The quarterly business pulse reminder: business managers who have not answered this quarter."""

from django.db.models import Exists, F, OuterRef, Value

from ..notifications import Message, ReminderKind, period_quarter
from ..roles import Role

# Collected by the notifications app when it is ready (partnership/declarations.py).
REMINDER_KINDS: list[ReminderKind] = []


def _pulse_due(now):
    from ..models import User
    from .models import PulseResponse

    quarter = period_quarter(now)
    answered = PulseResponse.objects.filter(respondent=OuterRef("pk"), quarter=quarter)
    return (
        User.objects.filter(is_active=True, groups__name=Role.BUSINESS_MANAGER.value)
        .exclude(Exists(answered))
        .values(recipient_id=F("pk"), target_id=F("pk"), period=Value(quarter))
    )


def _still_due(now, ids):
    from .models import PulseResponse

    answered = set(
        PulseResponse.objects.filter(respondent_id__in=ids, quarter=period_quarter(now)).values_list("respondent_id", flat=True)
    )
    return {i for i in ids if int(i) not in answered}


def _message(user, reminder):
    return Message(
        title=f"How do you see IT this quarter? ({reminder.period})",
        body="Three statements, one minute: your answer is shown to the CIO beside the evidence score.",
        url="/pulse/",
    )


REMINDER_KINDS.append(
    ReminderKind(
        key="partnership.pulse_due",
        label="Quarterly business pulse",
        description="Once a quarter, business managers say how they see IT.",
        target_model="partnership.User",
        due=_pulse_due,
        message=_message,
        still_due=_still_due,
    )
)
