"""Factories of the listening app's tests. Pain points are made through the service, so they
carry their SLA due day, history row and submitter's watch like real ones."""

import datetime
from decimal import Decimal

import factory

from listening import services
from listening.choices import Category, Risk, SessionKind
from listening.models import ListeningSession, PainPoint

from ..factories import BusinessUnitFactory


def make_pain_point(*, submitted_by, business_unit=None, title="Invoices are typed twice", **kwargs) -> PainPoint:
    defaults = {
        "description": "Every invoice goes into the ERP and into the bank portal by hand.",
        "category": Category.PROCESS,
        "severity": 3,
        "people_affected": 4,
        "hours_lost_per_week": Decimal("2.5"),
    }
    defaults.update(kwargs)
    unit = business_unit or getattr(submitted_by, "business_unit", None) or BusinessUnitFactory()
    return services.pain_point_create(submitted_by=submitted_by, business_unit=unit, title=title, **defaults)


def recommended_options():
    return [
        {"title": "Bank file import", "pros": "No typing", "cons": "Needs a bank contract", "rough_cost": "3000", "risk": Risk.LOW, "recommended": True},
        {"title": "Hire a temp", "pros": "Fast", "cons": "Does not scale", "rough_cost": "12000", "risk": Risk.MEDIUM},
    ]


def make_planned(pain_point, it_user) -> PainPoint:
    services.pain_point_acknowledge(pain_point=pain_point, actor=it_user)
    services.pain_point_start_analysis(pain_point=pain_point, actor=it_user)
    services.evaluation_save(pain_point=pain_point, actor=it_user, plan="Import bank files nightly.", options=recommended_options())
    return services.pain_point_plan(pain_point=pain_point, actor=it_user)


class ListeningSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListeningSession

    kind = SessionKind.COFFEE_EVENT
    title = factory.Sequence(lambda n: f"Coffee with the business #{n}")
    held_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    business_unit = factory.SubFactory(BusinessUnitFactory)
    notes = "They told us what hurts."
