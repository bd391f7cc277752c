"""Factories of the revenue tests."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from partnership.roles import Role
from revenue import services
from revenue.choices import STAGE_ORDER, Category, Stage
from revenue.models import RevenueEntry, RevenueProject, RevenueStageChange

from ..factories import UserFactory


class RevenueProjectFactory(factory.django.DjangoModelFactory):
    """A project written straight to the table, in any stage (for reads and figures)."""

    class Meta:
        model = RevenueProject
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Revenue project {n}")
    category = Category.CUSTOMER_LOYALTY
    it_sponsor = factory.SubFactory(UserFactory, role=Role.IT_STAFF)
    stage = Stage.IDENTIFY
    stage_changed_on = factory.LazyFunction(timezone.localdate)
    investment = Decimal("10000.00")
    yearly_running_cost = Decimal("1200.00")
    expected_yearly_revenue = Decimal("24000.00")

    @factory.post_generation
    def business_units(self, create, extracted, **kwargs):
        if create and extracted:
            self.business_units.set(extracted)

    @factory.post_generation
    def business_partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.business_partners.set(extracted)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            RevenueStageChange.objects.create(
                project=self, from_stage="", to_stage=self.stage, changed_on=self.stage_changed_on
            )


class RevenueEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RevenueEntry

    project = factory.SubFactory(RevenueProjectFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    amount = Decimal("1000.00")


def identify(*, actor, units, partners=(), **fields):
    """A project identified through the service, as IT would."""
    defaults = {
        "name": "Club points loyalty app",
        "category": Category.CUSTOMER_LOYALTY,
        "it_sponsor": actor,
        "investment": Decimal("12000"),
        "yearly_running_cost": Decimal("2400"),
        "expected_yearly_revenue": Decimal("36000"),
    }
    defaults.update(fields)
    return services.revenue_project_create(actor=actor, business_units=units, business_partners=partners, **defaults)


def walk_to(project, stage, *, actor, acceptor=None, on: datetime.date | None = None):
    """Move a project through the services up to `stage`, accepting on the way if needed."""
    target = STAGE_ORDER.index(stage)
    while project.stage_index() < target:
        if project.next_stage == Stage.EXECUTE and not project.is_accepted:
            project = services.revenue_project_accept(
                project=project, accepted_by=acceptor, statement="We accept it.", on=on, actor=actor
            )
        project = services.revenue_project_advance(project=project, actor=actor, on=on)
    return project
