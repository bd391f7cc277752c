"""Pages of the initiatives app. Views read through selectors and write through services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from partnership import pages
from partnership.bounds import parse_id
from partnership.models import BusinessUnit
from partnership.roles import Role
from partnership.score import Window

from . import permissions, planning, selectors, services
from .api.filters import InitiativeFilter
from .choices import InitiativeStatus, Origin
from .forms import (
    BenefitForm,
    BenefitsReviewForm,
    CommentForm,
    DeliverForm,
    InitiativeForm,
    MilestoneDoneForm,
    MilestoneForm,
    NoteForm,
    ReasonForm,
    RiskAcceptanceForm,
    RiskForm,
)
from .models import Benefit, Initiative, Milestone, Risk
from .workflow import INITIATIVE, risk_acceptance_needed

PAGE_SIZE = 25
HIDDEN_FILTERS = (
    "late_milestones",
    "milestones_due_after",
    "milestones_due_before",
    "origin",
    "sponsor",
    "pain_point",
    "proposed_after",
    "proposed_before",
    "decided_after",
    "decided_before",
    "delivered_after",
    "delivered_before",
    "window",
)
WINDOWS = (30, 90, 180, 365)

SORTS = {
    "newest": ("-created_at", "-id"),
    "target": ("target_date", "id"),
    "risk": ("-top_risk", "-created_at", "-id"),
    "cost": ("-one_off_cost", "-id"),
    "title": ("title", "id"),
}

# The form of each workflow step on the page (the steps themselves: initiatives.workflow.INITIATIVE).
# The benefits review has a page of its own (review_benefits), linked from the detail page.
STEP_FORMS = {"reject": ReasonForm, "deliver": DeliverForm, "cancel": ReasonForm}
OWN_PAGE_STEPS = ("review-benefits",)


def _require_manage(user, what: str = "do this"):
    if not permissions.can_manage(user):
        raise PermissionDenied(f"Only IT staff can {what}.")




def _visible(user, pk, queryset=None) -> Initiative:
    return get_object_or_404(queryset if queryset is not None else Initiative.objects.for_user(user), pk=pk)


def _window(request) -> Window:
    try:
        days = int(request.GET.get("window", settings.INITIATIVES_MEASURE_WINDOW_DAYS))
    except ValueError:
        days = settings.INITIATIVES_MEASURE_WINDOW_DAYS
    return Window.last_days(max(1, min(730, days)))


# --- The landing page: measures and the list -------------------------------------------------------


def index(request):
    """The initiatives the user may see with the proactivity measures, filters and search."""
    filterset = InitiativeFilter(
        request.GET or None, queryset=selectors.initiative_list(user=request.user), request=request
    )
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "newest"
    page = Paginator(filterset.qs.order_by(*SORTS[sort]), PAGE_SIZE).get_page(request.GET.get("page"))
    window = _window(request)
    owners = get_user_model().objects.filter(groups__name__in=[Role.IT_STAFF.value, Role.CIO.value]).distinct()
    list_params = {k: v for k, v in request.GET.items() if k not in ("window", "page", "sort")}
    # Filters the form does not show (from a measure's link) survive a new search.
    hidden_params = [
        (key, value) for key, values in request.GET.lists() if key in HIDDEN_FILTERS for value in values
    ]
    return render(
        request,
        "initiatives/index.html",
        {
            "page_obj": page,
            "filterset": filterset,
            "params": request.GET,
            "has_filters": bool(list_params),
            "hidden_params": hidden_params,
            "selected_statuses": request.GET.getlist("status"),
            "statuses": InitiativeStatus.choices,
            "units": BusinessUnit.objects.all(),
            "owners": owners,
            "sort": sort,
            "sorts": [("newest", "Newest"), ("target", "Target date"), ("risk", "Highest risk"), ("cost", "One-off cost"), ("title", "Title")],
            "measures": selectors.initiative_measures(window),
            "window": window,
            "window_days": (window.end - window.start).days + 1,
            "windows": WINDOWS,
            "can_create": permissions.can_manage(request.user),
            "threshold": settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD,
        },
    )


# --- Create and edit --------------------------------------------------------------------------------


def _initiative_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["pain_points"] = list(data.get("pain_points") or [])
    data["business_units"] = list(data.get("business_units") or [])
    return data


def initiative_create(request):
    """IT records an initiative (?pain_point=<id> links pain points; "Save and propose")."""
    _require_manage(request.user, "create initiatives")
    if request.method == "POST":
        form = InitiativeForm(request.POST, user=request.user)
        propose = request.POST.get("submit") == "propose"
        done = pages.submit(
            request,
            form,
            lambda data: services.initiative_create(actor=request.user, propose=propose, **_initiative_data(form)),
            success="Initiative recorded. Add its risks, milestones and expected benefits.",
        )
        return done or render(request, "initiatives/initiative_form.html", {"form": form}, status=400)
    initial = {"it_owner": request.user}
    pain_point_ids = [pk for pk in map(parse_id, request.GET.getlist("pain_point")) if pk]
    if pain_point_ids:
        initial.update({"pain_points": pain_point_ids, "origin": Origin.PAIN_POINTS})
    form = InitiativeForm(initial=initial, user=request.user)
    return render(request, "initiatives/initiative_form.html", {"form": form})


def initiative_edit(request, pk):
    initiative = _visible(request.user, pk)
    _require_manage(request.user, "edit initiatives")
    form = InitiativeForm(request.POST or None, instance=initiative, user=request.user)
    done = pages.submit(
        request,
        form,
        lambda data: services.initiative_update(initiative=initiative, actor=request.user, **_initiative_data(form)),
        success="Initiative updated.",
        to=initiative,
    )
    return done or render(
        request,
        "initiatives/initiative_form.html",
        {"form": form, "initiative": initiative},
        status=pages.form_status(form),
    )


# --- Detail ------------------------------------------------------------------------------------------


def _detail_context(request, initiative, bound=None):
    """Everything the detail page shows; `bound` = (action, form) re-shown with its errors."""
    user = request.user
    available = INITIATIVE.available(initiative, user)
    actions = []
    for step in available:
        if step.name in OWN_PAGE_STEPS:
            continue
        form = bound[1] if bound and bound[0] == step.name else STEP_FORMS.get(step.name, NoteForm)(prefix=step.name)
        actions.append({"name": step.name, "label": step.label, "form": form})
    risks = list(initiative.risks.all())
    top = max((r.score for r in risks), default=None)
    threshold = settings.INITIATIVES_RISK_ACCEPTANCE_THRESHOLD
    acceptances = list(initiative.risk_acceptances.all())
    covered = max((a.highest_score for a in acceptances), default=None)
    needs_acceptance = risk_acceptance_needed(top, covered)
    comment_form = bound[1] if bound and bound[0] == "comment" else CommentForm()
    can_manage = permissions.can_manage(user)
    return {
        "initiative": initiative,
        "risks": risks,
        "heat_map": selectors.risk_heat_map(risks),
        "top_risk": top,
        "threshold": threshold,
        "acceptances": acceptances,
        "needs_acceptance": needs_acceptance,
        "milestones": initiative.milestones.all(),
        "benefits": initiative.benefits.all(),
        "decisions": initiative.decisions.all(),
        "comments": initiative.comments.all(),
        "pain_points": initiative.pain_points.all(),
        "actions": actions,
        "can_manage": can_manage and initiative.status not in (InitiativeStatus.REJECTED, InitiativeStatus.CANCELLED, InitiativeStatus.BENEFITS_REVIEWED),
        "can_accept_risk": initiative.is_undecided and permissions.can_accept_risk(user, initiative) and bool(risks),
        "can_confirm": initiative.is_undecided and permissions.is_sponsor(user, initiative) and not initiative.business_case_confirmed,
        "is_sponsor": permissions.is_sponsor(user, initiative),
        "can_add_benefit": initiative.is_open and permissions.can_add_benefit(user, initiative),
        "can_review_benefits": any(step.name == "review-benefits" for step in available),
        "comment_form": comment_form,
        "done_form": MilestoneDoneForm(),
        "show_audit": user.is_superuser or getattr(user, "is_cio", False),
        # IT logs what it did beyond the request for this initiative (the quick log, prefilled).
        "can_log_extra_mile": permissions.can_manage(user),
    }


def initiative_detail(request, pk):
    initiative = _visible(request.user, pk, selectors.initiative_detail(user=request.user))
    return render(request, "initiatives/initiative_detail.html", _detail_context(request, initiative))


def _rerender_detail(request, pk, action, form):
    fresh = _visible(request.user, pk, selectors.initiative_detail(user=request.user))
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return render(
        request, "initiatives/initiative_detail.html", _detail_context(request, fresh, bound=(action, form)), status=400
    )


@require_POST
def initiative_transition(request, pk, action):
    """Move an initiative through the workflow; a refusal is shown on the action's form."""
    if action not in INITIATIVE or action in OWN_PAGE_STEPS:
        raise PermissionDenied("Unknown action.")
    initiative = _visible(request.user, pk)
    INITIATIVE.require(initiative, request.user, action)
    form = STEP_FORMS.get(action, NoteForm)(request.POST, prefix=action)
    done = pages.submit(
        request,
        form,
        lambda data: INITIATIVE.run(initiative, request.user, action, **data),
        success=lambda moved: f"Done: {moved.get_status_display().lower()}.",
        to=initiative,
    )
    return done or _rerender_detail(request, pk, action, form)


@require_POST
def initiative_comment(request, pk):
    initiative = _visible(request.user, pk)
    form = CommentForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: services.comment_add(initiative=initiative, author=request.user, body=data["body"]),
        success="Comment added.",
        to=f"{initiative.get_absolute_url()}#comments",
    )
    return done or _rerender_detail(request, pk, "comment", form)


@require_POST
def confirm_business_case(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.is_sponsor(request.user, initiative):
        raise PermissionDenied("Only the initiative's sponsor can confirm its business case.")
    return pages.act(
        request,
        lambda: services.initiative_confirm_business_case(
            initiative=initiative, actor=request.user, note=request.POST.get("note", "")
        ),
        success="Thank you: the business case is confirmed.",
        to=initiative,
    )


# --- Forms on their own page: risk acceptance, risks, milestones, benefits, benefits review ----------------


def _item_form(request, initiative, form, *, heading, intro="", submit="Save", status=200):
    return render(
        request,
        "initiatives/item_form.html",
        {"initiative": initiative, "form": form, "heading": heading, "intro": intro, "submit": submit},
        status=status,
    )


def accept_risk(request, pk):
    """The CIO or the sponsor accepts the risk of failure, with a statement."""
    initiative = _visible(request.user, pk, selectors.initiative_detail(user=request.user))
    if not permissions.can_accept_risk(request.user, initiative):
        raise PermissionDenied("Only the CIO or the initiative's sponsor can accept its risk.")
    form = RiskAcceptanceForm(request.POST or None)
    done = pages.submit(
        request,
        form,
        lambda data: services.initiative_accept_risk(initiative=initiative, actor=request.user, statement=data["statement"]),
        success="The risk of failure is accepted and recorded.",
        to=f"{initiative.get_absolute_url()}#risks",
    )
    if done:
        return done
    top = max((r.score for r in initiative.risks.all()), default=None)
    return _item_form(
        request,
        initiative,
        form,
        heading="Accept the risk of failure",
        intro=(
            f"The highest risk scores {top if top is not None else '—'} of 25. Accepting it says: we know this can "
            "fail, we weighed it against the benefits, and we still say “YES”."
        ),
        submit="Accept the risk",
        status=pages.form_status(form),
    )


def risk_edit(request, pk, risk_pk=None):
    initiative = _visible(request.user, pk)
    _require_manage(request.user, "record risks")
    risk = get_object_or_404(Risk, pk=risk_pk, initiative=initiative) if risk_pk else None
    form = RiskForm(request.POST or None, instance=risk)
    def save(data):
        if risk is None:
            return planning.risk_add(initiative=initiative, actor=request.user, **data)
        risk.refresh_from_db()
        return planning.risk_update(risk=risk, actor=request.user, **data)

    done = pages.submit(request, form, save, success="Risk saved.", to=f"{initiative.get_absolute_url()}#risks")
    return done or _item_form(
        request,
        initiative,
        form,
        heading="Edit risk" if risk else "Add a risk",
        intro="Probability and impact from 1 to 5; the score is their product (1 to 25).",
        status=pages.form_status(form),
    )


@require_POST
def risk_delete(request, pk, risk_pk):
    initiative = _visible(request.user, pk)
    _require_manage(request.user, "remove risks")
    risk = get_object_or_404(Risk, pk=risk_pk, initiative=initiative)
    return pages.act(
        request,
        lambda: planning.risk_delete(risk=risk, actor=request.user),
        success="Risk removed.",
        to=f"{initiative.get_absolute_url()}#risks",
    )


def milestone_edit(request, pk, milestone_pk=None):
    initiative = _visible(request.user, pk)
    _require_manage(request.user, "plan milestones")
    milestone = get_object_or_404(Milestone, pk=milestone_pk, initiative=initiative) if milestone_pk else None
    form = MilestoneForm(request.POST or None, instance=milestone)
    def save(data):
        if milestone is None:
            return planning.milestone_add(initiative=initiative, actor=request.user, **data)
        milestone.refresh_from_db()
        return planning.milestone_update(milestone=milestone, actor=request.user, **data)

    done = pages.submit(
        request, form, save, success="Milestone saved.", to=f"{initiative.get_absolute_url()}#milestones"
    )
    return done or _item_form(
        request,
        initiative,
        form,
        heading="Edit milestone" if milestone else "Add a milestone",
        status=pages.form_status(form),
    )


@require_POST
def milestone_done(request, pk, milestone_pk):
    initiative = _visible(request.user, pk)
    _require_manage(request.user, "complete milestones")
    milestone = get_object_or_404(Milestone, pk=milestone_pk, initiative=initiative)
    form = MilestoneDoneForm(request.POST)

    def mark_done():
        if not form.is_valid():
            raise ValidationError({"done_on": "Enter a valid date."})
        planning.milestone_mark_done(milestone=milestone, actor=request.user, done_on=form.cleaned_data["done_on"])

    return pages.act(
        request, mark_done, success=f"Milestone “{milestone.title}” done.", to=f"{initiative.get_absolute_url()}#milestones"
    )


@require_POST
def milestone_delete(request, pk, milestone_pk):
    initiative = _visible(request.user, pk)
    _require_manage(request.user, "remove milestones")
    milestone = get_object_or_404(Milestone, pk=milestone_pk, initiative=initiative)
    return pages.act(
        request,
        lambda: planning.milestone_delete(milestone=milestone, actor=request.user),
        success="Milestone removed.",
        to=f"{initiative.get_absolute_url()}#milestones",
    )


def benefit_create(request, pk):
    initiative = _visible(request.user, pk)
    if not permissions.can_add_benefit(request.user, initiative):
        raise PermissionDenied("Only IT staff or the sponsor can record expected benefits.")
    form = BenefitForm(request.POST or None)
    done = pages.submit(
        request,
        form,
        lambda data: planning.benefit_add(initiative=initiative, actor=request.user, **data),
        success="Expected benefit recorded.",
        to=f"{initiative.get_absolute_url()}#benefits",
    )
    return done or _item_form(
        request,
        initiative,
        form,
        heading="Add an expected benefit",
        intro="What the business will gain; the benefits review after delivery says what was realised.",
        status=pages.form_status(form),
    )


@require_POST
def benefit_delete(request, pk, benefit_pk):
    initiative = _visible(request.user, pk)
    benefit = get_object_or_404(Benefit, pk=benefit_pk, initiative=initiative)
    if not permissions.can_add_benefit(request.user, initiative):
        raise PermissionDenied("Only IT staff or the sponsor can remove expected benefits.")
    return pages.act(
        request,
        lambda: planning.benefit_delete(benefit=benefit, actor=request.user),
        success="Expected benefit removed.",
        to=f"{initiative.get_absolute_url()}#benefits",
    )


def review_benefits(request, pk):
    """After delivery, IT or the sponsor records what each expected benefit became."""
    initiative = _visible(request.user, pk)
    INITIATIVE.require(initiative, request.user, "review-benefits")
    form = BenefitsReviewForm(request.POST or None, benefits=initiative.benefits.all())
    done = pages.submit(
        request,
        form,
        lambda data: INITIATIVE.run(
            initiative, request.user, "review-benefits", realised=form.realised_rows(), summary=data["summary"]
        ),
        success="Benefits review recorded.",
        to=f"{initiative.get_absolute_url()}#benefits",
    )
    return done or _item_form(
        request,
        initiative,
        form,
        heading="Benefits review",
        intro="For each benefit expected, what was realised (and how much, if it can be counted).",
        submit="Record the review",
        status=pages.form_status(form),
    )
