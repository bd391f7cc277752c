"""The world of the permission matrix: the six actors and one object of every kind, all of
business unit A (Sales), made through the apps' services and test factories.

Every object a business manager of unit B (Mallory, Finance) or the integration client may not
see carries SECRET in its title, so a page or an answer that shows it to them is caught even on
list pages and in embedded panels.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.test import Client
from django.utils import timezone

from initiatives import planning as initiative_planning
from listening import services as listening_services
from listening import sessions as listening_sessions
from listening.choices import SessionKind
from partnership.extramile import services as extramile_services
from partnership.extramile.choices import ActionKind, SuggestionTrigger
from partnership.extramile.models import CheckIn, ProblemSuggestion, ResolutionSurvey
from partnership.integrations import services as integration_services
from partnership.integrations import subscriptions as integration_subscriptions
from partnership.integrations.models import InboundTicket, WebhookDelivery
from partnership.notifications.models import Notification
from partnership.roles import Role
from partnership.services import api_token_create
from revenue import services as revenue_services
from steering import services as steering_services
from steering.choices import Cadence, EventKind, MemberRole, Side, Topic

from ..extramile.factories import log_action, make_resolved, record_window
from ..factories import BusinessUnitFactory, UserFactory
from ..initiatives.factories import make_proposed
from ..listening.factories import make_pain_point, recommended_options
from ..revenue.factories import identify

SECRET = "SALES-ONLY"
ACTORS = ("anon", "alice", "mallory", "ivan", "carla", "tess")
WEBHOOK_SECRET = "whsec-matrix-0123456789abcdef0123456789"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # actor name -> user (anon: None)
    tokens: dict = field(default_factory=dict)  # actor name -> API key
    sessions: dict = field(default_factory=dict)  # actor name -> session key of a signed-in browser
    client: Client | None = None  # the module's one test client (set by the `world` fixture)
    ids: dict = field(default_factory=dict)  # placeholder -> primary key (or slug) for URLs

    def __getitem__(self, name):
        return self.ids[name]


def build_world() -> World:
    world = World()
    sales = BusinessUnitFactory(name="Sales", slug="sales")
    finance = BusinessUnitFactory(name="Finance", slug="finance")
    alice = UserFactory(username="alice", first_name="Alice", business_unit=sales, role=Role.BUSINESS_MANAGER)
    bert = UserFactory(username="bert", first_name="Bert", business_unit=sales, role=Role.BUSINESS_MANAGER)
    mallory = UserFactory(username="mallory", first_name="Mallory", business_unit=finance, role=Role.BUSINESS_MANAGER)
    ivan = UserFactory(username="ivan", first_name="Ivan", role=Role.IT_STAFF)
    carla = UserFactory(username="carla", first_name="Carla", role=Role.CIO)
    tess = UserFactory(username="tess", first_name="Tess", role=Role.INTEGRATION_CLIENT)
    world.users = {"anon": None, "alice": alice, "mallory": mallory, "ivan": ivan, "carla": carla, "tess": tess}
    for name, user in world.users.items():
        if user is not None:
            token, world.tokens[name] = api_token_create(user=user, name=f"matrix token of {name}")
            world.ids[f"token_{name}"] = token.pk
            browser = Client()
            browser.force_login(user)
            world.sessions[name] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    today = timezone.localdate()
    ids = world.ids
    ids["sales"], ids["finance"] = sales.pk, finance.pk

    # Listen: a confidential pain point of Sales under analysis with an evaluation, a session.
    pain_point = make_pain_point(submitted_by=alice, title=f"{SECRET} confidential pain point", confidential=True)
    listening_services.pain_point_acknowledge(pain_point=pain_point, actor=ivan)
    listening_services.pain_point_start_analysis(pain_point=pain_point, actor=ivan)
    listening_services.evaluation_save(
        pain_point=pain_point, actor=ivan, plan=f"{SECRET} plan", options=recommended_options()
    )
    listening_services.comment_add(pain_point=pain_point, author=alice, body=f"{SECRET} comment")
    ids["pain_point"] = pain_point.pk
    session = listening_sessions.listening_session_create(
        actor=ivan,
        kind=SessionKind.COFFEE_EVENT,
        title=f"{SECRET} coffee with Sales",
        held_on=today - datetime.timedelta(days=3),
        business_unit=sales,
        business_attendees=[alice],
    )
    ids["session"] = session.pk

    # Proactivity: a proposed (not approved) initiative of Sales, sponsored by Alice.
    initiative = make_proposed(
        actor=ivan, sponsor=alice, title=f"{SECRET} initiative", business_units=[sales], it_owner=ivan
    )
    ids["initiative"] = initiative.pk
    ids["risk"] = initiative_planning.risk_add(
        initiative=initiative, actor=ivan, description=f"{SECRET} risk", probability=2, impact=3
    ).pk
    ids["milestone"] = initiative_planning.milestone_add(
        initiative=initiative, actor=ivan, title=f"{SECRET} milestone", due_on=today + datetime.timedelta(days=30)
    ).pk
    ids["benefit"] = initiative_planning.benefit_add(
        initiative=initiative, actor=ivan, description=f"{SECRET} benefit", expected_amount=Decimal("1000")
    ).pk

    # Revenue: a project of Sales with a month of revenue.
    project = identify(actor=ivan, units=[sales], name=f"{SECRET} revenue project")
    ids["project"] = project.pk
    ids["entry"] = revenue_services.revenue_entry_create(
        project=project, month=today.replace(day=1), amount=Decimal("1500"), actor=ivan, note=f"{SECRET} entry"
    ).pk

    # Share: a committee whose members are all of Sales, with a meeting, an action item and an
    # open decision; an event open to all staff.
    committee = steering_services.committee_create(
        name=f"{SECRET} committee", scope=Topic.DATA, cadence=Cadence.MONTHLY, actor=ivan
    )
    steering_services.membership_add(
        committee=committee, user=alice, role=MemberRole.CHAIR, side=Side.BUSINESS, actor=ivan
    )
    ids["membership"] = steering_services.membership_add(
        committee=committee, user=bert, role=MemberRole.MEMBER, side=Side.BUSINESS, actor=ivan
    ).pk
    ids["committee"] = committee.pk
    meeting = steering_services.meeting_schedule(
        committee=committee,
        title=f"{SECRET} meeting",
        starts_at=timezone.now() - datetime.timedelta(days=2),
        agenda=[f"{SECRET} agenda item"],
        actor=ivan,
    )
    ids["meeting"] = meeting.pk
    ids["action_item"] = steering_services.action_item_create(
        meeting=meeting,
        title=f"{SECRET} action item",
        owner=alice,
        due_date=today + datetime.timedelta(days=7),
        actor=ivan,
    ).pk
    ids["decision"] = steering_services.decision_propose(
        committee=committee,
        title=f"{SECRET} decision",
        topic=Topic.DATA,
        context="Why it matters.",
        meeting=meeting,
        actor=ivan,
    ).pk
    event = steering_services.event_create(
        kind=EventKind.WORKSHOP,
        title="IT open day",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        host=ivan,
        actor=ivan,
    )
    steering_services.event_register(event=event, actor=alice)
    ids["event"] = event.pk

    # Extra mile: an action for Sales, a finished maintenance window with Alice's check-in,
    # Alice's survey on a resolved pain point, a repeated-problem suggestion.
    ids["action"] = log_action(
        actor=ivan,
        business_unit=sales,
        recipients=[alice],
        title=f"{SECRET} extra-mile action",
        kind=ActionKind.EXTRA_ANALYSIS,
    ).pk
    window = record_window(actor=ivan, key_users=[alice], system=f"{SECRET} ERP", business_units=[sales])
    ids["window"] = window.pk
    extramile_services.check_ins_create()
    ids["check_in"] = CheckIn.objects.get(window=window, key_user=alice).pk
    resolved = make_resolved(submitted_by=alice, it_user=ivan, title=f"{SECRET} resolved pain point", confidential=True)
    extramile_services.surveys_create()
    ids["survey"] = ResolutionSurvey.objects.get(pain_point_id=resolved.pk, respondent=alice).pk
    ids["suggestion"] = ProblemSuggestion.objects.create(
        key="matrix-suggestion",
        trigger=SuggestionTrigger.VOTES,
        business_unit=sales,
        category="process",
        pain_point_id=pain_point.pk,
        evidence=[pain_point.pk],
        reason=f"{SECRET} suggestion",
    ).pk

    # Partnership: Alice's notification, Ivan's webhook subscription and a delivery, a source.
    ids["notification"] = Notification.objects.filter(recipient=alice).order_by("pk").first().pk
    subscription = integration_subscriptions.webhook_subscription_create(
        owner=ivan,
        url="https://hooks.example.com/portal",
        events=["initiative.approved"],
        description=f"{SECRET} subscription",
    )
    ids["subscription"] = subscription.pk
    ids["delivery"] = WebhookDelivery.objects.create(
        subscription=subscription, message_id="msg_matrix", event="initiative.approved", payload={"title": SECRET}
    ).pk
    integration_services.integration_source_add(name="jira", kind="jira", secret=WEBHOOK_SECRET, business_unit=sales)
    ids["source"] = "jira"
    # A ticket of another source parked in IT's "needs a unit" queue.
    helpdesk = integration_services.integration_source_add(name="helpdesk", kind="generic", secret=WEBHOOK_SECRET)
    ids["parked_ticket"] = InboundTicket.objects.create(
        source=helpdesk, external_ref="HD-1", parked_at=timezone.now(), ticket={"title": f"{SECRET} parked ticket"}
    ).pk
    ids["kind"] = "listening.ack_overdue"
    return world
