"""Who is told about a pain point is decided when it is told, by the pain point's `for_user`.

Mallory (Finance) watches and votes for a public pain point of Sales. Once it is merged into a
confidential pain point of Sales, or edited to become confidential, she gets nothing readable
about it any more: no notification, e-mail or survey for new events, and her old inbox entries
show "An item you can no longer see" instead of their title and body, on the page, in the API
and in her e-mail digest. Alice, of Sales, keeps hearing about it.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db.models import Q

from listening import services as listening
from listening.models import PainPoint
from partnership.extramile import services as extramile
from partnership.extramile.models import ResolutionSurvey
from partnership.extramile.reminders import SURVEY_PENDING
from partnership.notifications.choices import DeliveryChannel
from partnership.notifications.models import Notification
from partnership.notifications.services import (
    notification_preference_set,
    reminders_send,
    reminders_send_digests,
    reminders_sweep,
)
from partnership.visibility import HIDDEN_TITLE

from ..listening.factories import make_pain_point, make_planned

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _follows(pain_point, user):
    listening.pain_point_watch(pain_point=pain_point, user=user)
    listening.pain_point_vote(pain_point=pain_point, user=user)


def _then_a_comment_a_status_change_and_a_survey(pain_point, *, ivan, alice):
    listening.comment_add(pain_point=pain_point, author=ivan, body="The names on the list are final.")
    make_planned(pain_point, ivan)
    listening.pain_point_resolve(pain_point=pain_point, actor=ivan)
    extramile.surveys_create()
    survey = ResolutionSurvey.objects.get(pain_point_id=pain_point.pk, respondent=alice)
    # Near the survey's deadline: the reminders (e-mail by default) go out.
    reminders_sweep(now=survey.due_at - HOUR)
    reminders_send(now=survey.due_at - HOUR)


def _told_about(user, *pain_points) -> list:
    """The inbox entries of `user` about these pain points or their surveys (not the quarterly
    pulse and other reminders that reach every business manager)."""
    ids = [str(p.pk) for p in pain_points]
    surveys = [str(pk) for pk in ResolutionSurvey.objects.filter(pain_point_id__in=ids).values_list("pk", flat=True)]
    return list(
        Notification.objects.filter(recipient=user).filter(
            Q(target_type=ContentType.objects.get_for_model(PainPoint), target_id__in=ids)
            | Q(target_type=ContentType.objects.get_for_model(ResolutionSurvey), target_id__in=surveys)
        )
    )


def _mailed_about(user, *pain_points) -> list:
    """Subjects of the e-mails to `user` that name these pain points or a survey."""
    names = [p.title for p in pain_points] + ["survey"]
    return [m.subject for m in mail.outbox if user.email in m.to and any(n in m.subject + m.body for n in names)]


def _readable_by(client, api, user) -> str:
    """Everything the user can read about their notifications: the inbox page and the API."""
    client.force_login(user)
    page = client.get("/inbox/").content.decode()
    listed = api(user).get("/api/v1/notifications/").json()["results"]
    one = [api(user).get(f"/api/v1/notifications/{row['id']}/").json() for row in listed]
    return page + repr(listed) + repr(one)


def test_merged_into_a_confidential_pain_point_of_another_unit_its_watcher_hears_nothing_more(
    client, api, alice, mallory, ivan
):
    public = make_pain_point(submitted_by=alice, title="The printers jam")
    secret = make_pain_point(submitted_by=alice, title="Layoffs in the call centre", confidential=True)
    _follows(public, mallory)

    listening.pain_point_merge(pain_point=public, target=secret, actor=ivan)
    merged = Notification.objects.get(recipient=mallory, kind="pain_point.merged")
    assert "Layoffs" not in merged.title + merged.body, "where it went is not told to who cannot see it"
    assert secret.watches.filter(user=mallory).exists(), "the watch moved (the rule is applied when sending)"
    told_before = _told_about(mallory, public, secret)
    assert told_before == [merged]

    _then_a_comment_a_status_change_and_a_survey(secret, ivan=ivan, alice=alice)

    assert _told_about(mallory, public, secret) == told_before
    assert not ResolutionSurvey.objects.filter(respondent=mallory).exists()
    assert _mailed_about(mallory, public, secret) == []
    readable = _readable_by(client, api, mallory)
    assert "Layoffs" not in readable and "names on the list" not in readable
    # Alice, of the same unit, heard of each step (so the filter is not simply "nobody").
    assert set(Notification.objects.filter(recipient=alice).values_list("kind", flat=True)) >= {
        "pain_point.commented", "pain_point.planned", "pain_point.resolved", "extramile.survey", SURVEY_PENDING,
    }
    assert any(alice.email in m.to for m in mail.outbox)


def test_edited_to_confidential_its_watcher_of_another_unit_hears_nothing_more_and_old_entries_are_blanked(
    client, api, alice, mallory, ivan
):
    pain_point = make_pain_point(submitted_by=alice, title="The shared drive is full")
    _follows(pain_point, mallory)
    listening.comment_add(pain_point=pain_point, author=alice, body="Finance fills it with scans.")
    old = Notification.objects.get(recipient=mallory, kind="pain_point.commented")
    assert "The shared drive is full" in _readable_by(client, api, mallory), "visible while public"

    listening.pain_point_update(pain_point=pain_point, actor=ivan, confidential=True)
    _then_a_comment_a_status_change_and_a_survey(pain_point, ivan=ivan, alice=alice)

    assert _told_about(mallory, pain_point) == [old]
    assert not ResolutionSurvey.objects.filter(respondent=mallory).exists()
    assert _mailed_about(mallory, pain_point) == []

    readable = _readable_by(client, api, mallory)
    assert HIDDEN_TITLE in readable
    for secret in ("The shared drive is full", "Finance fills it with scans", "names on the list", old.url):
        assert secret not in readable
    row = api(mallory).get(f"/api/v1/notifications/{old.pk}/").json()
    assert (row["title"], row["body"], row["url"]) == (HIDDEN_TITLE, "", "")
    assert client.post(f"/inbox/{old.pk}/open/")["Location"] == "/inbox/", "opening it leads nowhere"
    old.refresh_from_db()
    assert old.title.startswith("New comment on"), "only shown blank: the row itself is kept"

    assert "The shared drive is full" in _readable_by(client, api, alice), "alice, of Sales, still reads hers"


def test_a_survey_sent_while_public_is_neither_reminded_nor_readable_once_the_pain_point_is_confidential(
    client, api, alice, mallory, ivan
):
    pain_point = make_pain_point(submitted_by=alice, title="Expense reports bounce")
    _follows(pain_point, mallory)
    make_planned(pain_point, ivan)
    listening.pain_point_resolve(pain_point=pain_point, actor=ivan)
    extramile.surveys_create()
    survey = ResolutionSurvey.objects.get(respondent=mallory)
    assert "Expense reports bounce" in _readable_by(client, api, mallory)

    listening.pain_point_update(pain_point=pain_point, actor=ivan, confidential=True)
    reminders_sweep(now=survey.due_at - HOUR)
    reminders_send(now=survey.due_at - HOUR)

    assert not Notification.objects.filter(recipient=mallory, kind=SURVEY_PENDING).exists()
    assert Notification.objects.filter(recipient=alice, kind=SURVEY_PENDING).exists()
    assert _mailed_about(mallory, pain_point) == []
    readable = _readable_by(client, api, mallory)
    assert "Expense reports bounce" not in readable and HIDDEN_TITLE in readable
    assert client.get(survey.get_absolute_url()).status_code == 404
    assert api(mallory).get("/api/v1/surveys/").json()["count"] == 0


def test_the_digest_lists_a_reminder_whose_object_became_invisible_without_its_title_or_body(
    alice, mallory, ivan
):
    pain_point = make_pain_point(submitted_by=alice, title="Expense reports bounce")
    _follows(pain_point, mallory)
    make_planned(pain_point, ivan)
    listening.pain_point_resolve(pain_point=pain_point, actor=ivan)
    extramile.surveys_create()
    survey = ResolutionSurvey.objects.get(respondent=mallory)
    notification_preference_set(user=mallory, kind=SURVEY_PENDING, channel=DeliveryChannel.DIGEST)
    reminders_sweep(now=survey.due_at - HOUR)
    reminders_send(now=survey.due_at - HOUR)
    reminder = Notification.objects.get(recipient=mallory, kind=SURVEY_PENDING)
    assert "IT resolved a pain point" in reminder.body

    listening.pain_point_update(pain_point=pain_point, actor=ivan, confidential=True)
    mail.outbox.clear()
    reminders_send_digests()

    (digest,) = [m for m in mail.outbox if mallory.email in m.to]
    html = digest.alternatives[0][0]
    for text in (digest.body, html):
        assert HIDDEN_TITLE in text
        assert reminder.title not in text and "IT resolved a pain point" not in text
        assert survey.get_absolute_url() not in text
