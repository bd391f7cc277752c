"""factory_boy factories of the steering app."""

import datetime

import factory
from django.utils import timezone

from steering import models
from steering.choices import AttendanceStatus, EventKind, MemberRole, Side, Stance, Topic

from ..factories import UserFactory


def days(n: int) -> datetime.datetime:
    """A moment n days from now (negative: in the past)."""
    return timezone.now() + datetime.timedelta(days=n)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Committee

    name = factory.Sequence(lambda n: f"Committee {n}")
    scope = Topic.BYOD


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    committee = factory.SubFactory(CommitteeFactory)
    user = factory.SubFactory(UserFactory)
    side = Side.BUSINESS
    role = MemberRole.MEMBER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: days(-7))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Attendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MembershipFactory)
    status = AttendanceStatus.PRESENT


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Decision

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Decision {n}")
    topic = Topic.BYOD
    context = "Why it matters."


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Position

    decision = factory.SubFactory(DecisionFactory)
    member = factory.SubFactory(MembershipFactory)
    stance = Stance.SUPPORT


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    kind = EventKind.WORKSHOP
    title = factory.Sequence(lambda n: f"Event {n}")
    starts_at = factory.LazyFunction(lambda: days(10))
    host = factory.SubFactory(UserFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
