"""The page pattern written once (partnership/pages.py): what a user sees after posting a form."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from partnership import pages


class TitleForm(forms.Form):
    title = forms.CharField(max_length=20)


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_a_valid_form_calls_the_service_once_and_redirects_with_the_message():
    request = _request(data={"title": "Printer"})
    calls = []
    response = pages.submit(
        request, TitleForm(request.POST), lambda data: calls.append(data["title"]), success="Saved.", to="/done/"
    )
    assert response.status_code == 302 and response["Location"] == "/done/"
    assert calls == ["Printer"]
    assert _messages(request) == [("success", "Saved.")]


def test_the_message_and_the_target_may_come_from_what_the_service_returned():
    request = _request(data={"title": "Printer"})
    response = pages.submit(
        request, TitleForm(request.POST), lambda data: f"/items/{data['title']}/", success=lambda url: f"At {url}"
    )
    assert response["Location"] == "/items/Printer/"
    assert _messages(request) == [("success", "At /items/Printer/")]


def test_a_refusal_naming_a_field_is_shown_on_that_field_and_nothing_redirects():
    request = _request(data={"title": "Printer"})
    form = TitleForm(request.POST)

    def refuse(data):
        raise ValidationError({"title": "A pain point with this title is open already."})

    assert pages.submit(request, form, refuse, success="Saved.") is None
    assert form.errors["title"] == ["A pain point with this title is open already."]
    assert pages.form_status(form) == 400
    assert _messages(request) == []


def test_a_refusal_about_a_field_the_form_does_not_have_is_shown_on_the_form():
    request = _request(data={"title": "Printer"})
    form = TitleForm(request.POST)

    def refuse(data):
        raise ValidationError({"status": "A closed pain point cannot change."})

    assert pages.submit(request, form, refuse, success="Saved.") is None
    assert form.non_field_errors() == ["A closed pain point cannot change."]
    assert pages.errors_text(form) == "A closed pain point cannot change."


def test_an_invalid_form_never_reaches_the_service_and_every_form_shows_its_errors():
    request = _request(data={"title": ""})
    form, other = TitleForm(request.POST), TitleForm(request.POST, prefix="other")
    called = []
    assert pages.submit(request, form, called.append, success="Saved.", also=[other]) is None
    assert called == []
    assert "title" in form.errors and "title" in other.errors


def test_a_get_shows_the_empty_form_with_200():
    request = _request("get")
    form = TitleForm()
    assert pages.submit(request, form, lambda data: pytest.fail("no write on GET"), success="Saved.") is None
    assert pages.form_status(form) == 200


def test_a_button_refused_by_the_service_says_why_and_goes_back():
    request = _request()

    def refuse():
        raise ValidationError("You have voted already.")

    response = pages.act(request, refuse, success="Counted.", to="/pain-point/1/")
    assert response["Location"] == "/pain-point/1/"
    assert _messages(request) == [("error", "You have voted already.")]
    response = pages.act(_request(), lambda: None, success="Counted.", to="/pain-point/1/")
    assert response.status_code == 302
