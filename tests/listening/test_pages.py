"""The pages: submitting with the cost estimate, the list and its filters, the detail with
votes, comments, history and plan, IT's actions and forms, sessions and coverage."""

import datetime

import pytest
from django.utils import timezone

from listening import services
from listening.choices import PainPointStatus, Source
from listening.models import ListeningSession, PainPoint, Vote

from .factories import ListeningSessionFactory, make_pain_point, make_planned

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "Invoices typed twice",
        "description": "Into the ERP and the bank portal.",
        "category": "process",
        "severity": "3",
        "people_affected": "4",
        "hours_lost_per_week": "2.5",
    }
    data.update(overrides)
    return data


def test_a_business_manager_submits_a_pain_point_for_her_unit(client, alice, sales, settings):
    settings.LISTENING_HOURLY_RATE = "50"
    settings.LISTENING_WORKING_WEEKS = 40
    client.force_login(alice)
    page = client.get("/listening/new/")
    assert page.status_code == 200
    assert f'<option value="{sales.pk}" selected>' in page.content.decode()
    assert 'data-hourly-rate="50"' in page.content.decode()
    response = client.post("/listening/new/", _form(business_unit=sales.pk))
    pain_point = PainPoint.objects.get()
    assert response["Location"] == pain_point.get_absolute_url()
    assert pain_point.submitted_by == alice and pain_point.source == Source.PORTAL
    detail = client.get(response["Location"]).content.decode()
    assert "20,000 EUR" in detail  # 2.5 h x 4 people x 50 x 40 weeks


def test_an_invalid_submission_shows_the_errors_and_keeps_the_estimate(client, alice, sales):
    client.force_login(alice)
    response = client.post("/listening/new/", _form(business_unit=sales.pk, title="", severity="9"))
    assert response.status_code == 400
    assert not PainPoint.objects.exists()
    assert "This field is required." in response.content.decode()


def test_the_list_filters_by_status_unit_category_mine_and_voted(client, alice, mallory, ivan, sales, finance):
    mine = make_pain_point(submitted_by=alice, title="Alpha reporting gap", category="reporting")
    theirs = make_pain_point(submitted_by=mallory, title="Beta access issue", category="access")
    services.pain_point_vote(pain_point=theirs, user=alice)
    services.pain_point_acknowledge(pain_point=theirs, actor=ivan)
    client.force_login(alice)

    def titles(query):
        return [p.title for p in client.get(f"/listening/?{query}").context["page_obj"]]

    assert set(titles("")) == {mine.title, theirs.title}
    assert titles("status=acknowledged") == [theirs.title]
    assert titles("status=") == titles("")  # "Any" in the select
    assert titles(f"business_unit={sales.pk}") == [mine.title]
    assert titles("category=access") == [theirs.title]
    assert titles("mine=true") == [mine.title]
    assert titles("voted=true") == [theirs.title]
    assert titles("q=reporting") == [mine.title]
    assert titles("sort=votes")[0] == theirs.title


def test_the_list_page_has_a_constant_number_of_queries(client, alice, mallory, django_assert_num_queries):
    for i in range(10):
        make_pain_point(submitted_by=mallory if i % 2 else alice, title=f"Pain {i}")
    client.force_login(alice)
    queries = len(_count(client, "/listening/?sort=votes"))
    for i in range(190):
        make_pain_point(submitted_by=mallory, title=f"More pain {i}")
    with django_assert_num_queries(queries):
        response = client.get("/listening/?sort=votes")
    assert response.context["page_obj"].paginator.count == 200


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return ctx.captured_queries


def test_the_detail_shows_votes_history_and_the_plan(client, alice, mallory, ivan):
    pain_point = make_planned(make_pain_point(submitted_by=alice), ivan)
    client.force_login(mallory)
    client.post(f"/listening/{pain_point.pk}/vote/")
    assert Vote.objects.filter(pain_point=pain_point, user=mallory).exists()
    page = client.get(pain_point.get_absolute_url()).content.decode()
    assert "Import bank files nightly." in page
    assert "Bank file import" in page and "Recommended" in page
    assert "Status history" in page and "Analysing" in page
    assert "Withdraw my vote" in page
    assert "IT actions" not in page
    client.post(f"/listening/{pain_point.pk}/unvote/")
    assert not Vote.objects.exists()


def test_voting_twice_in_the_page_shows_a_clear_message(client, alice, mallory):
    pain_point = make_pain_point(submitted_by=alice)
    client.force_login(mallory)
    client.post(f"/listening/{pain_point.pk}/vote/")
    response = client.post(f"/listening/{pain_point.pk}/vote/", follow=True)
    assert "You already voted for this pain point." in response.content.decode()
    assert Vote.objects.count() == 1


def test_commenting_and_watching(client, alice, mallory):
    pain_point = make_pain_point(submitted_by=alice)
    client.force_login(mallory)
    client.post(f"/listening/{pain_point.pk}/watch/")
    assert pain_point.watches.filter(user=mallory).exists()
    client.post(f"/listening/{pain_point.pk}/comment/", {"body": "Same in Finance."})
    assert "Same in Finance." in client.get(pain_point.get_absolute_url()).content.decode()
    assert client.post(f"/listening/{pain_point.pk}/comment/", {"body": ""}).status_code == 400
    client.post(f"/listening/{pain_point.pk}/unwatch/")
    assert not pain_point.watches.filter(user=mallory).exists()


def test_business_managers_get_403_on_status_changes_and_it_pages(client, alice):
    pain_point = make_pain_point(submitted_by=alice)
    client.force_login(alice)
    assert client.post(f"/listening/{pain_point.pk}/acknowledge/").status_code == 403
    for url in ("/listening/triage/", "/listening/coverage/", "/listening/sessions/new/", f"/listening/{pain_point.pk}/evaluation/", f"/listening/{pain_point.pk}/edit/"):
        assert client.get(url).status_code == 403, url
    assert PainPoint.objects.get().status == PainPointStatus.NEW


def test_it_walks_the_workflow_in_the_pages(client, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    client.force_login(ivan)
    assert client.post(f"/listening/{pain_point.pk}/acknowledge/", {"acknowledge-note": "On it"}).status_code == 302
    assert client.post(f"/listening/{pain_point.pk}/start-analysis/").status_code == 302
    refused = client.post(f"/listening/{pain_point.pk}/plan/")
    assert refused.status_code == 400
    assert "Write an evaluation with a recommended option before planning." in refused.content.decode()
    evaluation = {
        "summary": "Looked at it.",
        "plan": "Nightly bank import.",
        "options-TOTAL_FORMS": "2",
        "options-INITIAL_FORMS": "0",
        "options-0-title": "Bank import",
        "options-0-pros": "No typing",
        "options-0-cons": "Contract",
        "options-0-rough_cost": "3000",
        "options-0-risk": "low",
        "options-0-recommended": "on",
        "options-1-title": "",
        "options-1-risk": "medium",
    }
    assert client.post(f"/listening/{pain_point.pk}/evaluation/", evaluation).status_code == 302
    assert client.post(f"/listening/{pain_point.pk}/plan/").status_code == 302
    assert client.post(f"/listening/{pain_point.pk}/resolve/").status_code == 302
    assert client.post(f"/listening/{pain_point.pk}/close/").status_code == 302
    assert PainPoint.objects.get().status == PainPointStatus.CLOSED


def test_declining_in_the_page_needs_a_reason_and_the_submitter_sees_it(client, alice, ivan):
    pain_point = make_pain_point(submitted_by=alice)
    client.force_login(ivan)
    refused = client.post(f"/listening/{pain_point.pk}/decline/", {"decline-reason": ""})
    assert refused.status_code == 400
    assert "Say why the pain point is declined" in refused.content.decode()
    client.post(f"/listening/{pain_point.pk}/decline/", {"decline-reason": "Paper is required by law."})
    client.force_login(alice)
    page = client.get(pain_point.get_absolute_url()).content.decode()
    assert "IT declined this pain point." in page and "Paper is required by law." in page


def test_a_merged_pain_point_links_to_its_target_and_offers_no_actions(client, alice, ivan):
    target = make_pain_point(submitted_by=alice, title="Target")
    merged = make_pain_point(submitted_by=alice, title="Duplicate")
    client.force_login(ivan)
    assert client.post(f"/listening/{merged.pk}/merge/", {"merge-target": merged.pk}).status_code == 400
    assert client.post(f"/listening/{merged.pk}/merge/", {"merge-target": target.pk}).status_code == 302
    page = client.get(merged.get_absolute_url()).content.decode()
    assert "merged and is read-only" in page and target.get_absolute_url() in page
    assert "IT actions" not in page and "Add comment" not in page


def test_the_triage_queue_orders_new_pain_points_by_sla_due_day(client, alice, ivan):
    late = make_pain_point(submitted_by=alice, title="Late one")
    fresh = make_pain_point(submitted_by=alice, title="Fresh one")
    acknowledged = make_pain_point(submitted_by=alice, title="Acknowledged one")
    services.pain_point_acknowledge(pain_point=acknowledged, actor=ivan)
    PainPoint.objects.filter(pk=late.pk).update(ack_due_on=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(ivan)
    response = client.get("/listening/triage/")
    assert [p.title for p in response.context["page_obj"]] == ["Late one", "Fresh one", "Acknowledged one"]
    assert "Overdue" in response.content.decode()
    assert fresh.pk


def test_the_similar_endpoint_lists_open_pain_points_sharing_words(client, alice, mallory, ivan):
    invoices = make_pain_point(submitted_by=mallory, title="Supplier invoices typed twice")
    closed = make_pain_point(submitted_by=mallory, title="Invoices archive slow")
    services.pain_point_decline(pain_point=closed, actor=ivan, reason="No")
    make_pain_point(submitted_by=mallory, title="Laptop battery dies", description="By noon.")
    client.force_login(alice)
    body = client.get("/listening/similar/?q=invoic").json()
    assert [r["id"] for r in body["results"]] == [invoices.pk]
    assert body["results"][0]["can_vote"] is True
    assert client.get("/listening/similar/?q=ab").json() == {"results": []}


def test_similarity_falls_back_to_icontains_without_postgresql(client, alice, mallory, monkeypatch):
    monkeypatch.setattr("listening.selectors.uses_postgres_search", lambda: False)
    invoices = make_pain_point(submitted_by=mallory, title="Supplier invoices typed twice")
    client.force_login(alice)
    assert [r["id"] for r in client.get("/listening/similar/?q=invoices").json()["results"]] == [invoices.pk]
    assert [p.pk for p in client.get("/listening/?q=supplier").context["page_obj"]] == [invoices.pk]


def test_it_records_a_session_and_a_pain_point_from_it(client, ivan, alice, sales):
    client.force_login(ivan)
    response = client.post(
        "/listening/sessions/new/",
        {
            "kind": "coffee_event",
            "title": "Coffee with Sales",
            "held_on": timezone.localdate().isoformat(),
            "business_unit": sales.pk,
            "business_attendees": [alice.pk],
            "notes": "Quotes are slow.",
        },
    )
    session = ListeningSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert list(session.it_attendees.all()) == [ivan]
    page = client.get(f"/listening/new/?session={session.pk}").content.decode()
    assert "From the listening session" in page
    client.post(f"/listening/new/?session={session.pk}", _form(business_unit=sales.pk, title="Quotes are slow"))
    pain_point = PainPoint.objects.get()
    assert pain_point.source == Source.LISTENING_SESSION and pain_point.listening_session == session
    assert "Quotes are slow" in client.get(session.get_absolute_url()).content.decode()


def test_a_session_in_the_future_is_refused(client, ivan, sales):
    client.force_login(ivan)
    response = client.post(
        "/listening/sessions/new/",
        {"kind": "other", "title": "Later", "held_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(), "business_unit": sales.pk},
    )
    assert response.status_code == 400
    assert "once it has taken place" in response.content.decode()


def test_the_coverage_view_shows_units_not_listened_to(client, ivan, sales, finance):
    ListeningSessionFactory(business_unit=sales, held_on=timezone.localdate() - datetime.timedelta(days=5))
    ListeningSessionFactory(business_unit=finance, held_on=timezone.localdate() - datetime.timedelta(days=100))
    client.force_login(ivan)
    response = client.get("/listening/coverage/?days=60")
    rows = response.context["rows"]
    assert [(r.unit.slug, r.covered) for r in rows] == [("finance", False), ("sales", True)]
    assert rows[0].days_since == 100
    assert "1 unit not listened to in 60 days: Finance" in response.content.decode()
    assert [r.covered for r in client.get("/listening/coverage/?days=120").context["rows"]] == [True, True]


def test_sessions_are_visible_to_it_and_to_their_unit_only(client, alice, mallory, sales, finance):
    own = ListeningSessionFactory(business_unit=sales, title="Sales coffee")
    other = ListeningSessionFactory(business_unit=finance, title="Finance coffee")
    client.force_login(alice)
    assert [s.title for s in client.get("/listening/sessions/").context["page_obj"]] == ["Sales coffee"]
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    other.business_attendees.add(alice)
    assert client.get(other.get_absolute_url()).status_code == 200


def test_the_session_list_has_a_constant_number_of_queries(client, ivan, alice, sales, django_assert_num_queries):
    for _ in range(3):
        session = ListeningSessionFactory(business_unit=sales)
        session.business_attendees.add(alice)
    client.force_login(ivan)
    queries = len(_count(client, "/listening/sessions/"))
    for _ in range(20):
        session = ListeningSessionFactory(business_unit=sales)
        session.business_attendees.add(alice)
        make_pain_point(submitted_by=ivan, listening_session=session)
    with django_assert_num_queries(queries):
        client.get("/listening/sessions/")
