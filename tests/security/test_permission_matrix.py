"""The permission matrix: every URL pattern of the site and every /api/v1/ operation of the
OpenAPI schema, against the six kinds of caller, with the status each must get.

Columns (always in this order): anonymous · alice, business manager of unit A (Sales) · mallory,
business manager of unit B (Finance) · ivan, IT staff · carla, the CIO · tess, an integration
client. Every object of the world (tests/security/factories.py) belongs to unit A.

Codes: a status code; `L` = 302 to the login page; `.` = not asked here (a write this caller may
make: the app's own tests check what it does).

- Pages: `get` is asked of all six callers; `post` (an empty form) at least of the anonymous
  caller and of every caller who may not take the action (403), or may not see the object (404).
  A page that only takes POST has no `get`.
- API: GET of lists and objects is asked of all six; unsafe methods at least of the anonymous
  caller (401) and of those who may not (403/404). A row may carry a body, so that a write that
  validates its input first still reaches the visibility check.
- On every GET that mallory or tess may make, nothing of unit A that they may not see may show:
  such objects carry SECRET in their titles, and the body must not contain it.
- Every page that answers 403 has logged a security event on "portal.security" naming the caller
  and the path (partnership.views.permission_denied, the site's handler403).

A new URL pattern or API operation without its row fails `test_every_url_pattern_has_a_row` /
`test_every_api_operation_has_a_row`; a row whose pattern is gone fails them too.
"""

import json
import logging
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from .factories import ACTORS, SECRET
from .routes import API_PREFIX, openapi_operations, openapi_path, url_patterns

pytestmark = pytest.mark.django_db

# Patterns left out of the matrix, each with the reason. (Static files are served by WhiteNoise's
# middleware, not by a URL pattern, so there is nothing to leave out for them.)
EXCLUDED_PREFIXES = {
    "admin/": "Django's admin: every page requires is_staff, which none of the six callers has; "
    "test_the_admin_is_closed_to_every_caller checks its door once.",
}


@dataclass(frozen=True)
class Page:
    route: str  # the pattern exactly as the resolver joins it
    url: str  # with {placeholders} from World.ids
    get: str | None = None
    post: str | None = None


@dataclass(frozen=True)
class Api:
    method: str
    path: str  # the OpenAPI path
    expect: str
    url: str = ""  # default: the path with {id} of the endpoint's object (API_OBJECTS)
    body: dict = field(default_factory=dict)


LIST = "L 200 200 200 200 200"  # a page every signed-in caller may open
OWN = "L 200 404 200 200 404"  # a page of a unit-A object: its unit and IT
IT_ONLY = "L 403 403 200 200 403"  # a page of IT's
IT_EDIT = "L 403 404 200 200 404"  # an IT form on a unit-A object
ANON_ONLY = "L . . . . ."  # a write any signed-in caller may attempt
PUBLIC = "200 200 200 200 200 200"

PAGES = [
    # --- partnership: home, accounts, inbox, tokens ---------------------------------------------
    Page("", "/", get="L 200 200 200 302 200"),  # the CIO lands on the dashboard
    Page("healthz", "/healthz", get=PUBLIC),
    Page("accounts/login/", "/accounts/login/", get="200 302 302 302 302 302"),
    Page("accounts/logout/", "/accounts/logout/", post="L L L L L L"),
    Page("accounts/password_change/", "/accounts/password_change/", get=LIST, post=ANON_ONLY),
    Page("accounts/password_change/done/", "/accounts/password_change/done/", get=LIST),
    Page("accounts/password_reset/", "/accounts/password_reset/", get=PUBLIC),
    Page("accounts/password_reset/done/", "/accounts/password_reset/done/", get=PUBLIC),
    Page("accounts/reset/<uidb64>/<token>/", "/accounts/reset/MQ/bad-token/", get=PUBLIC),  # "invalid link"
    Page("accounts/reset/done/", "/accounts/reset/done/", get=PUBLIC),
    Page("accounts/profile/", "/accounts/profile/", get=LIST),
    Page("accounts/tokens/", "/accounts/tokens/", post=ANON_ONLY),
    Page("accounts/tokens/<int:pk>/revoke/", "/accounts/tokens/{token_alice}/revoke/", post="L . 404 404 404 404"),
    Page("accounts/notifications/", "/accounts/notifications/", get=LIST, post=ANON_ONLY),
    Page("inbox/", "/inbox/", get=LIST),
    # What IT delivered: a manager is sent to their own unit's page; IT and the CIO choose a unit.
    Page("delivered/", "/delivered/", get="L 302 302 200 200 403"),
    Page("delivered/<slug:slug>/", "/delivered/sales/", get="L 200 403 200 200 403"),
    Page("inbox/<int:pk>/open/", "/inbox/{notification}/open/", post="L . 404 404 404 404"),
    Page("inbox/read-all/", "/inbox/read-all/", post=ANON_ONLY),
    # The schema and its docs are public documents without data (the schema costs a second to
    # build, so it is asked of two callers only).
    Page("api/schema/", "/api/schema/", get="200 . . . . 200"),
    Page("api/docs/", "/api/docs/", get=PUBLIC),
    # --- score ------------------------------------------------------------------------------------
    Page("dashboard/", "/dashboard/", get="L 200 200 200 200 403"),
    Page("dashboard/", "/dashboard/?business_unit=sales", get="L 200 200 200 200 403"),  # a manager sees their own unit
    Page("dashboard/indicators.csv", "/dashboard/indicators.csv", get="L 200 200 200 200 403"),
    Page("dashboard/units.csv", "/dashboard/units.csv", get=IT_ONLY),
    Page("dashboard/settings/", "/dashboard/settings/", get=IT_ONLY, post="L 403 403 403 . 403"),
    Page("pulse/", "/pulse/", get="L 200 200 403 403 403", post="L . . 403 403 403"),
    # --- listening ----------------------------------------------------------------------------------
    Page("listening/", "/listening/", get=LIST),
    Page("listening/", "/listening/?q=confidential", get=LIST),
    Page("listening/new/", "/listening/new/", get=LIST, post=ANON_ONLY),
    Page("listening/similar/", "/listening/similar/?q=confidential%20pain%20point", get=LIST),
    Page("listening/triage/", "/listening/triage/", get=IT_ONLY),
    Page("integrations/needs-a-unit/", "/integrations/needs-a-unit/", get=IT_ONLY),
    Page(
        "integrations/needs-a-unit/<int:pk>/assign/",
        "/integrations/needs-a-unit/{parked_ticket}/assign/",
        post="L 403 403 . . 403",
    ),
    Page("listening/coverage/", "/listening/coverage/", get=IT_ONLY),
    Page("listening/sessions/", "/listening/sessions/", get=LIST),
    Page("listening/sessions/new/", "/listening/sessions/new/", get=IT_ONLY, post="L 403 403 . . 403"),
    Page("listening/sessions/<int:pk>/", "/listening/sessions/{session}/", get=OWN),
    Page("listening/<int:pk>/", "/listening/{pain_point}/", get=OWN),
    Page("listening/<int:pk>/edit/", "/listening/{pain_point}/edit/", get=IT_EDIT, post="L 403 404 . . 404"),
    Page(
        "listening/<int:pk>/evaluation/", "/listening/{pain_point}/evaluation/", get=IT_EDIT, post="L 403 404 . . 404"
    ),
    Page("listening/<int:pk>/vote/", "/listening/{pain_point}/vote/", post="L . 404 . . 404"),
    Page("listening/<int:pk>/unvote/", "/listening/{pain_point}/unvote/", post="L . 404 . . 404"),
    Page("listening/<int:pk>/watch/", "/listening/{pain_point}/watch/", post="L . 404 . . 404"),
    Page("listening/<int:pk>/unwatch/", "/listening/{pain_point}/unwatch/", post="L . 404 . . 404"),
    Page("listening/<int:pk>/comment/", "/listening/{pain_point}/comment/", post="L . 404 . . 404"),
    Page("listening/<int:pk>/<slug:action>/", "/listening/{pain_point}/plan/", post="L 403 404 . . 404"),
    # --- initiatives (a proposed initiative of Sales, sponsored by alice) -------------------------
    Page("initiatives/", "/initiatives/", get=LIST),
    Page("initiatives/", "/initiatives/?q=initiative&status=proposed", get=LIST),
    Page("initiatives/new/", "/initiatives/new/", get=IT_ONLY, post="L 403 403 . . 403"),
    Page("initiatives/new/", "/initiatives/new/?pain_point={pain_point}", get=IT_ONLY),
    Page("initiatives/<int:pk>/", "/initiatives/{initiative}/", get=OWN),
    Page("initiatives/<int:pk>/edit/", "/initiatives/{initiative}/edit/", get=IT_EDIT, post="L 403 404 . . 404"),
    Page("initiatives/<int:pk>/comment/", "/initiatives/{initiative}/comment/", post="L . 404 . . 404"),
    # the sponsor confirms the business case; the CIO or the sponsor accepts the risk
    Page(
        "initiatives/<int:pk>/confirm-business-case/",
        "/initiatives/{initiative}/confirm-business-case/",
        post="L . 404 403 403 404",
    ),
    Page(
        "initiatives/<int:pk>/accept-risk/",
        "/initiatives/{initiative}/accept-risk/",
        get="L 200 404 403 200 404",
        post="L . 404 403 . 404",
    ),
    Page(
        "initiatives/<int:pk>/review-benefits/",
        "/initiatives/{initiative}/review-benefits/",
        get=OWN,
        post="L . 404 . . 404",
    ),
    Page(
        "initiatives/<int:pk>/risks/new/", "/initiatives/{initiative}/risks/new/", get=IT_EDIT, post="L 403 404 . . 404"
    ),
    Page(
        "initiatives/<int:pk>/risks/<int:risk_pk>/edit/",
        "/initiatives/{initiative}/risks/{risk}/edit/",
        get=IT_EDIT,
        post="L 403 404 . . 404",
    ),
    Page(
        "initiatives/<int:pk>/risks/<int:risk_pk>/delete/",
        "/initiatives/{initiative}/risks/{risk}/delete/",
        post="L 403 404 . . 404",
    ),
    Page(
        "initiatives/<int:pk>/milestones/new/",
        "/initiatives/{initiative}/milestones/new/",
        get=IT_EDIT,
        post="L 403 404 . . 404",
    ),
    Page(
        "initiatives/<int:pk>/milestones/<int:milestone_pk>/edit/",
        "/initiatives/{initiative}/milestones/{milestone}/edit/",
        get=IT_EDIT,
        post="L 403 404 . . 404",
    ),
    Page(
        "initiatives/<int:pk>/milestones/<int:milestone_pk>/done/",
        "/initiatives/{initiative}/milestones/{milestone}/done/",
        post="L 403 404 . . 404",
    ),
    Page(
        "initiatives/<int:pk>/milestones/<int:milestone_pk>/delete/",
        "/initiatives/{initiative}/milestones/{milestone}/delete/",
        post="L 403 404 . . 404",
    ),
    # IT or the sponsor add expected benefits
    Page(
        "initiatives/<int:pk>/benefits/new/", "/initiatives/{initiative}/benefits/new/", get=OWN, post="L . 404 . . 404"
    ),
    Page(
        "initiatives/<int:pk>/benefits/<int:benefit_pk>/delete/",
        "/initiatives/{initiative}/benefits/{benefit}/delete/",
        post="L . 404 . . 404",
    ),
    Page("initiatives/<int:pk>/<slug:action>/", "/initiatives/{initiative}/approve/", post="L 403 404 403 . 404"),
    # --- revenue (a project of Sales with a month of revenue) -------------------------------------
    Page("revenue/", "/revenue/", get=LIST),
    Page("revenue/projects/", "/revenue/projects/", get=LIST),
    Page("revenue/projects/new/", "/revenue/projects/new/", get=IT_ONLY, post="L 403 403 . . 403"),
    Page("revenue/projects/<int:pk>/", "/revenue/projects/{project}/", get=OWN),
    Page("revenue/projects/<int:pk>/edit/", "/revenue/projects/{project}/edit/", get=IT_EDIT, post="L 403 404 . . 404"),
    Page("revenue/projects/<int:pk>/advance/", "/revenue/projects/{project}/advance/", post="L 403 404 . . 404"),
    Page("revenue/projects/<int:pk>/accept/", "/revenue/projects/{project}/accept/", post="L . 404 . . 404"),
    Page("revenue/projects/<int:pk>/abandon/", "/revenue/projects/{project}/abandon/", post="L 403 404 . . 404"),
    Page("revenue/projects/<int:pk>/entries/", "/revenue/projects/{project}/entries/", post="L 403 404 . . 404"),
    Page("revenue/entries/", "/revenue/entries/", get=LIST),
    Page("revenue/entries/export.csv", "/revenue/entries/export.csv", get=LIST),
    Page("revenue/entries/export.csv", "/revenue/entries/export.csv?project={project}", get=LIST),
    Page("revenue/entries/<int:pk>/edit/", "/revenue/entries/{entry}/edit/", get=IT_EDIT, post="L 403 404 . . 404"),
    Page("revenue/entries/<int:pk>/delete/", "/revenue/entries/{entry}/delete/", post="L 403 404 . . 404"),
    # --- steering (a committee of Sales members only, alice in the chair; an event for all staff) -
    Page("steering/", "/steering/", get=LIST),
    Page("steering/committees/", "/steering/committees/", get=LIST),
    Page("steering/committees/new/", "/steering/committees/new/", get=IT_ONLY, post="L 403 403 . . 403"),
    Page("steering/committees/<int:pk>/", "/steering/committees/{committee}/", get=OWN),
    Page(
        "steering/committees/<int:pk>/edit/", "/steering/committees/{committee}/edit/", get=OWN, post="L . 404 . . 404"
    ),
    Page("steering/committees/<int:pk>/members/", "/steering/committees/{committee}/members/", post="L . 404 . . 404"),
    Page(
        "steering/committees/<int:pk>/meetings/new/",
        "/steering/committees/{committee}/meetings/new/",
        get=OWN,
        post="L . 404 . . 404",
    ),
    Page(
        "steering/committees/<int:pk>/decisions/new/",
        "/steering/committees/{committee}/decisions/new/",
        get=OWN,
        post="L . 404 . . 404",
    ),
    Page("steering/members/<int:pk>/remove/", "/steering/members/{membership}/remove/", post="L . 404 . . 404"),
    Page("steering/meetings/", "/steering/meetings/", get=LIST),
    Page("steering/meetings/<int:pk>/", "/steering/meetings/{meeting}/", get=OWN),
    Page("steering/meetings/<int:pk>/edit/", "/steering/meetings/{meeting}/edit/", get=OWN, post="L . 404 . . 404"),
    Page("steering/meetings/<int:pk>/agenda/", "/steering/meetings/{meeting}/agenda/", post="L . 404 . . 404"),
    Page("steering/meetings/<int:pk>/attendance/", "/steering/meetings/{meeting}/attendance/", post="L . 404 . . 404"),
    Page("steering/meetings/<int:pk>/minutes/", "/steering/meetings/{meeting}/minutes/", post="L . 404 . . 404"),
    Page(
        "steering/meetings/<int:pk>/action-items/", "/steering/meetings/{meeting}/action-items/", post="L . 404 . . 404"
    ),
    Page("steering/action-items/", "/steering/action-items/", get=LIST),
    Page("steering/action-items/<int:pk>/done/", "/steering/action-items/{action_item}/done/", post="L . 404 . . 404"),
    Page("steering/decisions/", "/steering/decisions/", get=LIST),
    Page("steering/decisions/<int:pk>/", "/steering/decisions/{decision}/", get=OWN),
    Page("steering/decisions/<int:pk>/edit/", "/steering/decisions/{decision}/edit/", get=OWN, post="L . 404 . . 404"),
    Page("steering/decisions/<int:pk>/position/", "/steering/decisions/{decision}/position/", post="L . 404 . . 404"),
    Page("steering/decisions/<int:pk>/close/", "/steering/decisions/{decision}/close/", post="L . 404 . . 404"),
    # events are open to all staff, not to integration accounts; the host (ivan) and IT manage them
    Page("steering/events/", "/steering/events/", get=LIST),
    Page("steering/events/new/", "/steering/events/new/", get=IT_ONLY, post="L 403 403 . . 403"),
    Page("steering/events/<int:pk>/", "/steering/events/{event}/", get="L 200 200 200 200 404"),
    Page(
        "steering/events/<int:pk>/edit/",
        "/steering/events/{event}/edit/",
        get="L 403 403 200 200 404",
        post="L 403 403 . . 404",
    ),
    Page("steering/events/<int:pk>/register/", "/steering/events/{event}/register/", post="L . . . . 404"),
    Page("steering/events/<int:pk>/unregister/", "/steering/events/{event}/unregister/", post="L . . . . 404"),
    Page("steering/events/<int:pk>/attendance/", "/steering/events/{event}/attendance/", post="L 403 403 . . 404"),
    Page("steering/events/<int:pk>/rate/", "/steering/events/{event}/rate/", post="L . . . . 404"),
    # --- extra mile -------------------------------------------------------------------------------
    Page("extra-mile/", "/extra-mile/", get="L 302 302 302 302 302"),  # to the page of the caller's role
    Page("extra-mile/actions/", "/extra-mile/actions/", get=LIST),
    Page("extra-mile/actions/mine/", "/extra-mile/actions/mine/", get=IT_ONLY),
    Page("extra-mile/actions/new/", "/extra-mile/actions/new/", get=IT_ONLY, post="L 403 403 . . 403"),
    Page("extra-mile/actions/new/", "/extra-mile/actions/new/?pain_point={pain_point}", get=IT_ONLY),
    Page("extra-mile/actions/<int:pk>/", "/extra-mile/actions/{action}/", get=OWN),
    Page("extra-mile/actions/<int:pk>/edit/", "/extra-mile/actions/{action}/edit/", get=IT_EDIT, post="L 403 404 . . 404"),
    Page("extra-mile/actions/<int:pk>/rate/", "/extra-mile/actions/{action}/rate/", post="L . 404 . . 404"),
    Page("extra-mile/actions/<int:pk>/complete/", "/extra-mile/actions/{action}/complete/", post="L 403 404 . . 404"),
    Page("extra-mile/for-us/", "/extra-mile/for-us/", get=LIST),
    Page("extra-mile/suggestions/", "/extra-mile/suggestions/", get=IT_ONLY),
    Page("extra-mile/suggestions/<int:pk>/", "/extra-mile/suggestions/{suggestion}/", get=IT_ONLY),
    Page(
        "extra-mile/suggestions/<int:pk>/accept/",
        "/extra-mile/suggestions/{suggestion}/accept/",
        post="L 403 403 . . 403",
    ),
    Page(
        "extra-mile/suggestions/<int:pk>/dismiss/",
        "/extra-mile/suggestions/{suggestion}/dismiss/",
        post="L 403 403 . . 403",
    ),
    Page("extra-mile/maintenance/", "/extra-mile/maintenance/", get=LIST),
    Page("extra-mile/maintenance/new/", "/extra-mile/maintenance/new/", get=IT_ONLY, post="L 403 403 . . 403"),
    Page("extra-mile/maintenance/<int:pk>/", "/extra-mile/maintenance/{window}/", get=OWN),
    Page("extra-mile/check-ins/", "/extra-mile/check-ins/", get=LIST),
    Page("extra-mile/check-ins/<int:pk>/", "/extra-mile/check-ins/{check_in}/", get=OWN, post="L . 404 . . 404"),
    Page("extra-mile/surveys/", "/extra-mile/surveys/", get=LIST),
    Page("extra-mile/surveys/<int:pk>/", "/extra-mile/surveys/{survey}/", get=OWN, post="L . 404 . . 404"),
]

# The object behind {id} of each endpoint (World.ids keys).
API_OBJECTS = {
    "action-items": "action_item",
    "business-units": "sales",
    "check-ins": "check_in",
    "committees": "committee",
    "decisions": "decision",
    "events": "event",
    "extra-mile-actions": "action",
    "extra-mile-suggestions": "suggestion",
    "initiative-milestones": "milestone",
    "initiative-risks": "risk",
    "initiatives": "initiative",
    "listening-sessions": "session",
    "maintenance-windows": "window",
    "meetings": "meeting",
    "notifications": "notification",
    "pain-points": "pain_point",
    "parked-tickets": "parked_ticket",
    "revenue-entries": "entry",
    "revenue-projects": "project",
    "surveys": "survey",
    "tokens": "token_alice",
    "webhook-deliveries": "delivery",
    "webhook-subscriptions": "subscription",
}

ALL = "401 200 200 200 200 200"  # a list (or one's own thing) every caller with a token may read
SEEN_BY_UNIT_A = "401 200 404 200 200 404"  # an object of unit A
UNIT_A_WRITE = "401 . 404 . . 404"  # a write unit A (or its chair, sponsor, recipient...) and IT may make
IT_WRITE = "401 403 404 . . 404"  # a write of IT's on a unit-A object
IT_CREATE = "401 403 403 . . 403"  # a create of IT's
ANYONE = "401 . . . . ."  # a write every caller with a token may attempt
TRANSITIONS = ("acknowledge", "start-analysis", "plan", "resolve", "close", "decline", "merge")

API = [
    # --- partnership ------------------------------------------------------------------------------
    Api("GET", "/api/v1/me/", ALL),
    Api("GET", "/api/v1/me/agenda/", ALL),
    Api("GET", "/api/v1/business-units/", ALL),
    Api("GET", "/api/v1/business-units/{id}/", ALL),  # unit names are not secret
    Api("GET", "/api/v1/business-units/{id}/delivered/", "401 200 403 200 200 403"),  # its managers and IT
    Api("GET", "/api/v1/tokens/", ALL),
    Api("POST", "/api/v1/tokens/", ANYONE),
    Api("GET", "/api/v1/tokens/{id}/", "401 200 404 404 404 404"),  # alice's token: hers alone
    Api("POST", "/api/v1/tokens/{id}/revoke/", "401 . 404 404 404 404"),
    Api("GET", "/api/v1/notifications/", ALL),
    Api("GET", "/api/v1/notifications/{id}/", "401 200 404 404 404 404"),  # alice's notification
    Api("POST", "/api/v1/notifications/{id}/mark-read/", "401 . 404 404 404 404"),
    Api("POST", "/api/v1/notifications/mark-all-read/", ANYONE),
    Api("GET", "/api/v1/notification-preferences/", ALL),
    Api("GET", "/api/v1/notification-preferences/{kind}/", ALL, url="/api/v1/notification-preferences/{kind}/"),
    Api("PUT", "/api/v1/notification-preferences/{kind}/", ANYONE, url="/api/v1/notification-preferences/{kind}/"),
    Api("PATCH", "/api/v1/notification-preferences/{kind}/", ANYONE, url="/api/v1/notification-preferences/{kind}/"),
    # --- score --------------------------------------------------------------------------------------
    Api("GET", "/api/v1/score/", "401 200 200 200 200 403"),
    Api("GET", "/api/v1/score/", "401 200 403 200 200 403", url="/api/v1/score/?business_unit=sales"),
    Api("GET", "/api/v1/score/history/", "401 200 200 200 200 403"),
    Api("GET", "/api/v1/score/config/", "401 403 403 200 200 403"),
    Api("POST", "/api/v1/score/config/", "401 403 403 403 . 403"),
    # --- integrations: the inbound webhook answers to a signature, not to a user ------------------
    Api(
        "POST",
        "/api/v1/integrations/{source}/webhook/",
        "401 401 401 401 401 401",
        url="/api/v1/integrations/{source}/webhook/",
    ),
    # a subscription (ivan's) is its owner's alone; IT staff and integration clients subscribe
    Api("GET", "/api/v1/webhook-subscriptions/", ALL),
    Api("POST", "/api/v1/webhook-subscriptions/", "401 403 403 . . ."),
    Api("GET", "/api/v1/webhook-subscriptions/{id}/", "401 404 404 200 404 404"),
    Api("PATCH", "/api/v1/webhook-subscriptions/{id}/", "401 404 404 . 404 404"),
    Api("DELETE", "/api/v1/webhook-subscriptions/{id}/", "401 404 404 . 404 404"),
    Api("POST", "/api/v1/webhook-subscriptions/{id}/ping/", "401 404 404 . 404 404"),
    Api("POST", "/api/v1/webhook-subscriptions/{id}/rotate-secret/", "401 404 404 . 404 404"),
    Api("POST", "/api/v1/webhook-subscriptions/{id}/redeliver/", "401 404 404 . 404 404"),
    Api("GET", "/api/v1/webhook-deliveries/", ALL),
    Api("GET", "/api/v1/webhook-deliveries/{id}/", "401 404 404 200 404 404"),
    Api("POST", "/api/v1/webhook-deliveries/{id}/redeliver/", "401 404 404 . 404 404"),
    # the "needs a unit" queue is IT's
    Api("GET", "/api/v1/parked-tickets/", ALL),
    Api("GET", "/api/v1/parked-tickets/{id}/", "401 404 404 200 200 404"),
    Api("POST", "/api/v1/parked-tickets/{id}/assign/", "401 404 404 . . 404"),
    # --- listening ----------------------------------------------------------------------------------
    Api("GET", "/api/v1/pain-points/", ALL),
    Api("GET", "/api/v1/pain-points/", ALL, url="/api/v1/pain-points/?search=confidential"),
    Api("GET", "/api/v1/pain-points/", ALL, url="/api/v1/pain-points/?business_unit={sales}&confidential=true"),
    # anyone with a token may raise a pain point, for another unit too
    Api("POST", "/api/v1/pain-points/", ANYONE),
    Api("GET", "/api/v1/pain-points/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/pain-points/{id}/", IT_WRITE),
    *[Api("POST", f"/api/v1/pain-points/{{id}}/{action}/", IT_WRITE) for action in TRANSITIONS],
    Api("POST", "/api/v1/pain-points/{id}/vote/", UNIT_A_WRITE),
    Api("POST", "/api/v1/pain-points/{id}/comment/", UNIT_A_WRITE),
    Api("POST", "/api/v1/pain-points/{id}/unvote/", UNIT_A_WRITE),
    Api("GET", "/api/v1/pain-points/{id}/evaluation/", SEEN_BY_UNIT_A),
    Api("POST", "/api/v1/pain-points/{id}/evaluation/", IT_WRITE),
    Api("PUT", "/api/v1/pain-points/{id}/evaluation/", IT_WRITE),
    Api("GET", "/api/v1/listening-sessions/", ALL),
    Api("POST", "/api/v1/listening-sessions/", IT_CREATE),
    Api("GET", "/api/v1/listening-sessions/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/listening-sessions/{id}/", IT_WRITE),
    # --- initiatives (proposed, of Sales, sponsored by alice) -------------------------------------
    Api("GET", "/api/v1/initiatives/", ALL),
    Api("GET", "/api/v1/initiatives/", ALL, url="/api/v1/initiatives/?search=initiative&status=proposed"),
    Api("POST", "/api/v1/initiatives/", IT_CREATE),
    Api("GET", "/api/v1/initiatives/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/initiatives/{id}/", IT_WRITE),
    *[
        Api("POST", f"/api/v1/initiatives/{{id}}/{action}/", IT_WRITE)
        for action in ("propose", "evaluate", "start", "deliver", "cancel")
    ],
    Api("POST", "/api/v1/initiatives/{id}/approve/", "401 403 404 403 . 404"),
    Api("POST", "/api/v1/initiatives/{id}/reject/", "401 403 404 403 . 404"),
    Api("POST", "/api/v1/initiatives/{id}/accept-risk/", "401 . 404 403 . 404"),
    Api("POST", "/api/v1/initiatives/{id}/confirm-business-case/", "401 . 404 403 403 404"),
    Api("POST", "/api/v1/initiatives/{id}/review-benefits/", UNIT_A_WRITE),
    Api("POST", "/api/v1/initiatives/{id}/benefits/", UNIT_A_WRITE),
    Api("POST", "/api/v1/initiatives/{id}/comments/", UNIT_A_WRITE, body={"body": "Me too."}),
    Api("GET", "/api/v1/initiative-risks/", ALL),
    Api("GET", "/api/v1/initiative-risks/", ALL, url="/api/v1/initiative-risks/?initiative={initiative}"),
    Api("POST", "/api/v1/initiative-risks/", IT_CREATE),
    Api("GET", "/api/v1/initiative-risks/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/initiative-risks/{id}/", IT_WRITE),
    Api("DELETE", "/api/v1/initiative-risks/{id}/", IT_WRITE),
    Api("GET", "/api/v1/initiative-milestones/", ALL),
    Api("POST", "/api/v1/initiative-milestones/", IT_CREATE),
    Api("GET", "/api/v1/initiative-milestones/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/initiative-milestones/{id}/", IT_WRITE),
    Api("DELETE", "/api/v1/initiative-milestones/{id}/", IT_WRITE),
    Api("POST", "/api/v1/initiative-milestones/{id}/done/", IT_WRITE),
    # --- revenue ----------------------------------------------------------------------------------
    Api("GET", "/api/v1/revenue-projects/", ALL),
    Api("POST", "/api/v1/revenue-projects/", IT_CREATE),
    Api("GET", "/api/v1/revenue-projects/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/revenue-projects/{id}/", IT_WRITE),
    Api("POST", "/api/v1/revenue-projects/{id}/advance/", IT_WRITE),
    Api("POST", "/api/v1/revenue-projects/{id}/abandon/", IT_WRITE),
    Api("POST", "/api/v1/revenue-projects/{id}/accept/", UNIT_A_WRITE),  # a business acceptor of the unit
    Api("GET", "/api/v1/revenue-entries/", ALL),
    Api("GET", "/api/v1/revenue-entries/", ALL, url="/api/v1/revenue-entries/?project={project}"),
    Api("POST", "/api/v1/revenue-entries/", IT_CREATE),
    Api("GET", "/api/v1/revenue-entries/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/revenue-entries/{id}/", IT_WRITE),
    Api("DELETE", "/api/v1/revenue-entries/{id}/", IT_WRITE),
    # --- steering (alice chairs the committee) ----------------------------------------------------
    Api("GET", "/api/v1/committees/", ALL),
    Api("POST", "/api/v1/committees/", IT_CREATE, body={"name": "Shadow board", "scope": "data", "cadence": "monthly"}),
    Api("GET", "/api/v1/committees/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/committees/{id}/", UNIT_A_WRITE),
    Api("DELETE", "/api/v1/committees/{id}/", "401 403 404 . . 404"),
    Api("POST", "/api/v1/committees/{id}/add-member/", UNIT_A_WRITE),
    Api("POST", "/api/v1/committees/{id}/remove-member/", UNIT_A_WRITE),
    Api("GET", "/api/v1/meetings/", ALL),
    # a meeting of a committee one may not see: as if the committee did not exist
    Api(
        "POST",
        "/api/v1/meetings/",
        "401 . 400 . . 400",
        body={"committee": "{committee}", "title": "Sneak in", "starts_at": "2030-01-01T10:00:00Z"},
    ),
    Api("GET", "/api/v1/meetings/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/meetings/{id}/", UNIT_A_WRITE),
    Api("DELETE", "/api/v1/meetings/{id}/", UNIT_A_WRITE),
    Api("POST", "/api/v1/meetings/{id}/agenda-items/", UNIT_A_WRITE),
    Api("POST", "/api/v1/meetings/{id}/attendance/", UNIT_A_WRITE),
    Api("GET", "/api/v1/action-items/", ALL),
    Api(
        "POST",
        "/api/v1/action-items/",
        "401 . 400 . . 400",
        body={"meeting": "{meeting}", "title": "Sneak in", "owner": "{alice_user}", "due_date": "2030-01-01"},
    ),
    Api("GET", "/api/v1/action-items/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/action-items/{id}/", UNIT_A_WRITE),
    Api("DELETE", "/api/v1/action-items/{id}/", UNIT_A_WRITE),
    Api("POST", "/api/v1/action-items/{id}/done/", UNIT_A_WRITE),
    Api("POST", "/api/v1/action-items/{id}/reopen/", UNIT_A_WRITE),
    Api("GET", "/api/v1/decisions/", ALL),
    Api(
        "POST",
        "/api/v1/decisions/",
        "401 . 400 . . 400",
        body={"committee": "{committee}", "title": "Sneak in", "topic": "data", "context": "Why not."},
    ),
    Api("GET", "/api/v1/decisions/{id}/", SEEN_BY_UNIT_A),
    Api("PATCH", "/api/v1/decisions/{id}/", UNIT_A_WRITE),
    Api("DELETE", "/api/v1/decisions/{id}/", UNIT_A_WRITE),
    Api("POST", "/api/v1/decisions/{id}/position/", UNIT_A_WRITE, body={"stance": "support"}),
    Api("POST", "/api/v1/decisions/{id}/close/", UNIT_A_WRITE),
    Api("GET", "/api/v1/events/", ALL),
    Api(
        "POST",
        "/api/v1/events/",
        IT_CREATE,
        body={
            "kind": "workshop",
            "title": "Shadow workshop",
            "starts_at": "2030-01-01T10:00:00Z",
            "host": "{alice_user}",
        },
    ),
    Api("GET", "/api/v1/events/{id}/", "401 200 200 200 200 404"),
    Api("PATCH", "/api/v1/events/{id}/", "401 403 403 . . 404"),
    Api("DELETE", "/api/v1/events/{id}/", "401 403 403 . . 404"),
    Api("POST", "/api/v1/events/{id}/register/", "401 . . . . 404"),
    Api("POST", "/api/v1/events/{id}/unregister/", "401 . . . . 404"),
    Api("POST", "/api/v1/events/{id}/attend/", "401 403 403 . . 404"),
    Api("POST", "/api/v1/events/{id}/rate/", "401 . . . . 404", body={"rating": 4}),
    # --- extra mile -------------------------------------------------------------------------------
    Api("GET", "/api/v1/extra-mile-actions/", ALL),
    Api("POST", "/api/v1/extra-mile-actions/", IT_CREATE),
    Api("GET", "/api/v1/extra-mile-actions/{id}/", SEEN_BY_UNIT_A),
    Api("POST", "/api/v1/extra-mile-actions/{id}/rate/", UNIT_A_WRITE, body={"rating": 5}),
    Api("POST", "/api/v1/extra-mile-actions/{id}/complete/", IT_WRITE),
    Api("GET", "/api/v1/maintenance-windows/", ALL),
    Api("POST", "/api/v1/maintenance-windows/", IT_CREATE),
    Api("GET", "/api/v1/maintenance-windows/{id}/", SEEN_BY_UNIT_A),
    Api("GET", "/api/v1/check-ins/", ALL),
    Api("GET", "/api/v1/check-ins/{id}/", SEEN_BY_UNIT_A),
    Api("POST", "/api/v1/check-ins/{id}/answer/", UNIT_A_WRITE, body={"systems_ok": True}),
    Api("GET", "/api/v1/surveys/", ALL),
    Api("GET", "/api/v1/surveys/{id}/", SEEN_BY_UNIT_A),
    Api("POST", "/api/v1/surveys/{id}/answer/", UNIT_A_WRITE, body={"rating": 4}),
    Api("GET", "/api/v1/extra-mile-suggestions/", ALL),  # empty but for IT
    Api("GET", "/api/v1/extra-mile-suggestions/{id}/", "401 404 404 200 200 404"),
    Api("POST", "/api/v1/extra-mile-suggestions/{id}/accept/", "401 404 404 . . 404"),
    Api("POST", "/api/v1/extra-mile-suggestions/{id}/dismiss/", "401 404 404 . . 404"),
]


# --- the rows cover the site ----------------------------------------------------------------------


def _excluded(route: str) -> bool:
    return any(route.startswith(prefix) for prefix in EXCLUDED_PREFIXES)


def test_every_url_pattern_has_a_row():
    """A page added without its row (or a row left behind by a removed page) fails here."""
    found = {route for route, _ in url_patterns() if not _excluded(route) and not route.startswith(API_PREFIX)}
    in_matrix = {page.route for page in PAGES}
    assert found - in_matrix == set(), "URL patterns without a row in PAGES"
    assert in_matrix - found == set(), "rows in PAGES whose URL pattern is gone"


def test_every_api_operation_has_a_row():
    """Every /api/v1/ pattern is an operation of the schema, and every operation has a row."""
    operations = openapi_operations()
    schema_paths = {path for _, path in operations}
    api_routes = {openapi_path(route) for route, _ in url_patterns() if route.startswith(API_PREFIX)}
    assert api_routes - schema_paths == set(), "API URL patterns missing from the OpenAPI schema"
    in_matrix = {(row.method, row.path) for row in API}
    assert operations - in_matrix == set(), "API operations without a row in API"
    assert in_matrix - operations == set(), "rows in API whose operation is gone"


def test_every_row_names_six_callers():
    for expect in [p.get for p in PAGES] + [p.post for p in PAGES] + [a.expect for a in API]:
        assert expect is None or len(expect.split()) == len(ACTORS), expect


# --- the matrix ---------------------------------------------------------------------------------------


def _fill(template: str, world) -> str:
    return template.format(**world.ids)


def _outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "L"
    return str(response.status_code)


def _check(world, expect: str, call, *, what: str) -> dict:
    """Ask `call(actor)` of every caller the row names; collect every difference, then fail once.
    Returns each asked caller's outcome."""
    wrong, outcomes = [], {}
    for actor, wanted in zip(ACTORS, expect.split(), strict=True):
        if wanted == ".":
            continue
        response = call(actor)
        outcomes[actor] = got = _outcome(response)
        if got != wanted:
            wrong.append(f"{actor}: expected {wanted}, got {got}")
        if actor in ("mallory", "tess") and got.startswith("2") and what.startswith("GET"):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if SECRET.encode() in body:
                wrong.append(f"{actor}: the answer shows an object of unit A that {actor} may not see")
    assert not wrong, f"{what}\n  " + "\n  ".join(wrong)
    return outcomes


def _assert_denials_logged(outcomes: dict, url: str, caplog):
    """Every page that answered 403 logged a security event naming the caller and the path."""
    path = url.split("?")[0]
    events = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    for actor, got in outcomes.items():
        if got == "403":
            assert any("permission denied" in e and f"by {actor}" in e and path in e for e in events), (actor, events)


def _as(world, actor, *, signed_in=True):
    """The module's one test client (a new one would build the middleware, WhiteNoise's file
    scan included, again), with the cookies of `actor`'s browser session, or none."""
    client = world.client
    client.cookies.clear()
    if signed_in and actor != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[actor]
    return client


def _page_id(page: Page) -> str:
    return page.url if "?" in page.url else page.route or "/"


@pytest.mark.parametrize("page", [p for p in PAGES if p.get], ids=_page_id)
def test_page_get(world, page, caplog):
    url = _fill(page.url, world)
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        outcomes = _check(world, page.get, lambda actor: _as(world, actor).get(url), what=f"GET {url}")
    _assert_denials_logged(outcomes, url, caplog)


@pytest.mark.parametrize("page", [p for p in PAGES if p.post], ids=_page_id)
def test_page_post(world, page, caplog):
    url = _fill(page.url, world)
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        outcomes = _check(world, page.post, lambda actor: _as(world, actor).post(url, {}), what=f"POST {url}")
    _assert_denials_logged(outcomes, url, caplog)


def _api_url(row: Api, world) -> str:
    if row.url:
        return _fill(row.url, world)
    segment = row.path.split("/")[3]
    return row.path.replace("{id}", str(world.ids[API_OBJECTS[segment]])) if "{id}" in row.path else row.path


def _api_body(row: Api, world) -> str:
    ids = {**world.ids, "alice_user": world.users["alice"].pk}
    return json.dumps({k: v.format(**ids) if isinstance(v, str) else v for k, v in row.body.items()})


def _api_id(row: Api) -> str:
    return f"{row.method} {row.url or row.path}"


@pytest.mark.parametrize("row", API, ids=_api_id)
def test_api_operation(world, row):
    url, body = _api_url(row, world), _api_body(row, world)

    def call(actor):
        headers = {"HTTP_AUTHORIZATION": f"Token {world.tokens[actor]}"} if actor != "anon" else {}
        client = _as(world, actor, signed_in=False)
        if row.method == "GET":
            return client.get(url, **headers)
        return client.generic(row.method, url, body, content_type="application/json", **headers)

    _check(world, row.expect, call, what=f"{row.method} {url}")


# --- around the matrix ----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_the_admin_is_closed_to_every_caller(world, actor):
    response = _as(world, actor).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_page_refused_by_role_logs_a_security_event_and_shows_the_403_page(world, caplog):
    client = _as(world, "alice")
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = client.get("/listening/triage/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    events = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any("alice" in event and "/listening/triage/" in event for event in events), events


def test_a_page_of_another_units_object_answers_404_without_a_security_event(world, caplog):
    """404 is the answer to "you may not see it": no denial to log, nothing to confirm."""
    client = _as(world, "mallory")
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = client.get(_fill("/listening/{pain_point}/", world))
    assert response.status_code == 404
    assert not [r for r in caplog.records if r.name == "portal.security" and "permission denied" in r.getMessage()]


def test_a_role_check_before_the_lookup_still_hides_another_units_object(world):
    """Mallory may not acknowledge any pain point (403), but this one she may not even see."""
    headers = {"HTTP_AUTHORIZATION": f"Token {world.tokens['mallory']}"}
    url = _fill("/api/v1/pain-points/{pain_point}/acknowledge/", world)
    response = _as(world, "mallory", signed_in=False).post(url, "{}", content_type="application/json", **headers)
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
