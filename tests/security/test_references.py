"""A reference to another object is shown only to a reader who may see that object (issue 17).

Each case makes an object Mallory (Finance) may see that refers to a Sales object she may not
see, whose title is SECRET. Wherever the holder is shown (its page, the list it appears on, its API
answers), Mallory sees neither the secret title nor a link to the referenced object; a reader of
Sales who may see it sees both. See partnership.visibility.reference_to.
"""

import html
from dataclasses import dataclass

import pytest

from listening import services as listening_services
from listening.choices import SessionKind
from listening.models import PainPoint
from listening.sessions import listening_session_create
from partnership.extramile import services as extramile_services
from partnership.extramile.models import CheckIn, ExtraMileAction
from partnership.visibility import UNSEEN_TITLE, Reference, readable, reference_to

from ..extramile.factories import log_action, queries_of, record_window
from ..factories import UserFactory
from ..listening.factories import make_pain_point

pytestmark = pytest.mark.django_db

SECRET = "Sales bonus plan leaks to competitors"


@dataclass
class Case:
    hidden: object  # the object the holder refers to
    pages: list  # pages showing the holder (its own, and the lists it is on)
    api: list  # API answers about the holder
    blind: object  # sees the holder, may not see `hidden`
    seeing: object  # sees both
    shows_title: bool = True  # the page names the reference by its title (else only by a link)


def action_subject(world) -> Case:
    """An action for Finance following a confidential Sales pain point."""
    hidden = make_pain_point(submitted_by=world.alice, title=SECRET, confidential=True)
    action = log_action(actor=world.ivan, business_unit=world.finance, recipients=[world.mallory, world.alice], subject=hidden)
    return Case(
        hidden, ["/extra-mile/actions/", "/extra-mile/actions/?performer=me", action.get_absolute_url()],
        ["/api/v1/extra-mile-actions/", f"/api/v1/extra-mile-actions/{action.pk}/"], world.mallory, world.alice,
    )


def merge_target(world) -> Case:
    """A public Finance pain point merged into a Sales one that IT then made confidential."""
    hidden = make_pain_point(submitted_by=world.alice, title=SECRET)
    merged = make_pain_point(submitted_by=world.mallory, title="Commission report is late")
    listening_services.pain_point_merge(pain_point=merged, target=hidden, actor=world.ivan)
    listening_services.pain_point_update(pain_point=hidden, actor=world.ivan, confidential=True)
    return Case(
        hidden, [merged.get_absolute_url(), "/listening/"], ["/api/v1/pain-points/", f"/api/v1/pain-points/{merged.pk}/"],
        world.mallory, world.alice,
    )


def listening_session(world) -> Case:
    """A public pain point raised in a Sales listening session Finance did not attend."""
    hidden = listening_session_create(
        actor=world.ivan, kind=SessionKind.SALES_MEETING, title=SECRET, business_unit=world.sales, business_attendees=[world.alice]
    )
    raised = listening_services.pain_point_create(
        submitted_by=world.ivan, business_unit=world.sales, title="Quotes take a day", description="By hand.",
        listening_session=hidden,
    )
    return Case(
        hidden, [raised.get_absolute_url(), "/listening/"], ["/api/v1/pain-points/", f"/api/v1/pain-points/{raised.pk}/"],
        world.mallory, world.alice,
    )


def check_in_pain_point(world) -> Case:
    """Bert's (Sales) check-in whose pain point IT then moved to Finance as confidential: Alice,
    his Sales colleague, still sees the check-in, not the pain point; Mallory (Finance) may see it."""
    record_window(actor=world.ivan, key_users=[world.bert])
    extramile_services.check_ins_create()
    check_in = CheckIn.objects.get(key_user=world.bert)
    extramile_services.check_in_answer(check_in=check_in, actor=world.bert, systems_ok=False, problem="Invoices do not print.")
    check_in.refresh_from_db()
    hidden = check_in.pain_point
    listening_services.pain_point_update(pain_point=hidden, actor=world.ivan, business_unit=world.finance, confidential=True)
    return Case(hidden, [check_in.get_absolute_url()], ["/api/v1/check-ins/"], world.alice, world.ivan, shows_title=False)


CASES = {"action subject": action_subject, "merge target": merge_target, "listening session": listening_session,
         "check-in pain point": check_in_pain_point}


@dataclass
class World:
    sales: object
    finance: object
    alice: object
    mallory: object
    ivan: object
    bert: object


@pytest.fixture
def world(sales, finance, alice, mallory, ivan):
    return World(sales, finance, alice, mallory, ivan, UserFactory(username="bert", business_unit=sales))


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("kind", CASES)
def test_a_reader_who_may_not_see_the_referenced_object_sees_neither_its_title_nor_its_link(client, api, world, kind):
    case = CASES[kind](world)
    blind = case.blind
    link = case.hidden.get_absolute_url()
    for url in case.pages:
        page = _page(client, blind, url)
        assert str(case.hidden) not in page, url
        assert f'href="{link}"' not in page, url
    for url in case.api:
        response = api(blind).get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert str(case.hidden) not in body and link not in body, url


@pytest.mark.parametrize("kind", CASES)
def test_a_reader_who_may_see_it_sees_its_title_and_link(client, world, kind):
    case = CASES[kind](world)
    page = _page(client, case.seeing, case.pages[0])
    assert f'href="{case.hidden.get_absolute_url()}"' in page
    if case.shows_title:
        assert str(case.hidden) in page


def test_the_holder_page_says_an_item_you_cannot_see(client, world):
    case = listening_session(world)
    page = _page(client, world.mallory, case.pages[0])
    assert UNSEEN_TITLE in page


def test_reference_to_asks_the_target_models_rule(world):
    case = action_subject(world)
    action = ExtraMileAction.objects.get(subject_id=case.hidden.pk)
    assert reference_to(world.mallory, action, "subject") == Reference(pk=case.hidden.pk, title=UNSEEN_TITLE, url=None, visible=False)
    assert reference_to(world.alice, action, "subject") == Reference(
        pk=case.hidden.pk, title=SECRET, url=case.hidden.get_absolute_url(), visible=True
    )
    assert reference_to(None, action, "subject").visible is False  # no reader: nothing shown
    action.subject_id = action.subject_type = None
    assert reference_to(world.alice, action, "subject") is None


def test_a_prefetched_reference_costs_no_query_per_row(world):
    hidden = make_pain_point(submitted_by=world.alice, title=SECRET)
    shown = make_pain_point(submitted_by=world.mallory, title="Month-end close is slow")
    for i in range(6):
        merged = make_pain_point(submitted_by=world.mallory, title=f"Duplicate {i}")
        listening_services.pain_point_merge(pain_point=merged, target=hidden if i % 2 else shown, actor=world.ivan)
    listening_services.pain_point_update(pain_point=hidden, actor=world.ivan, confidential=True)

    def titles():
        rows = PainPoint.objects.filter(merged_into__isnull=False).prefetch_related(readable(world.mallory, "merged_into", PainPoint))
        return sorted(reference_to(world.mallory, row, "merged_into").title for row in rows)

    assert queries_of(titles) == 2  # the rows, then the visible targets: none per row
    assert titles() == [UNSEEN_TITLE] * 3 + ["Month-end close is slow"] * 3
