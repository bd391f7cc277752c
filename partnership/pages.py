"""The page pattern every form page shares, written once.

A page posts a form; when the form is valid its view calls one service; the service either
refuses (a `ValidationError`, shown on the form field it names or on the form) or succeeds (a
message, then a redirect). `submit()` is that pattern; `act()` is the same for a button with no
form (vote, watch, confirm), whose refusal is shown as a message on the page it came from.
See docs/development/architecture.md ("Where a rule lives").
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

Target = str | Any | Callable[[Any], Any] | None


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form field it names, or on the form as a whole."""
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _go(request, result, success, to: Target) -> HttpResponse:
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    target = to(result) if callable(to) else (to if to is not None else result)
    return redirect(target)


def submit(
    request, form, write: Callable[[dict], Any], *, success, to: Target = None, also=(), announce: bool = False
) -> HttpResponse | None:
    """Call `write(form.cleaned_data)` when `form` (and every form in `also`) was posted valid.

    Returns the redirect after success: to `to` (a URL, a model instance, or a callable of what
    `write` returned), by default to what `write` returned; `success` is the message (or a
    callable of the result). Returns None when there is nothing to redirect to - the form was not
    posted, is invalid, or the service refused (its errors are now on `form`) - and the view
    renders the form again with `form_status()`. With `announce`, a refusal is also an error
    message above the page (for a page that may no longer show the form it came from).
    """
    if request.method != "POST" or not form.is_bound:
        return None
    done, result = attempt(form, write, also=also)
    if not done:
        if announce and form.errors:
            messages.error(request, errors_text(form))
        return None
    return _go(request, result, success, to)


def attempt(form, write: Callable[[dict], Any], *, also=()) -> tuple[bool, Any]:
    """The core of `submit()` for a page that shows its result instead of redirecting (a new API
    token is shown once, in the answer that created it): `(True, what write returned)` when the
    forms are valid and the service agreed, else `(False, None)` with the errors on `form`."""
    if not all([f.is_valid() for f in (form, *also)]):  # noqa: C419 (every form shows its errors)
        return False, None
    try:
        return True, write(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False, None


def act(request, write: Callable[[], Any], *, success: str, to) -> HttpResponse:
    """A button without a form: call `write()`; its refusal becomes an error message.

    Either way the answer redirects to `to` (a URL or a model instance: the page it came from).
    """
    try:
        write()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(to)


def form_status(*forms) -> int:
    """400 when a posted form is shown again with its errors, else 200."""
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


def errors_text(form) -> str:
    """Every error of a form in one line (the message above a page that re-shows it)."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
