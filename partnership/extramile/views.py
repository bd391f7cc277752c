"""Pages of "Take the extra mile".

IT: the quick log (also opened from a pain point or initiative page with `?pain_point=<id>` or
`?initiative=<id>`), the ledger and "my actions", the repeated-problem proposals, the board of
maintenance windows and check-ins. The business: "what IT did for us" with confirm and rate, the
check-ins and surveys they are asked to answer. Every object is looked up through `for_user()`.
"""

import datetime

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import pages
from ..bounds import parse_id
from ..models import BusinessUnit
from . import selectors, services
from .choices import SUBJECT_MODELS, ActionKind, ActionStatus, CheckInStatus, SuggestionStatus
from .forms import (
    ActionEditForm,
    ActionForm,
    CheckInAnswerForm,
    CompleteForm,
    MaintenanceWindowForm,
    RateForm,
    SuggestionAcceptForm,
    SuggestionDismissForm,
    SurveyForm,
)
from .models import ExtraMileAction
from .permissions import can_manage, require_it
from .workflow import CHECK_IN, EXTRA_MILE_ACTION, SUGGESTION

PAGE_SIZE = 25

# Query parameters that open the quick log from another page, and the model each names.
PREFILL_PARAMETERS = {
    "pain_point": "listening.painpoint",
    "initiative": "initiatives.initiative",
    "revenue_project": "revenue.revenueproject",
}


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _units():
    return BusinessUnit.objects.filter(is_active=True).only("pk", "name")


def index(request):
    """IT starts on the ledger, the business on what IT did for it."""
    return redirect("extramile:action-list" if can_manage(request.user) else "extramile:for-us")


# --- The ledger ----------------------------------------------------------------------------------


def _action_list_page(request, *, title: str, mine: bool = False, template="extramile/action_list.html"):
    params = request.GET.copy()
    if mine:
        params["performer"] = "me"
    queryset = selectors.action_filter(selectors.action_list(user=request.user), params, user=request.user)
    return render(
        request,
        template,
        {
            "page_obj": _page(request, queryset),
            "title": title,
            "mine": mine,
            "filters": params,
            "kinds": ActionKind.choices,
            "statuses": ActionStatus.choices,
            "units": _units(),
            "is_it": can_manage(request.user),
        },
    )


def action_list(request):
    return _action_list_page(request, title="Extra-mile ledger")


def my_actions(request):
    require_it(request.user, "log extra-mile actions")
    return _action_list_page(request, title="My extra-mile actions", mine=True)


def for_us(request):
    """What IT did for us: the unit's done actions and those addressed to the user, to rate."""
    params = request.GET.copy()
    params.setdefault("status", ActionStatus.DONE)
    queryset = selectors.action_filter(selectors.action_list(user=request.user), params, user=request.user)
    return render(
        request,
        "extramile/for_us.html",
        {"page_obj": _page(request, queryset), "filters": params, "kinds": ActionKind.choices, "rate_form": RateForm()},
    )


def _prefill_subject(request):
    """The subject named by `?pain_point=`, `?initiative=` or `?revenue_project=`, if visible."""
    for parameter, label in PREFILL_PARAMETERS.items():
        value = request.GET.get(parameter) or ""
        if not value:
            continue
        pk = parse_id(value)
        if pk is None:
            raise Http404("No such subject.")
        try:
            model = apps.get_model(label)
        except LookupError:
            raise Http404("That kind of subject does not exist yet.") from None
        return get_object_or_404(model.objects.for_user(request.user), pk=pk)
    return None


def action_create(request):
    """Log an action in under a minute: kind, title and unit; the rest is optional."""
    require_it(request.user, "log extra-mile actions")
    subject = _prefill_subject(request) if request.method == "GET" else None
    if request.method == "POST":
        form = ActionForm(request.POST)

        def log(data):
            return services.extra_mile_action_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                business_unit=data["business_unit"],
                description=data["description"],
                performed_on=data["performed_on"],
                effort_hours=data["effort_hours"],
                recipients=list(data["recipients"]),
                subject=selectors.visible_subject(request.user, data.get("subject_type"), data.get("subject_id")),
                external_ref=data["external_ref"],
                evidence_url=data["evidence_url"],
            )

        def logged(action):
            count = len(form.cleaned_data["recipients"])
            asked = f" {count} recipient{'s' if count != 1 else ''} asked to confirm and rate it." if count else ""
            return f"Logged “{action.title}”.{asked}"

        done = pages.submit(request, form, log, success=logged)
        if done:
            return done
        status = 400
    else:
        initial = {"performed_on": timezone.localdate(), "effort_hours": 1, "kind": ActionKind.EXTRA_ANALYSIS}
        if subject is not None:
            meta = subject._meta
            initial["subject_type"] = f"{meta.app_label}.{meta.model_name}"
            initial["subject_id"] = subject.pk
            if getattr(subject, "business_unit_id", None):
                initial["business_unit"] = subject.business_unit_id
            submitter = getattr(subject, "submitted_by", None)
            if submitter is not None and not can_manage(submitter):
                initial["recipients"] = [submitter.pk]
        form = ActionForm(initial=initial)
        status = 200
    subject_label = None
    label = form["subject_type"].value()
    if subject is None and label and form["subject_id"].value():
        subject = _subject_or_none(request.user, label, form["subject_id"].value())
    if subject is not None:
        meta = subject._meta
        subject_label = SUBJECT_MODELS.get(f"{meta.app_label}.{meta.model_name}", meta.verbose_name)
    return render(
        request, "extramile/action_form.html", {"form": form, "subject": subject, "subject_label": subject_label}, status=status
    )


def _subject_or_none(user, label, pk):
    try:
        return selectors.visible_subject(user, label, pk)
    except (ValidationError, ValueError):  # a read, not a write: not-a-refusal
        return None


def action_detail(request, pk):
    action = get_object_or_404(selectors.action_detail(user=request.user), pk=pk)
    ratings = list(action.ratings.all())
    can_rate = (
        action.is_done
        and action.performed_by_id != request.user.pk
        and any(r.pk == request.user.pk for r in action.recipients.all())
        and not any(r.rated_by_id == request.user.pk for r in ratings)
    )
    return render(
        request,
        "extramile/action_detail.html",
        {
            "action": action,
            "ratings": ratings,
            "can_rate": can_rate,
            "rate_form": RateForm(),
            "complete_form": CompleteForm(
                initial={"performed_on": timezone.localdate(), "effort_hours": action.effort_hours, "evidence_url": action.evidence_url}
            ),
            "is_it": can_manage(request.user),
        },
    )


EDITABLE_FIELDS = ("title", "recipients", "performed_on", "effort_hours", "description", "external_ref", "evidence_url")


def action_edit(request, pk):
    """IT corrects an action: e.g. names the people a planned training is for."""
    action = get_object_or_404(ExtraMileAction.objects.for_user(request.user), pk=pk)  # 404 before 403
    require_it(request.user, "edit extra-mile actions")
    if request.method == "POST":
        form = ActionEditForm(request.POST)
        done = pages.submit(
            request,
            form,
            lambda data: services.extra_mile_action_update(action=action, actor=request.user, **data),
            success=lambda saved: f"Saved “{saved.title}”.",
            to=action,
        )
        if done:
            return done
        status = 400
    else:
        initial = {name: getattr(action, name) for name in EDITABLE_FIELDS if name != "recipients"}
        initial["recipients"] = list(action.recipients.values_list("pk", flat=True))
        form = ActionEditForm(initial=initial)
        status = 200
    return render(request, "extramile/action_edit.html", {"form": form, "action": action}, status=status)


@require_POST
def action_rate(request, pk):
    action = get_object_or_404(ExtraMileAction.objects.for_user(request.user), pk=pk)
    form = RateForm(request.POST)
    back = "extramile:for-us" if request.POST.get("next") == "for-us" else action
    done = pages.submit(
        request,
        form,
        lambda data: services.extra_mile_action_rate(
            action=action, rated_by=request.user, rating=data["rating"], comment=data["comment"]
        ),
        success=lambda _: f"Thank you: you confirmed “{action.title}” and rated it {form.cleaned_data['rating']}/5.",
        to=back,
    )
    if done:
        return done
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(back)


@require_POST
def action_complete(request, pk):
    action = get_object_or_404(ExtraMileAction.objects.for_user(request.user), pk=pk)  # 404 before 403
    EXTRA_MILE_ACTION.require(action, request.user, "complete")
    form = CompleteForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: EXTRA_MILE_ACTION.run(action, request.user, "complete", **data),
        success=f"“{action.title}” is done; its recipients are asked to rate it.",
        to=action,
    )
    if done:
        return done
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(action)


# --- Repeated problems -------------------------------------------------------------------------------


def suggestion_list(request):
    require_it(request.user, "see repeated-problem proposals")
    state = request.GET.get("status", SuggestionStatus.OPEN)
    queryset = selectors.suggestion_list(user=request.user)
    if state in SuggestionStatus.values:
        queryset = queryset.filter(status=state)
    if unit := parse_id(request.GET.get("unit")):
        queryset = queryset.filter(business_unit_id=unit)
    page = _page(request, queryset)
    page.object_list = selectors.attach_evidence(page.object_list, user=request.user)
    return render(
        request,
        "extramile/suggestion_list.html",
        {"page_obj": page, "state": state, "statuses": SuggestionStatus.choices, "units": _units(), "filters": request.GET},
    )


def _suggestion_page(request, suggestion, accept_form=None, dismiss_form=None, status=200):
    [suggestion] = selectors.attach_evidence([suggestion], user=request.user)
    return render(
        request,
        "extramile/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "accept_form": accept_form
            or SuggestionAcceptForm(
                initial={"kind": suggestion.proposed_kind, "planned_on": timezone.localdate() + datetime.timedelta(days=14)}
            ),
            "dismiss_form": dismiss_form or SuggestionDismissForm(),
            # The steps of partnership.extramile.workflow.SUGGESTION the user may take now.
            "steps": [step.name for step in SUGGESTION.available(suggestion, request.user)],
        },
        status=status,
    )


def suggestion_detail(request, pk):
    require_it(request.user, "see repeated-problem proposals")
    return _suggestion_page(request, get_object_or_404(selectors.suggestion_list(user=request.user), pk=pk))


@require_POST
def suggestion_accept(request, pk):
    require_it(request.user, "accept proposals")
    suggestion = get_object_or_404(selectors.suggestion_list(user=request.user), pk=pk)
    form = SuggestionAcceptForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: SUGGESTION.run(suggestion, request.user, "accept", **data),
        success=lambda action: f"Accepted: “{action.title}” is planned for {action.performed_on:%Y-%m-%d}.",
        announce=True,  # also when the form is no longer shown
    )
    return done or _suggestion_page(request, suggestion, accept_form=form, status=400)


@require_POST
def suggestion_dismiss(request, pk):
    require_it(request.user, "dismiss proposals")
    suggestion = get_object_or_404(selectors.suggestion_list(user=request.user), pk=pk)
    form = SuggestionDismissForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: SUGGESTION.run(suggestion, request.user, "dismiss", **data),
        success="Proposal dismissed.",
        to="extramile:suggestion-list",
        announce=True,  # also when the form is no longer shown
    )
    return done or _suggestion_page(request, suggestion, dismiss_form=form, status=400)


# --- Maintenance windows and check-ins -------------------------------------------------------------


def window_list(request):
    """The board: windows (upcoming, running, ended) and, for IT, the overdue check-ins."""
    now = timezone.now()
    queryset = selectors.window_list(user=request.user)
    when = request.GET.get("when", "")
    if when == "upcoming":
        queryset = queryset.filter(starts_at__gt=now)
    elif when == "ended":
        queryset = queryset.filter(ends_at__lte=now)
    text = (request.GET.get("q") or "").strip()
    if text:
        queryset = queryset.filter(system__icontains=text)
    overdue = list(selectors.overdue_check_ins(user=request.user)[:50]) if can_manage(request.user) else []
    return render(
        request,
        "extramile/window_list.html",
        {"page_obj": _page(request, queryset), "overdue": overdue, "when": when, "filters": request.GET, "now": now,
         "is_it": can_manage(request.user)},
    )


def window_create(request):
    require_it(request.user, "record maintenance windows")
    if request.method == "POST":
        form = MaintenanceWindowForm(request.POST)
        done = pages.submit(
            request,
            form,
            lambda data: services.maintenance_window_create(actor=request.user, **data),
            success=lambda window: f"Maintenance window of {window.system} recorded; its key users will be asked once it ends.",
        )
        if done:
            return done
        status = 400
    else:
        form = MaintenanceWindowForm()
        status = 200
    return render(request, "extramile/window_form.html", {"form": form}, status=status)


def window_detail(request, pk):
    window = get_object_or_404(selectors.window_list(user=request.user), pk=pk)
    check_ins = selectors.check_in_list(user=request.user).filter(window=window)
    return render(request, "extramile/window_detail.html", {"window": window, "check_ins": check_ins, "is_it": can_manage(request.user)})


def check_in_list(request):
    queryset = selectors.check_in_filter(selectors.check_in_list(user=request.user), request.GET)
    return render(
        request,
        "extramile/checkin_list.html",
        {"page_obj": _page(request, queryset), "filters": request.GET, "units": _units(), "statuses": CheckInStatus.choices},
    )


def check_in_detail(request, pk):
    """The page the key user's notification links to: answer yes or no (IT may answer for them)."""
    check_in = get_object_or_404(selectors.check_in_list(user=request.user), pk=pk)
    form = CheckInAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        CHECK_IN.require(check_in, request.user, "answer")  # 404 before 403
        done = pages.submit(
            request,
            form,
            lambda data: CHECK_IN.run(check_in, request.user, "answer", **data),
            success=lambda answered: "Thank you: IT is glad everything runs."
            if answered.systems_ok
            else "Thank you: IT has your problem as a pain point and will look into it.",
            announce=True,  # also when the form is no longer shown (already answered)
        )
        if done:
            return done
        status = 400
    # The steps of partnership.extramile.workflow.CHECK_IN the user may take now (answer, or none).
    steps = {step.name: step for step in CHECK_IN.available(check_in, request.user)}
    return render(
        request, "extramile/checkin_detail.html",
        {"check_in": check_in, "form": form, "answer_step": steps.get("answer"), "can_answer": "answer" in steps,
         "on_behalf": check_in.key_user_id != request.user.pk},
        status=status,
    )


# --- Surveys ----------------------------------------------------------------------------------------------


def survey_list(request):
    params = request.GET.copy()
    queryset = selectors.survey_filter(selectors.survey_list(user=request.user), params)
    return render(
        request, "extramile/survey_list.html",
        {"page_obj": _page(request, queryset), "filters": params, "units": _units(), "is_it": can_manage(request.user)},
    )


def survey_detail(request, pk):
    survey = get_object_or_404(selectors.survey_list(user=request.user), pk=pk)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done = pages.submit(
            request,
            form,
            lambda data: services.survey_answer(survey=survey, actor=request.user, **data),
            success="Thank you for your answer.",
            to=survey,
        )
        if done:
            return done
        status = 400
    can_answer = survey.respondent_id == request.user.pk and not survey.is_answered and not survey.is_closed
    return render(request, "extramile/survey_detail.html", {"survey": survey, "form": form, "can_answer": can_answer}, status=status)

