"""Poisoned values (issue 17): each answered a 500 and now answers a 4xx with a message, fixed where
every path passes (the JSON parser, bounds.py, the e-mail helper)."""

import datetime
import decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from listening.models import PainPoint
from listening.services import pain_point_create
from partnership import bounds
from partnership.notifications.emails import reminder_emails_send
from partnership.notifications.services import reminders_send, reminders_sweep
from revenue.models import RevenueEntry
from revenue.services import revenue_project_create
from tests.reminder_travel import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(carla):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(carla)
    return client


@pytest.fixture
def project(carla, ivan, sales):
    return revenue_project_create(name="Wallet payments", it_sponsor=ivan, business_units=[sales], actor=carla)


def _post(client, path, body: str):
    return client.generic("POST", path, body, content_type="application/json")


# --- The JSON parser: every API write ------------------------------------------------------------

DEEP = "[" * 2000 + "]" * 2000


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (DEEP, "nested more than 64 levels deep"),
        ('{"title": ' + "[" * 70 + "]" * 70 + "}", "nested more than 64 levels deep"),
        ('{"people_affected": 1e400}', "number out of range (1e400)"),
        ('{"people_affected": -Infinity}', "number out of range (-Infinity)"),
        ('{"people_affected": NaN}', "number out of range (NaN)"),
        ('{"category": "\\ud800"}', "lone surrogate (\\ud800)"),  # a choice field: its error echoed it
        ('{"title": "Slow \\udc00 CRM"}', "lone surrogate (\\udc00)"),
    ],
)
def test_an_api_body_the_parser_refuses_answers_400_naming_the_problem(api, body, problem):
    response = _post(api, "/api/v1/pain-points/", body)
    assert response.status_code == 400, response.content[:300]
    assert problem in response.json()["detail"]
    assert response.json()["fields"] == {"non_field_errors": [response.json()["detail"]]}
    assert not PainPoint.objects.exists()


def test_a_deep_body_on_a_step_and_an_update_answers_400(api, project):
    for method, path in (("POST", f"/api/v1/revenue-projects/{project.pk}/abandon/"),
                         ("PATCH", f"/api/v1/revenue-projects/{project.pk}/")):
        response = api.generic(method, path, DEEP, content_type="application/json")
        assert response.status_code == 400, (method, path, response.content[:200])
        assert "nested more than 64 levels deep" in response.json()["detail"]


def test_a_money_field_sent_as_1e400_infinity_or_nan_through_the_api_is_refused(api, project):
    for amount in ('"1e400"', '"inf"', '"NaN"', "1e400"):
        body = f'{{"project": {project.pk}, "month": "2025-01-01", "amount": {amount}}}'
        response = _post(api, "/api/v1/revenue-entries/", body)
        assert response.status_code == 400, (amount, response.content[:200])
    assert not RevenueEntry.objects.exists()


# --- Year 1 in API date-times ------------------------------------------------------------------


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00"])
def test_a_date_time_in_year_1_answers_400_with_the_year_range(ivan, moment):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(ivan)
    created = client.post("/api/v1/webhook-subscriptions/", {"url": "https://hooks.example.com/a", "events": ["pain_point.created"]}, format="json")
    assert created.status_code == 201, created.content
    response = client.post(f"/api/v1/webhook-subscriptions/{created.json()['id']}/redeliver/", {"since": moment}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["fields"] == {"since": [bounds.YEAR_MESSAGE]}


# --- Ids in query parameters --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "١٢", "0", "-1", "99999999999999999999999", "1.5", " ", "abc"])
def test_parse_id_takes_ascii_digits_of_a_bigint_only(value):
    assert bounds.parse_id(value) is None


def test_parse_id_reads_an_id():
    assert bounds.parse_id(" 42 ") == 42
    assert bounds.parse_id(str(bounds.ID_MAX)) == bounds.ID_MAX


@pytest.mark.parametrize("value", ["²", "١", "99999999999999999999999"])
def test_the_similar_search_ignores_an_exclude_that_is_no_id(alice, value):
    pain_point_create(submitted_by=alice, business_unit=alice.business_unit, title="Slow CRM", description="Slow.")
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get("/listening/similar/", {"q": "Slow CRM", "exclude": value})
    assert response.status_code == 200, response.content[:200]
    assert [row["title"] for row in response.json()["results"]] == ["Slow CRM"]


@pytest.mark.parametrize(
    "path",
    ["/extra-mile/actions/?unit=²&performer=²", "/steering/meetings/?committee=²", "/steering/decisions/?committee=²",
     "/initiatives/new/?pain_point=²", "/api/v1/revenue-projects/?unit=²"],
)
def test_an_id_parameter_that_is_a_superscript_is_ignored(carla, path):
    client = Client(raise_request_exception=False)
    client.force_login(carla)
    assert client.get(path).status_code == 200


# --- Money in page forms ------------------------------------------------------------------------


def test_a_range_validator_refuses_infinity_and_nan_with_a_message():
    for value in (decimal.Decimal("NaN"), decimal.Decimal("Infinity"), decimal.Decimal("-Infinity"), float("inf"), float("nan")):
        with pytest.raises(ValidationError) as refused:
            bounds.MONEY[0](value)  # a Decimal NaN raised InvalidOperation when compared with the limit
        assert refused.value.messages == [bounds.FINITE_MESSAGE]
    with pytest.raises(ValidationError, match="between 0 and 999,999,999,999.99"):
        bounds.MONEY[0](decimal.Decimal("1e400"))


@pytest.mark.parametrize("amount", ["1e400", "-1e400", "inf", "nan", "Infinity"])
def test_a_page_form_refuses_1e400_infinity_and_nan_in_a_money_field(carla, project, amount):
    client = Client(raise_request_exception=False)
    client.force_login(carla)
    response = client.post(f"/revenue/projects/{project.pk}/entries/", {"month": "2025-01", "amount": amount})
    assert response.status_code == 400
    assert response.context["entry_form"].errors["amount"]
    assert not RevenueEntry.objects.exists()


# --- The abandon step --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["{}", '{"reason": null}', "[]", '"text"', "null", '{"reason": ["a"]}',
     '{"reason": "' + "x" * 20_001 + '"}', '{"reason": "\\ud800"}', '{"reason": "ok", "on": "0001-01-01"}',
     '{"reason": "a\\u0000b"}'],
)
def test_abandoning_with_a_bad_body_answers_400_with_a_message(api, project, body):
    response = _post(api, f"/api/v1/revenue-projects/{project.pk}/abandon/", body)
    assert response.status_code == 400, response.content[:200]
    assert response.json()["detail"]
    project.refresh_from_db()
    assert project.stage != "abandoned"


# --- A title with a line break in a reminder e-mail -------------------------------------------


def test_a_pain_point_whose_title_holds_a_line_break_still_gets_its_reminder_email(settings, alice, ivan):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pain_point = pain_point_create(submitted_by=alice, business_unit=alice.business_unit, title="Slow CRM", description="Slow.")
    PainPoint.objects.filter(pk=pain_point.pk).update(title="Slow CRM\r\nBcc: everyone@example.com")  # as an old row or an import
    pain_point.refresh_from_db()
    now = at(pain_point.ack_due_on + datetime.timedelta(days=1))
    reminders_sweep(now=now)
    reminders_send(now=now)
    reminder_emails_send()

    subjects = [message.subject for message in mail.outbox if message.to == [ivan.email]]
    assert subjects, "ivan is reminded by e-mail"
    assert all("\r" not in s and "\n" not in s for s in subjects)
    assert any("Slow CRM Bcc: everyone@example.com" in s for s in subjects), subjects
