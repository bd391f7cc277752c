"""An inbox prompt ("please confirm and rate", "please answer") is marked done when its task is done."""

import datetime

import pytest
from django.utils import timezone

from partnership.extramile import services
from partnership.extramile.models import CheckIn, ExtraMileAction, ResolutionSurvey
from partnership.notifications.models import Notification
from partnership.notifications.services import notify

from .factories import log_action, make_resolved, record_window

pytestmark = pytest.mark.django_db


def _prompt(user, kind):
    return Notification.objects.get(recipient=user, kind=kind)


def test_rating_an_action_marks_that_recipients_prompt_done_and_read_not_a_colleagues(ivan, alice, sam, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice, sam])
    assert _prompt(alice, "extramile.action_done").done_at is None

    services.extra_mile_action_rate(action=action, rated_by=alice, rating=4)

    mine = _prompt(alice, "extramile.action_done")
    assert mine.done_at is not None and mine.read_at is not None
    assert _prompt(sam, "extramile.action_done").done_at is None, "Sam has not rated yet"


def test_rating_also_marks_the_rating_reminder_about_the_recipient_link_done(ivan, alice, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    link = ExtraMileAction.recipients.through.objects.get(extramileaction=action, user=alice)
    # What the rating reminder leaves in the inbox: an entry about the (action, recipient) link.
    [reminder_entry] = notify(recipients=[alice], kind="extramile.rating_pending", title="Did it help?", target=link)

    services.extra_mile_action_rate(action=action, rated_by=alice, rating=5)

    reminder_entry.refresh_from_db()
    assert reminder_entry.done_at is not None


def test_the_inbox_page_shows_a_done_prompt_as_done(client, ivan, alice, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    client.force_login(alice)
    assert "Done</span>" not in client.get("/inbox/").content.decode()
    services.extra_mile_action_rate(action=action, rated_by=alice, rating=3)
    assert "Done</span>" in client.get("/inbox/").content.decode()


def test_answering_a_survey_marks_its_prompt_done(alice, ivan):
    make_resolved(submitted_by=alice, it_user=ivan)
    services.surveys_create()
    survey = ResolutionSurvey.objects.get()
    assert _prompt(alice, "extramile.survey").done_at is None
    services.survey_answer(survey=survey, actor=alice, rating=4)
    assert _prompt(alice, "extramile.survey").done_at is not None


def test_answering_a_check_in_marks_the_key_users_prompt_done_even_when_it_answers_for_them(ivan, alice):
    record_window(actor=ivan, key_users=[alice], starts_in_hours=-5)
    services.check_ins_create(now=timezone.now() + datetime.timedelta(minutes=1))
    check_in = CheckIn.objects.get()
    assert _prompt(alice, "extramile.check_in").done_at is None
    services.check_in_answer(check_in=check_in, actor=ivan, systems_ok=True)
    assert _prompt(alice, "extramile.check_in").done_at is not None


def test_the_api_lists_when_a_notification_was_done(api, ivan, alice, sales):
    action = log_action(actor=ivan, business_unit=sales, recipients=[alice])
    services.extra_mile_action_rate(action=action, rated_by=alice, rating=4)
    [entry] = api(alice).get("/api/v1/notifications/").json()["results"]
    assert entry["done_at"] is not None
