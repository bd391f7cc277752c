"""The ticket walk takes only the pain point's declared steps (listening.workflow.PAIN_POINT), so a
ticket can neither reopen (unless the workflow declares a step for it) nor edit a pain point whose
workflow has ended: its change becomes a comment."""

import pytest

from listening.choices import PainPointStatus
from listening.models import PainPoint, PainPointStatusChange
from listening.workflow import PAIN_POINT, TICKET_STEPS

from .helpers import encode, jira_headers, jira_payload


@pytest.fixture
def send(jira, post_webhook):
    def send(status, summary="Invoices stuck in approval", **fields):
        body = encode(jira_payload(status=status, summary=summary, event="jira:issue_updated", **fields))
        return post_webhook("jira", body, **jira_headers(body))

    return send


def _steps(pain_point):
    return [(c.from_status, c.to_status) for c in PainPointStatusChange.objects.filter(pain_point=pain_point).order_by("pk")]


def test_a_closed_ticket_walks_only_declared_steps(send):
    send("To Do")
    send("Closed")
    pain_point = PainPoint.objects.get()
    assert pain_point.status == PainPointStatus.CLOSED
    walked = _steps(pain_point)[1:]  # after the creation row
    declared = {(source, target) for step in PAIN_POINT.transitions for source, target in step.moves.items()}
    assert walked and set(walked) <= declared
    assert [t for _, t in walked] == ["acknowledged", "analysing", "planned", "resolved", "closed"]


def test_a_webhook_cannot_reopen_or_edit_a_closed_pain_point(send):
    send("To Do")
    send("Closed")
    pain_point = PainPoint.objects.get()
    before = _steps(pain_point)
    response = send("Reopened", summary="Someone renamed the ticket", priority="Lowest")
    assert response.status_code == 200
    assert response.json()["result"] == "commented"
    assert "closed" in response.json()["detail"]
    pain_point.refresh_from_db()
    assert pain_point.status == PainPointStatus.CLOSED
    assert (pain_point.title, pain_point.severity) == ("Invoices stuck in approval", 4)
    assert _steps(pain_point) == before
    comment = pain_point.comments.get()
    assert "Jira OPS-1 changed after this pain point was closed" in comment.body
    assert "- title: Someone renamed the ticket" in comment.body
    assert "- severity: 1" in comment.body
    assert "- status: Reopened" in comment.body
    assert comment.author.username == "integration-jira"


def test_a_webhook_cannot_edit_a_declined_pain_point(send):
    send("Won't Do")
    response = send("Won't Do", summary="A new title from the ticket")
    assert response.json()["result"] == "commented"
    pain_point = PainPoint.objects.get()
    assert pain_point.title == "Invoices stuck in approval"
    assert "- title: A new title from the ticket" in pain_point.comments.get().body


def test_a_ticket_moving_backwards_changes_nothing(send):
    send("Done")
    assert PainPoint.objects.get().status == PainPointStatus.RESOLVED
    send("In Progress")
    assert PainPoint.objects.get().status == PainPointStatus.RESOLVED


def test_the_ticket_steps_are_declared_steps():
    assert set(TICKET_STEPS) <= {step.name for step in PAIN_POINT.manual()}
    assert "merge" not in TICKET_STEPS
