"""Pages of the revenue app: the portfolio board, project pages, revenue entries and exports."""


from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership import pages
from partnership.exports import csv_response

from . import permissions, selectors, services
from .choices import Stage
from .figures import add_months
from .forms import (
    AbandonForm,
    AcceptForm,
    AdvanceForm,
    EntryEditForm,
    EntryFilterForm,
    EntryForm,
    ProjectFilterForm,
    RevenueProjectForm,
)
from .models import RevenueEntry, RevenueProject
from .workflow import REVENUE_PROJECT

PAGE_SIZE = 25


def _require_manager(user):
    if not permissions.can_manage(user):
        raise PermissionDenied(permissions.MANAGE_MESSAGE)




def _commitment_context(user):
    years = selectors.yearly_commitment()
    current = years[0]
    return {
        "commitment": current,
        "commitment_past": years[1:],
        "commitment_projects": selectors.projects_executed_in(current.year, user=user).only("pk", "name"),
    }


def index(request):
    """The portfolio board: one column per stage, the commitment panel and this year's totals."""
    filters = ProjectFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    columns = selectors.portfolio_board(
        user=request.user,
        search=values.get("q", ""),
        category=values.get("category", ""),
        unit=values.get("unit", ""),
    )
    abandoned = selectors.project_list(user=request.user, stage=Stage.ABANDONED).count()
    context = {
        "columns": columns,
        "filters": filters,
        "is_filtered": any(values.values()),
        "abandoned_count": abandoned,
        "totals": selectors.portfolio_totals(user=request.user),
        "can_manage": permissions.can_manage(request.user),
        **_commitment_context(request.user),
    }
    return render(request, "revenue/index.html", context)


def project_list(request):
    filters = ProjectFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    projects = selectors.project_list(
        user=request.user,
        search=values.get("q", ""),
        stage=values.get("stage", ""),
        category=values.get("category", ""),
        unit=values.get("unit", ""),
        executed_year=values.get("executed_year"),
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "revenue/project_list.html",
        {"page_obj": page, "filters": filters, "can_manage": permissions.can_manage(request.user)},
    )


def _detail_context(request, project, **forms):
    user = request.user
    figures = selectors.project_figures(project)
    acceptors = selectors.eligible_acceptors(project)
    if not permissions.can_manage(user):
        acceptors = acceptors.filter(pk=user.pk)
    can_manage = permissions.can_manage(user)
    today = timezone.localdate()
    context = {
        "project": project,
        "figures": figures,
        "by_year": sorted(figures.realised_by_year.items(), reverse=True),
        "chart": selectors.chart_data(figures, settings.PORTAL_CURRENCY),
        "entries": project.entries.select_related("recorded_by"),
        "stage_changes": project.stage_changes.all(),
        "can_manage": can_manage,
        "can_accept": permissions.can_accept(user, project),
        # The stage steps the user may take now (revenue.workflow.REVENUE_PROJECT).
        "steps": [step.name for step in REVENUE_PROJECT.available(project, user)],
        "advance_form": forms.get("advance_form") or AdvanceForm(initial={"on": today}),
        "accept_form": forms.get("accept_form")
        or AcceptForm(acceptors=acceptors, initial={"on": today, "accepted_by": user.pk}),
        "abandon_form": forms.get("abandon_form") or AbandonForm(initial={"on": today}),
        "entry_form": forms.get("entry_form") or EntryForm(),
        "latest_month": add_months(today, 1),
        "audit_entries": project.audit_entries() if can_manage else None,
        "fiscal_first_month": selectors.fiscal_first_month(),
    }
    return context


def project_detail(request, pk):
    project = get_object_or_404(selectors.project_detail_queryset(user=request.user), pk=pk)
    return render(request, "revenue/project_detail.html", _detail_context(request, project))


def _refused(request, project, **forms):
    project = selectors.project_detail_queryset(user=request.user).get(pk=project.pk)
    # The refusal itself, in the message too: the form of a step the stage no longer offers is
    # not shown again (e.g. advancing past Support).
    refusals = [str(e) for form in forms.values() for errors in form.errors.values() for e in errors]
    messages.error(request, f"Nothing was changed: {' '.join(refusals) or 'see the message below.'}")
    return render(request, "revenue/project_detail.html", _detail_context(request, project, **forms), status=400)


def project_create(request):
    _require_manager(request.user)
    form = RevenueProjectForm(request.POST or None, currency=settings.PORTAL_CURRENCY)
    done = pages.submit(
        request,
        form,
        lambda data: services.revenue_project_create(actor=request.user, **data),
        success=lambda project: f"“{project.name}” identified.",
    )
    return done or render(
        request, "revenue/project_form.html", {"form": form, "project": None}, status=pages.form_status(form)
    )


def project_edit(request, pk):
    project = get_object_or_404(RevenueProject.objects.for_user(request.user), pk=pk)
    _require_manager(request.user)
    form = RevenueProjectForm(request.POST or None, instance=project, currency=settings.PORTAL_CURRENCY)
    done = pages.submit(
        request,
        form,
        lambda data: services.revenue_project_update(project=project, actor=request.user, **data),
        success="Project saved.",
    )
    return done or render(
        request, "revenue/project_form.html", {"form": form, "project": project}, status=pages.form_status(form)
    )


@require_POST
def project_advance(request, pk):
    project = get_object_or_404(RevenueProject.objects.for_user(request.user), pk=pk)
    REVENUE_PROJECT.require(project, request.user, "advance")
    form = AdvanceForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: REVENUE_PROJECT.run(
            project, request.user, "advance", to_stage=request.POST.get("to_stage") or None, **data
        ),
        success=lambda moved: f"“{moved.name}” moved to {moved.get_stage_display()}.",
    )
    return done or _refused(request, project, advance_form=form)


@require_POST
def project_accept(request, pk):
    project = get_object_or_404(selectors.project_detail_queryset(user=request.user), pk=pk)
    if not permissions.may_record_acceptance(request.user, project):
        raise PermissionDenied(permissions.ACCEPT_MESSAGE)
    acceptors = selectors.eligible_acceptors(project)
    if not permissions.can_manage(request.user):
        acceptors = acceptors.filter(pk=request.user.pk)
    form = AcceptForm(request.POST, acceptors=acceptors)
    done = pages.submit(
        request,
        form,
        lambda data: services.revenue_project_accept(
            project=project, accepted_by=data["accepted_by"], statement=data["statement"], on=data["on"], actor=request.user
        ),
        success=lambda accepted: f"Business acceptance of “{accepted.name}” recorded.",
    )
    return done or _refused(request, project, accept_form=form)


@require_POST
def project_abandon(request, pk):
    project = get_object_or_404(RevenueProject.objects.for_user(request.user), pk=pk)
    REVENUE_PROJECT.require(project, request.user, "abandon")
    form = AbandonForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: REVENUE_PROJECT.run(project, request.user, "abandon", **data),
        success=lambda abandoned: f"“{abandoned.name}” abandoned.",
    )
    return done or _refused(request, project, abandon_form=form)


@require_POST
def entry_add(request, pk):
    project = get_object_or_404(RevenueProject.objects.for_user(request.user), pk=pk)
    _require_manager(request.user)
    form = EntryForm(request.POST)
    done = pages.submit(
        request,
        form,
        lambda data: services.revenue_entry_create(project=project, actor=request.user, **data),
        success=lambda entry: f"Revenue for {entry.month:%Y-%m} recorded.",
        to=f"{project.get_absolute_url()}#entries",
    )
    return done or _refused(request, project, entry_form=form)


def entry_edit(request, pk):
    entry = get_object_or_404(RevenueEntry.objects.for_user(request.user).select_related("project"), pk=pk)
    _require_manager(request.user)
    form = EntryEditForm(request.POST or None, initial={"amount": entry.amount, "note": entry.note})
    done = pages.submit(
        request,
        form,
        lambda data: services.revenue_entry_update(entry=entry, actor=request.user, **data),
        success=f"Revenue for {entry.month:%Y-%m} corrected.",
        to=f"{entry.project.get_absolute_url()}#entries",
    )
    return done or render(request, "revenue/entry_form.html", {"form": form, "entry": entry}, status=pages.form_status(form))


@require_POST
def entry_delete(request, pk):
    entry = get_object_or_404(RevenueEntry.objects.for_user(request.user).select_related("project"), pk=pk)
    _require_manager(request.user)
    project = entry.project
    services.revenue_entry_delete(entry=entry, actor=request.user)
    messages.success(request, f"Revenue for {entry.month:%Y-%m} removed.")
    return redirect(f"{project.get_absolute_url()}#entries")


def _filtered_entries(request):
    filters = EntryFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.entry_list(
        user=request.user,
        project=values.get("project") or "",
        year=values.get("year") or "",
        stage=values.get("stage", ""),
        unit=values.get("unit", ""),
        search=values.get("q", ""),
        since=values.get("since"),
        until=values.get("until"),
    )
    return filters, entries


def entry_list(request):
    filters, entries = _filtered_entries(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "revenue/entry_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "export_query": request.GET.urlencode(),
            "can_manage": permissions.can_manage(request.user),
        },
    )


def entry_export(request):
    """The entries of the list page's filters, as CSV."""
    _, entries = _filtered_entries(request)
    currency = settings.PORTAL_CURRENCY
    return csv_response(
        "revenue-entries.csv",
        ["project_id", "project", "stage", "month", "amount", "currency", "note", "recorded_by", "updated_at"],
        (
            [
                entry.project_id,
                entry.project.name,
                entry.project.stage,
                f"{entry.month:%Y-%m}",
                f"{entry.amount:.2f}",
                currency,
                entry.note,
                entry.recorded_by.username if entry.recorded_by else "",
                entry.updated_at.isoformat(),
            ]
            for entry in entries.iterator(chunk_size=1000)
        ),
    )
