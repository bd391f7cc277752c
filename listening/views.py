"""Pages of the listening app. Views read through selectors and write through services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from partnership import pages
from partnership.bounds import parse_id
from partnership.integrations.models import InboundTicket
from partnership.models import BusinessUnit
from partnership.roles import is_it_staff

from . import permissions, selectors, services, sessions
from .api.filters import ListeningSessionFilter, PainPointFilter, SlaState
from .choices import Category, PainPointStatus, SessionKind, Source
from .forms import (
    CommentForm,
    DeclineForm,
    EvaluationForm,
    EvaluationOptionFormSet,
    ListeningSessionForm,
    MergeForm,
    NoteForm,
    PainPointForm,
    option_rows,
)
from .models import ListeningSession, PainPoint, yearly_cost
from .workflow import PAIN_POINT

PAGE_SIZE = 25

SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "votes": ("-vote_count", "-created_at", "-id"),
    "severity": ("-severity", "-created_at", "-id"),
    "due": ("ack_due_on", "created_at", "id"),
}

# The form of each workflow step on the page (the steps themselves: listening.workflow.PAIN_POINT).
STEP_FORMS = {"decline": DeclineForm, "merge": MergeForm}


# --- Pain points --------------------------------------------------------------------------------------


def index(request):
    """The pain points the user may see: search, filters, sort, 25 a page."""
    filterset = PainPointFilter(
        request.GET or None, queryset=selectors.pain_point_list(user=request.user), request=request
    )
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "newest"
    page = Paginator(filterset.qs.order_by(*SORTS[sort]), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "listening/index.html",
        {
            "page_obj": page,
            "filterset": filterset,
            "params": request.GET,
            "selected_statuses": request.GET.getlist("status"),
            "statuses": PainPointStatus.choices,
            "categories": Category.choices,
            "units": BusinessUnit.objects.all(),
            "sla_states": SlaState.CHOICES,
            "sort": sort,
            "sorts": [("newest", "Newest"), ("oldest", "Oldest"), ("votes", "Most votes"), ("severity", "Severity"), ("due", "Acknowledgement due")],
            "is_it": is_it_staff(request.user),
        },
    )


def _submission_context(request, form, session=None):
    return {
        "form": form,
        "session": session,
        "hourly_rate": settings.LISTENING_HOURLY_RATE,
        "working_weeks": settings.LISTENING_WORKING_WEEKS,
        "sla_days": settings.LISTENING_ACK_SLA_DAYS,
        "estimate": yearly_cost(form["hours_lost_per_week"].value(), form["people_affected"].value())
        if form.is_bound and form.is_valid()
        else None,
    }


def pain_point_create(request):
    """Raise a pain point; IT may raise one on behalf of a listening session (?session=<id>)."""
    if not request.user.has_perm("listening.add_painpoint"):
        raise PermissionDenied("Your role cannot raise pain points.")
    session = None
    session_id = request.GET.get("session") or request.POST.get("session")
    if session_id:
        permissions.require_it(request.user, "record pain points from a listening session")
        session = get_object_or_404(ListeningSession.objects.for_user(request.user), pk=session_id)
    if request.method == "POST":
        # The instance only lets the model's own checks see who submits; the service creates the row.
        source = Source.LISTENING_SESSION if session else Source.PORTAL
        draft = PainPoint(submitted_by=request.user, source=source, listening_session=session)
        form = PainPointForm(request.POST, instance=draft)
        done = pages.submit(
            request,
            form,
            lambda data: services.pain_point_create(
                submitted_by=request.user, listening_session=session, source=source, **data
            ),
            success="Thank you: your pain point is recorded. IT will acknowledge it soon.",
        )
        return done or render(
            request, "listening/pain_point_form.html", _submission_context(request, form, session), status=400
        )
    initial = {"business_unit": session.business_unit if session else request.user.business_unit}
    if request.GET.get("title"):
        initial["title"] = request.GET["title"][:200]
    form = PainPointForm(initial=initial)
    return render(request, "listening/pain_point_form.html", _submission_context(request, form, session))


def pain_point_edit(request, pk):
    pain_point = get_object_or_404(PainPoint.objects.for_user(request.user), pk=pk)
    permissions.require_it(request.user, "edit a pain point")
    if pain_point.is_read_only:
        messages.error(request, "A merged pain point is read-only.")
        return redirect(pain_point)
    form = PainPointForm(request.POST or None, instance=pain_point)
    done = pages.submit(
        request,
        form,
        lambda data: services.pain_point_update(pain_point=pain_point, actor=request.user, **data),
        success="Pain point updated.",
        to=pain_point,
    )
    return done or render(
        request, "listening/pain_point_edit.html", {"form": form, "pain_point": pain_point}, status=pages.form_status(form)
    )


def _detail_context(request, pain_point, bound=None):
    """Everything the detail page shows; `bound` = (action, form) re-shown with its errors."""
    user = request.user
    is_it = is_it_staff(user)
    actions = []
    for step in PAIN_POINT.available(pain_point, user):
        form = bound[1] if bound and bound[0] == step.name else STEP_FORMS.get(step.name, NoteForm)(prefix=step.name)
        actions.append({"name": step.name, "label": step.label, "form": form})
    comment_form = bound[1] if bound and bound[0] == "comment" else CommentForm()
    return {
        "pain_point": pain_point,
        "evaluation": selectors.evaluation_of(pain_point),
        "history": pain_point.status_changes.all(),
        "comments": pain_point.comments.all(),
        "actions": actions,
        "is_it": is_it,
        "can_vote": pain_point.is_open and pain_point.submitted_by_id != user.pk,
        "comment_form": comment_form,
        "show_audit": user.is_superuser or getattr(user, "is_cio", False),
    }


def pain_point_detail(request, pk):
    pain_point = get_object_or_404(selectors.pain_point_detail(user=request.user), pk=pk)
    return render(request, "listening/pain_point_detail.html", _detail_context(request, pain_point))


@require_POST
def pain_point_transition(request, pk, action):
    """IT moves a pain point through the workflow; a refusal is shown on the action's form."""
    if action not in PAIN_POINT or not PAIN_POINT[action].manual:
        raise PermissionDenied("Unknown action.")
    pain_point = get_object_or_404(PainPoint.objects.for_user(request.user), pk=pk)
    step = PAIN_POINT.require(pain_point, request.user, action)
    form = STEP_FORMS.get(action, NoteForm)(request.POST, prefix=action)

    def take(data):
        data = dict(data)
        if action == "merge":
            target = PainPoint.objects.for_user(request.user).filter(pk=data["target"]).first()
            if target is None:
                raise ValidationError({"target": f"There is no pain point #{data['target']} you can see."})
            data["target"] = target
        return PAIN_POINT.run(pain_point, request.user, action, **data)

    done = pages.submit(request, form, take, success=f"Done: {step.label.lower()}.", to=pain_point)
    if done:
        return done
    fresh = get_object_or_404(selectors.pain_point_detail(user=request.user), pk=pk)
    context = _detail_context(request, fresh, bound=(action, form))
    messages.error(request, pages.errors_text(form))
    return render(request, "listening/pain_point_detail.html", context, status=400)


def _simple_write(request, pk, write, success: str):
    pain_point = get_object_or_404(PainPoint.objects.for_user(request.user), pk=pk)
    return pages.act(request, lambda: write(pain_point), success=success, to=pain_point)


@require_POST
def pain_point_vote(request, pk):
    return _simple_write(
        request, pk, lambda p: services.pain_point_vote(pain_point=p, user=request.user), "Your “me too” is counted."
    )


@require_POST
def pain_point_unvote(request, pk):
    return _simple_write(
        request, pk, lambda p: services.pain_point_unvote(pain_point=p, user=request.user), "Your vote is withdrawn."
    )


@require_POST
def pain_point_watch(request, pk):
    return _simple_write(
        request,
        pk,
        lambda p: services.pain_point_watch(pain_point=p, user=request.user),
        "You will hear about every change of this pain point.",
    )


@require_POST
def pain_point_unwatch(request, pk):
    return _simple_write(
        request, pk, lambda p: services.pain_point_unwatch(pain_point=p, user=request.user), "You stopped watching."
    )


@require_POST
def pain_point_comment(request, pk):
    pain_point = get_object_or_404(PainPoint.objects.for_user(request.user), pk=pk)
    form = CommentForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: services.comment_add(pain_point=pain_point, author=request.user, body=data["body"]),
        success="Comment added.",
        to=f"{pain_point.get_absolute_url()}#comments",
    )
    if done:
        return done
    fresh = get_object_or_404(selectors.pain_point_detail(user=request.user), pk=pk)
    return render(
        request, "listening/pain_point_detail.html", _detail_context(request, fresh, bound=("comment", form)), status=400
    )


def evaluation_edit(request, pk):
    """IT writes the evaluation: options with pros, cons, rough cost and risk, and the plan."""
    pain_point = get_object_or_404(selectors.pain_point_detail(user=request.user), pk=pk)
    permissions.require_it(request.user, "evaluate a pain point")
    evaluation = selectors.evaluation_of(pain_point)
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        formset = EvaluationOptionFormSet(request.POST, prefix="options")
        done = pages.submit(
            request,
            form,
            lambda data: services.evaluation_save(
                pain_point=pain_point,
                actor=request.user,
                summary=data["summary"],
                plan=data["plan"],
                options=option_rows(formset),
            ),
            success="Evaluation saved.",
            to=pain_point,
            also=[formset],
        )
        if done:
            return done
        status = 400
    else:
        form = EvaluationForm(initial={"summary": evaluation.summary, "plan": evaluation.plan} if evaluation else None)
        initial = [
            {
                "title": o.title,
                "pros": o.pros,
                "cons": o.cons,
                "rough_cost": o.rough_cost,
                "risk": o.risk,
                "recommended": o.is_recommended,
            }
            for o in (evaluation.options.all() if evaluation else [])
        ]
        formset = EvaluationOptionFormSet(initial=initial, prefix="options")
        status = 200
    return render(
        request,
        "listening/evaluation_form.html",
        {"pain_point": pain_point, "form": form, "formset": formset, "currency": settings.PORTAL_CURRENCY},
        status=status,
    )


@require_GET
def similar(request):
    """Open pain points similar to a title being typed, as JSON for static/js/listening.js."""
    text = request.GET.get("q", "")[:200]
    exclude = request.GET.get("exclude")
    results = selectors.similar_open_pain_points(
        user=request.user, text=text, exclude_pk=parse_id(exclude)
    )
    return JsonResponse(
        {
            "results": [
                {
                    "id": p.pk,
                    "title": p.title,
                    "status": p.get_status_display(),
                    "business_unit": p.business_unit.name,
                    "vote_count": p.vote_count,
                    "has_voted": p.has_voted,
                    "can_vote": not p.has_voted and p.submitted_by_id != request.user.pk,
                    "url": p.get_absolute_url(),
                    "vote_url": reverse("listening:vote", args=[p.pk]),
                }
                for p in results
            ]
        }
    )


def triage(request):
    """IT's queue: what is waiting for an answer, the most urgent acknowledgement first."""
    permissions.require_it(request.user, "triage pain points")
    page = Paginator(selectors.triage_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    parked = InboundTicket.objects.for_user(request.user).parked().count()
    return render(
        request,
        "listening/triage.html",
        {"page_obj": page, "sla_days": settings.LISTENING_ACK_SLA_DAYS, "parked_tickets": parked},
    )


# --- Listening sessions ---------------------------------------------------------------------------------


def session_list(request):
    filterset = ListeningSessionFilter(
        request.GET or None, queryset=selectors.listening_session_list(user=request.user), request=request
    )
    page = Paginator(filterset.qs.order_by("-held_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "listening/session_list.html",
        {
            "page_obj": page,
            "filterset": filterset,
            "params": request.GET,
            "kinds": SessionKind.choices,
            "units": BusinessUnit.objects.all(),
            "is_it": is_it_staff(request.user),
        },
    )


def session_create(request):
    permissions.require_it(request.user, "record listening sessions")
    form = ListeningSessionForm(request.POST or None, initial={"it_attendees": [request.user.pk]})
    done = pages.submit(
        request,
        form,
        lambda data: sessions.listening_session_create(actor=request.user, **data),
        success="Listening session recorded. Add the pain points it surfaced.",
    )
    return done or render(request, "listening/session_form.html", {"form": form}, status=pages.form_status(form))


def session_detail(request, pk):
    session = get_object_or_404(selectors.listening_session_list(user=request.user), pk=pk)
    return render(
        request, "listening/session_detail.html", {"session": session, "is_it": is_it_staff(request.user)}
    )


def coverage(request):
    """For each business unit the last listening session, and who was not listened to lately."""
    permissions.require_it(request.user, "see the listening coverage")
    try:
        days = max(1, min(730, int(request.GET.get("days", settings.LISTENING_COVERAGE_DAYS))))
    except ValueError:
        days = settings.LISTENING_COVERAGE_DAYS
    rows = selectors.listening_coverage(days=days)
    return render(
        request,
        "listening/coverage.html",
        {"rows": rows, "days": days, "not_covered": [r for r in rows if not r.covered]},
    )
