"""Factories of the initiatives app's tests. Initiatives are made through the services, so
they carry their decision record and timestamps like real ones."""

import datetime
from decimal import Decimal

from django.utils import timezone

from initiatives import services
from initiatives.choices import InitiativeStatus, Origin
from initiatives.models import Initiative


def make_initiative(*, actor, sponsor=None, title="Self-service sales reports", propose=False, **kwargs) -> Initiative:
    today = timezone.localdate()
    defaults = {
        "problem": "Sales waits two days for every report IT builds by hand.",
        "proposal": "A self-service reporting tool on the data warehouse.",
        "alternative_considered": "A hosted BI service instead of a new server cluster.",
        "origin": Origin.IT_PROPOSED,
        "one_off_cost": Decimal("12000"),
        "yearly_running_cost": Decimal("3000"),
        "fte": Decimal("1.5"),
        "start_date": today,
        "target_date": today + datetime.timedelta(days=90),
    }
    defaults.update(kwargs)
    return services.initiative_create(actor=actor, sponsor=sponsor, title=title, propose=propose, **defaults)


def make_proposed(*, actor, sponsor, **kwargs) -> Initiative:
    return make_initiative(actor=actor, sponsor=sponsor, propose=True, **kwargs)


def make_approved(*, actor, sponsor, cio, **kwargs) -> Initiative:
    initiative = make_proposed(actor=actor, sponsor=sponsor, **kwargs)
    return services.initiative_approve(initiative=initiative, actor=cio)


def make_in_progress(*, actor, sponsor, cio, **kwargs) -> Initiative:
    initiative = make_approved(actor=actor, sponsor=sponsor, cio=cio, **kwargs)
    return services.initiative_start(initiative=initiative, actor=actor)


def make_delivered(*, actor, sponsor, cio, **kwargs) -> Initiative:
    initiative = make_in_progress(actor=actor, sponsor=sponsor, cio=cio, **kwargs)
    return services.initiative_deliver(initiative=initiative, actor=actor)


def reload(initiative: Initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


__all__ = [
    "InitiativeStatus",
    "make_approved",
    "make_delivered",
    "make_in_progress",
    "make_initiative",
    "make_proposed",
    "reload",
]
