"""Every declared step of every workflow, walked through the service, the page and the API.

For each step people take: an allowed user from each status it leaves, the same user from a
status it does not leave, and a refused user (one who sees the object). The three paths must give
the same answer: done with the same resulting status, refused by the status with the same
message, or refused for the role (with the declared message in the service and the API; the
page's 403 shows no message). A step without a page (`page=None`) is walked through the other two.
"""

import datetime
import html
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from initiatives.choices import InitiativeStatus
from initiatives.models import Initiative
from initiatives.workflow import INITIATIVE
from listening import services as listening_services
from listening.choices import PainPointStatus
from listening.models import PainPoint
from listening.workflow import PAIN_POINT
from partnership.extramile.choices import ActionStatus, CheckInStatus, SuggestionStatus, SuggestionTrigger
from partnership.extramile.models import CheckIn, ExtraMileAction, ProblemSuggestion
from partnership.extramile.workflow import ANSWERED, CHECK_IN, EXTRA_MILE_ACTION, SUGGESTION
from partnership.roles import Role
from revenue.choices import Stage
from revenue.models import RevenueProject
from revenue.workflow import REVENUE_PROJECT
from steering.choices import DecisionStatus, MemberRole
from steering.workflow import ACTION_ITEM, DECISION
from tests.extramile.factories import log_action, record_window
from tests.factories import UserFactory
from tests.initiatives.factories import make_initiative
from tests.listening.factories import make_pain_point, recommended_options
from tests.revenue.factories import identify
from tests.steering.factories import ActionItemFactory, DecisionFactory, MembershipFactory

TODAY = timezone.localdate


@dataclass
class Walk:
    """How one workflow is walked: a fresh object in a status, who may and who may not, and what
    each path sends for a step."""

    workflow: object
    make: object  # make(people, status) -> a fresh object in that status
    allowed: str
    refused: object  # a user's name, or refused(step) -> one; None: whoever sees it may (IT-only objects)
    inputs: object  # inputs(people, obj, step) -> the service's keyword arguments
    page: object  # page(obj, step, inputs) -> (url, form data), or None for an API-only step
    api: object  # api(obj, step, inputs) -> (url, body)
    reload: object


def _prefixed(step, data):
    return {f"{step}-{key}": value for key, value in data.items()}


# --- Pain points ------------------------------------------------------------------------------------


def _pain_point(people, status):
    pain_point = make_pain_point(submitted_by=people["alice"])
    if status == PainPointStatus.PLANNED or status == PainPointStatus.ANALYSING:
        listening_services.evaluation_save(pain_point=pain_point, actor=people["ivan"], options=recommended_options())
    PainPoint.objects.filter(pk=pain_point.pk).update(status=status)
    return PainPoint.objects.get(pk=pain_point.pk)


def _pain_point_inputs(people, pain_point, step):
    if step == "decline":
        return {"reason": "Covered by the new ERP."}
    if step == "merge":
        return {"target": make_pain_point(submitted_by=people["alice"], title="Invoices typed again"), "note": ""}
    return {"note": "Looked at it."}


def _plain(inputs):
    return {key: getattr(value, "pk", value) for key, value in inputs.items()}


PAIN_POINTS = Walk(
    workflow=PAIN_POINT,
    make=_pain_point,
    allowed="ivan",
    refused="alice",
    inputs=_pain_point_inputs,
    page=lambda p, step, inputs: (reverse("listening:transition", args=[p.pk, step]), _prefixed(step, _plain(inputs))),
    api=lambda p, step, inputs: (f"/api/v1/pain-points/{p.pk}/{step}/", _plain(inputs)),
    reload=lambda p: PainPoint.objects.get(pk=p.pk),
)


# --- Initiatives ------------------------------------------------------------------------------------


def _initiative(people, status):
    initiative = make_initiative(actor=people["ivan"], sponsor=people["alice"])
    Initiative.objects.filter(pk=initiative.pk).update(status=status)
    return Initiative.objects.get(pk=initiative.pk)


def _initiative_inputs(people, initiative, step):
    if step in ("reject", "cancel"):
        return {"reason": "Not this year."}
    if step == "review-benefits":
        return {"realised": [], "summary": "Reports now take minutes."}
    if step == "deliver":
        return {"delivered_on": TODAY(), "note": ""}
    return {"note": "Noted."}


def _initiative_page(initiative, step, inputs):
    if step == "review-benefits":
        return reverse("initiatives:review-benefits", args=[initiative.pk]), {"summary": inputs["summary"]}
    return reverse("initiatives:transition", args=[initiative.pk, step]), _prefixed(step, inputs)


INITIATIVES = Walk(
    workflow=INITIATIVE,
    make=_initiative,
    allowed="carla",  # the CIO may take every step (IT staff's and her own)
    # Someone who sees the initiative and may not take the step: IT staff for the CIO's
    # decisions, the sponsor for IT's steps, another unit's manager for the benefits review
    # (a delivered initiative is visible to the whole company).
    refused=lambda step: {"approve": "ivan", "reject": "ivan", "review-benefits": "mallory"}.get(step, "alice"),
    inputs=_initiative_inputs,
    page=_initiative_page,
    api=lambda i, step, inputs: (f"/api/v1/initiatives/{i.pk}/{step}/", inputs),
    reload=lambda i: Initiative.objects.get(pk=i.pk),
)


# --- Revenue projects ---------------------------------------------------------------------------------


def _project(people, status):
    project = identify(actor=people["ivan"], units=[people["alice"].business_unit], partners=[people["alice"]])
    changes = {"stage": status}
    if status in (Stage.ACCEPTANCE, Stage.EXECUTE, Stage.SUPPORT):
        changes.update(accepted_by=people["alice"], accepted_on=TODAY(), acceptance_statement="We accept it.")
    RevenueProject.objects.filter(pk=project.pk).update(**changes)
    return RevenueProject.objects.get(pk=project.pk)


REVENUE = Walk(
    workflow=REVENUE_PROJECT,
    make=_project,
    allowed="ivan",
    refused="alice",
    inputs=lambda people, project, step: {"reason": "The market moved."} if step == "abandon" else {"note": ""},
    page=lambda p, step, inputs: (reverse(f"revenue:project-{step}", args=[p.pk]), inputs),
    api=lambda p, step, inputs: (f"/api/v1/revenue-projects/{p.pk}/{step}/", inputs),
    reload=lambda p: RevenueProject.objects.get(pk=p.pk),
)


# --- Steering -------------------------------------------------------------------------------------------


def _decision(people, status):
    decision = DecisionFactory(committee=people["committee"], status=status)
    return decision


DECISIONS = Walk(
    workflow=DECISION,
    make=_decision,
    allowed="ivan",
    refused="member",
    inputs=lambda people, decision, step: {"outcome": "Agreed: BYOD from May."},
    page=lambda d, step, inputs: (reverse("steering:decision-close", args=[d.pk]), inputs),
    api=lambda d, step, inputs: (f"/api/v1/decisions/{d.pk}/{step}/", inputs),
    reload=lambda d: type(d).objects.get(pk=d.pk),
)


def _action_item(people, status):
    meeting_item = ActionItemFactory(meeting__committee=people["committee"], owner=people["alice"])
    if status == "done":
        type(meeting_item).objects.filter(pk=meeting_item.pk).update(done_at=timezone.now())
    return type(meeting_item).objects.get(pk=meeting_item.pk)


def _action_item_page(item, step, inputs):
    return reverse("steering:action-item-done", args=[item.pk]), ({"reopen": "1"} if step == "reopen" else {})


ACTION_ITEMS = Walk(
    workflow=ACTION_ITEM,
    make=_action_item,
    allowed="alice",  # the owner
    refused="member",
    inputs=lambda people, item, step: {},
    page=_action_item_page,
    api=lambda i, step, inputs: (f"/api/v1/action-items/{i.pk}/{step}/", inputs),
    reload=lambda i: type(i).objects.get(pk=i.pk),
)


# --- Extra mile --------------------------------------------------------------------------------------------


def _extra_mile_action(people, status):
    action = log_action(
        actor=people["ivan"], business_unit=people["alice"].business_unit, recipients=[people["alice"]],
        status=ActionStatus.PLANNED, performed_on=TODAY(),
    )
    ExtraMileAction.objects.filter(pk=action.pk).update(status=status)
    return ExtraMileAction.objects.get(pk=action.pk)


EXTRA_MILE_ACTIONS = Walk(
    workflow=EXTRA_MILE_ACTION,
    make=_extra_mile_action,
    allowed="ivan",
    refused="alice",
    inputs=lambda people, action, step: {"performed_on": TODAY(), "effort_hours": Decimal("2.0")},
    page=lambda a, step, inputs: (reverse("extramile:action-complete", args=[a.pk]), inputs),
    api=lambda a, step, inputs: (f"/api/v1/extra-mile-actions/{a.pk}/{step}/", inputs),
    reload=lambda a: ExtraMileAction.objects.get(pk=a.pk),
)

_keys = itertools.count()


def _suggestion(people, status):
    pain_point = make_pain_point(submitted_by=people["alice"])
    return ProblemSuggestion.objects.create(
        key=f"walk-{next(_keys)}", trigger=SuggestionTrigger.VOTES, business_unit=people["alice"].business_unit,
        category="reporting", pain_point_id=pain_point.pk, evidence=[pain_point.pk], reason="Many votes.",
        status=status,
    )


def _suggestion_inputs(people, suggestion, step):
    if step == "accept":
        return {"kind": "training", "title": "", "planned_on": TODAY() + datetime.timedelta(days=7)}
    return {"reason": "Already covered."}


SUGGESTIONS = Walk(
    workflow=SUGGESTION,
    make=_suggestion,
    allowed="ivan",
    refused=None,
    inputs=_suggestion_inputs,
    page=lambda s, step, inputs: (reverse(f"extramile:suggestion-{step}", args=[s.pk]), inputs),
    api=lambda s, step, inputs: (f"/api/v1/extra-mile-suggestions/{s.pk}/{step}/", inputs),
    reload=lambda s: ProblemSuggestion.objects.get(pk=s.pk),
)


def _check_in(people, status):
    """alice's check-in after a window, pending or answered ("running correctly")."""
    window = record_window(actor=people["ivan"], key_users=[people["alice"]])
    answered = {}
    if status == ANSWERED:
        answered = {"status": CheckInStatus.OK, "systems_ok": True, "answered_at": timezone.now(), "answered_by": people["alice"]}
    return CheckIn.objects.create(
        window=window, key_user=people["alice"], due_at=timezone.now() + datetime.timedelta(hours=24), **answered
    )


def _check_in_page(check_in, step, inputs):
    return check_in.get_absolute_url(), {"systems_ok": "yes" if inputs["systems_ok"] else "no", "problem": inputs["problem"]}


CHECK_INS = Walk(
    workflow=CHECK_IN,
    make=_check_in,
    allowed="alice",  # the key user (IT may answer on her behalf)
    refused="member",  # her colleague, who sees the check-in
    # A "no": the answer that also creates a pain point.
    inputs=lambda people, check_in, step: {"systems_ok": False, "problem": "Invoices do not print."},
    page=_check_in_page,
    api=lambda c, step, inputs: (f"/api/v1/check-ins/{c.pk}/{step}/", inputs),
    reload=lambda c: CheckIn.objects.get(pk=c.pk),
)

WALKS = {
    "pain point": PAIN_POINTS,
    "initiative": INITIATIVES,
    "revenue project": REVENUE,
    "decision": DECISIONS,
    "action item": ACTION_ITEMS,
    "extra-mile action": EXTRA_MILE_ACTIONS,
    "proposal": SUGGESTIONS,
    "check-in": CHECK_INS,
}


@pytest.fixture
def people(alice, mallory, ivan, carla):
    member = UserFactory(username="mel", business_unit=alice.business_unit, role=Role.BUSINESS_MANAGER)
    committee = MembershipFactory(user=alice, role=MemberRole.MEMBER).committee
    MembershipFactory(committee=committee, user=member, role=MemberRole.MEMBER)
    return {"alice": alice, "mallory": mallory, "ivan": ivan, "carla": carla, "member": member, "committee": committee}


def _messages(error: ValidationError) -> list[str]:
    return sorted(m for messages in error.message_dict.values() for m in messages)


def _through_service(walk, people, obj, user, step, inputs):
    try:
        walk.workflow.run(obj, user, step, **inputs)
    except PermissionDenied as exc:
        return ("denied", str(exc))
    except ValidationError as exc:
        return ("refused", _messages(exc))
    return ("done", walk.workflow.state(walk.reload(obj)))


def _through_api(walk, api, obj, user, step, inputs):
    url, body = walk.api(obj, step, inputs)
    response = api(user).post(url, body, format="json")
    if response.status_code == 403:
        return ("denied", response.json()["detail"])
    if response.status_code == 400:
        return ("refused", sorted(m for messages in response.json()["fields"].values() for m in messages))
    assert response.status_code in (200, 201), (url, response.status_code, response.content[:300])
    return ("done", walk.workflow.state(walk.reload(obj)))


def _through_page(walk, client, obj, user, step, inputs, expected):
    url, data = walk.page(obj, step, inputs)
    client.force_login(user)
    response = client.post(url, data)
    if response.status_code == 403:
        return ("denied", expected[1] if expected[0] == "denied" else "(the page's 403)")
    if response.status_code == 400 or (response.status_code == 302 and walk.workflow.state(walk.reload(obj)) == walk.workflow.state(obj)):
        # A refusal: on the re-shown form (400), or in the message of the redirect (302).
        page = response if response.status_code == 400 else client.get(response.url)
        text = html.unescape(page.content.decode())
        shown = [m for m in (expected[1] if expected[0] == "refused" else []) if m in text]
        return ("refused", sorted(shown) or ["(not shown)"])
    assert response.status_code == 302, (url, response.status_code)
    return ("done", walk.workflow.state(walk.reload(obj)))


def _cases():
    for label, walk in WALKS.items():
        for step in walk.workflow.manual():
            yield pytest.param(label, step.name, id=f"{label}:{step.name}")


@pytest.mark.parametrize(("label", "step_name"), list(_cases()))
def test_every_step_answers_the_same_through_service_page_and_api(label, step_name, people, api, client):
    walk = WALKS[label]
    step = walk.workflow[step_name]
    allowed = people[walk.allowed]
    others = [s for s in walk.workflow.states if s not in step.moves]
    tries = [(allowed, status, "done") for status in step.moves]
    tries += [(allowed, others[0], "refused")] if others else []
    refused = walk.refused(step_name) if callable(walk.refused) else walk.refused
    if refused is not None:
        tries.append((people[refused], next(iter(step.moves)), "denied"))
    for user, status, kind in tries:
        answers = {}
        obj = walk.make(people, status)
        answers["service"] = expected = _through_service(walk, people, obj, user, step_name, walk.inputs(people, obj, step_name))
        obj = walk.make(people, status)
        answers["api"] = _through_api(walk, api, obj, user, step_name, walk.inputs(people, obj, step_name))
        if walk.page is not None:
            obj = walk.make(people, status)
            answers["page"] = _through_page(walk, client, obj, user, step_name, walk.inputs(people, obj, step_name), expected)
        assert expected[0] == kind, (user.username, status, expected)
        if kind == "done":
            assert expected[1] == step.moves[status]
        if kind == "denied":
            assert expected[1] == step.denied
        assert len(set(map(repr, answers.values()))) == 1, (user.username, status, answers)


def test_every_workflow_of_the_portal_is_walked():
    """A new workflow declared in an app's workflow.py needs its walk here."""
    import importlib

    declared = set()
    for module in ("listening.workflow", "initiatives.workflow", "revenue.workflow", "steering.workflow",
                   "partnership.extramile.workflow"):
        for value in vars(importlib.import_module(module)).values():
            if type(value).__name__ == "Workflow":
                declared.add(value.name)
    assert declared == {walk.workflow.name for walk in WALKS.values()}


def test_the_machine_step_plans_only_from_where_it_is_declared(people):
    """mark-planned (an approved initiative) is no button and no API action; from planned,
    resolved or closed it changes nothing."""
    step = PAIN_POINT["mark-planned"]
    assert not step.manual and "mark-planned" not in {s.name for s in PAIN_POINT.manual()}
    for status in PainPointStatus.values:
        pain_point = _pain_point(people, status)
        if status == PainPointStatus.MERGED:
            continue
        listening_services.pain_point_mark_planned(pain_point=pain_point, actor=people["carla"], note="Initiative X")
        after = PainPoint.objects.get(pk=pain_point.pk).status
        assert after == step.moves.get(status, status), status


def test_the_page_offers_exactly_the_available_steps(people, client):
    """The detail page's buttons are the declaration's available steps, for the allowed and the refused user."""
    for status in (PainPointStatus.NEW, PainPointStatus.RESOLVED, PainPointStatus.CLOSED):
        pain_point = _pain_point(people, status)
        for user in (people["ivan"], people["alice"]):
            client.force_login(user)
            page = client.get(pain_point.get_absolute_url()).content.decode()
            offered = {s.name for s in PAIN_POINT.manual() if f'/listening/{pain_point.pk}/{s.name}/"' in page}
            assert offered == {s.name for s in PAIN_POINT.available(pain_point, user)}, (status, user.username)
    assert InitiativeStatus.DELIVERED in INITIATIVE["review-benefits"].moves
    assert DecisionStatus.OPEN in DECISION["close"].moves and SuggestionStatus.OPEN in SUGGESTION["accept"].moves


def test_the_check_in_page_offers_the_answer_exactly_when_it_is_available(people, client):
    """The answer form of a check-in is shown to whom CHECK_IN.available offers it: the key user
    and IT while it is pending, not her colleague, and nobody once it is answered."""
    for status in CHECK_IN.states:
        check_in = _check_in(people, status)
        for user in (people["alice"], people["ivan"], people["member"]):
            client.force_login(user)
            page = client.get(check_in.get_absolute_url()).content.decode()
            offered = {s.name for s in CHECK_IN.manual() if html.escape(s.label) in page}
            assert offered == {s.name for s in CHECK_IN.available(check_in, user)}, (status, user.username)
    assert CHECK_IN.state(CheckIn(status=CheckInStatus.PROBLEM)) == ANSWERED
