"""The CIO dashboard, its CSV exports, the weights and targets, and the business pulse."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .. import pages
from ..agenda import agenda_for
from ..exports import csv_response
from ..models import BusinessUnit
from ..roles import Role, is_business_manager, is_cio, is_it_staff, primary_role
from ..templatetags.portal_numbers import score_format
from . import selectors, services
from .forms import PulseForm, ScoreConfigForm
from .models import ScoreConfig
from .registry import Pillar, Window

WINDOWS = (30, 90, 365)


def _scope(request):
    """The window and business unit a user asked for, narrowed to what they may see."""
    if not (is_it_staff(request.user) or is_business_manager(request.user)):
        raise PermissionDenied("The dashboard is for IT and business managers.")
    try:
        days = int(request.GET.get("window", 90))
    except ValueError:
        days = 90
    if days not in WINDOWS:
        days = 90
    if is_it_staff(request.user):
        slug = request.GET.get("business_unit") or ""
        unit = get_object_or_404(BusinessUnit.objects.for_user(request.user), slug=slug) if slug else None
    else:
        unit = request.user.business_unit
        if unit is None:
            raise Http404("You belong to no business unit.")
    return Window.last_days(days, timezone.localdate()), days, unit


def _unit_table(unit_scores, days):
    """The unit comparison's rows as plain values (the template writes the HTML): some 50 units x 9
    cells, so each number is formatted here once rather than through filters in the template."""
    return [
        {
            "query": urlencode({"window": days, "business_unit": s.business_unit.slug}),
            "name": s.business_unit.name,
            "overall": "no data" if s.overall is None else score_format(s.overall, 0),
            "band": s.band,
            "pillars": ["—" if s.pillars.get(p) is None else score_format(s.pillars[p], 0) for p in Pillar.ALL],
        }
        for s in unit_scores
    ]


def dashboard(request):
    window, days, unit = _scope(request)
    staff = is_it_staff(request.user)
    score = selectors.partnership_score(window, unit, with_units=staff)
    main = score["main"]
    sort = request.GET.get("sort", "score")
    units = sorted(score["units"], key=lambda s: s.business_unit.name)
    if sort == "score":
        units.sort(key=lambda s: -1 if s.overall is None else s.overall, reverse=True)
    # The trend needs the day and the overall score only, not each snapshot's indicators.
    history = list(selectors.score_history(unit, window_days=90).only("date", "overall"))[-365:]
    pulse = selectors.pulse_summary(window, unit)
    gap = None if pulse["score"] is None or main.overall is None else main.overall - pulse["score"]
    chart = {
        "trend": {"labels": [s.date.isoformat() for s in history], "values": [s.overall for s in history]},
        "units": {
            "labels": [s.business_unit.name for s in units],
            "values": [None if s.overall is None else round(s.overall, 1) for s in units],
        },
    }
    context = {
        "window": window,
        "days": days,
        "windows": WINDOWS,
        "unit": unit,
        "unit_choices": [s.business_unit for s in score["units"]],  # staff only: empty otherwise; by name
        "main": main,
        "unit_scores": units,
        "unit_table": _unit_table(units, days),
        "sort": sort,
        "config": score["config"],
        "changed": selectors.what_changed(unit, window_days=90, days=30),
        "pulse": pulse,
        "gap": gap,
        "attention": selectors.attention_items(request.user, unit),
        "chart": chart,
        "can_configure": is_cio(request.user),
        "is_staff_view": staff,
        # The dashboard is the CIO's home page: what waits for them comes first.
        "agenda": agenda_for(request.user) if primary_role(request.user) == Role.CIO else None,
    }
    return render(request, "score/dashboard.html", context)


def _num(value):
    return "" if value is None else f"{value:.2f}"


def indicators_csv(request):
    window, days, unit = _scope(request)
    main = selectors.partnership_score(window, unit, with_units=False)["main"]
    scope = unit.slug if unit else "company"
    return csv_response(
        f"partnership-indicators-{scope}-{window.end}.csv",
        ["pillar", "indicator", "unit", "value", "target", "score", "contribution", "records", "window_start", "window_end"],
        [
            [row.pillar, row.label, row.unit, _num(row.value) if row.has_data else "no data", _num(row.target),
             _num(row.score), _num(row.contribution), row.records, window.start, window.end]
            for row in main.indicators
        ],
    )


def units_csv(request):
    window, days, unit = _scope(request)
    if not is_it_staff(request.user):
        raise PermissionDenied("The unit comparison is for IT staff and the CIO.")
    units = selectors.partnership_score(window, None)["units"]
    return csv_response(
        f"partnership-units-{window.end}.csv",
        ["business_unit", "score", "band", *[f"pillar_{p}" for p in Pillar.ALL]],
        [[s.business_unit.name, _num(s.overall), s.band, *[_num(s.pillars.get(p)) for p in Pillar.ALL]] for s in units],
    )


def score_config(request):
    if not is_it_staff(request.user):
        raise PermissionDenied("The score's settings are for IT staff and the CIO.")
    config = selectors.current_config()
    form = ScoreConfigForm(request.POST or None, config=config)
    if request.method == "POST":
        if not is_cio(request.user):
            raise PermissionDenied("Only the CIO changes the weights and targets.")
        done = pages.submit(
            request,
            form,
            lambda data: services.score_config_create(
                actor=request.user, weights=form.weights(), targets=form.targets(), note=data["note"]
            ),
            success=lambda new: f"Weights and targets saved as version {new.version}.",
            to="score-config",
        )
        if done:
            return done
    versions = ScoreConfig.objects.for_user(request.user).select_related("created_by")[:20]
    return render(request, "score/config.html", {"form": form, "versions": versions, "config": config,
                                                  "can_edit": is_cio(request.user)})


def pulse(request):
    if not is_business_manager(request.user):
        raise PermissionDenied("The business pulse is answered by business managers.")
    quarter = selectors.quarter_of(timezone.localdate())
    answered = request.user.pulse_responses.filter(quarter=quarter).first()
    form = PulseForm(request.POST or None)
    if answered is None:
        done = pages.submit(
            request,
            form,
            lambda data: services.pulse_respond(respondent=request.user, **data),
            success="Thank you: your answer helps IT become a better partner.",
            to="pulse",
        )
        if done:
            return done
    return render(request, "score/pulse.html", {"form": form, "quarter": quarter, "answered": answered})
