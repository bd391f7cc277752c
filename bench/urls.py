"""The portal's URLs plus the bare floor views of the benchmarks (only used by bench/run.py).

Each floor goes through the same Django stack as the portal (middleware, session, login) and
returns the same numbers as JSON, with nothing the portal adds on top: no REST framework, no
template, no per-row serializer.
"""

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseForbidden, JsonResponse
from django.urls import path
from django.utils import timezone

from listening.models import PainPoint, Vote, Watch
from partnership.score import rollup, selectors
from partnership.score.registry import Window
from partnership.urls import urlpatterns as portal_urlpatterns

# The columns the API list returns (the serializer also adds links, names and per-user flags).
FIELDS = [
    "id", "title", "description", "business_unit_id", "business_unit__name", "category", "severity",
    "people_affected", "hours_lost_per_week", "confidential", "status", "source", "source_system",
    "external_ref", "listening_session_id", "submitted_by_id", "merged_into_id", "decline_reason",
    "plan_note", "ack_due_on", "acknowledged_at", "status_changed_at", "created_at", "updated_at",
]


def bare_pain_points(request):
    """The floor: the same page of rows (the same columns, names, vote count and the caller's
    vote and watch) through values(); no count, no filter form, no serializer."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    votes = Vote.objects.filter(pain_point=OuterRef("pk")).order_by().values("pain_point")
    rows = (
        PainPoint.objects.filter(business_unit_id=request.GET["business_unit"])
        .order_by("-created_at", "-id")
        .values(
            *FIELDS, "submitted_by__first_name", "submitted_by__last_name", "submitted_by__username",
            vote_count=Coalesce(Subquery(votes.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)),
            has_voted=Exists(Vote.objects.filter(pain_point=OuterRef("pk"), user_id=request.user.pk)),
            is_watching=Exists(Watch.objects.filter(pain_point=OuterRef("pk"), user_id=request.user.pk)),
        )
    )
    return JsonResponse({"results": list(rows[: int(request.GET.get("page_size", 50))])})


def _rollup_numbers(window):
    """Read the beat task's rollup, and the units and configuration by raw SQL: the body of
    GET /api/v1/score/ (the same keys and numbers), built by hand."""
    entry = rollup.score_rollup_entry(window)
    assert entry is not None, "the rollup must be fresh"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM partnership_scoreconfig ORDER BY version DESC LIMIT 1")
        version = cursor.fetchone()
        cursor.execute("SELECT id, slug FROM partnership_businessunit WHERE is_active ORDER BY name")
        units = cursor.fetchall()
    scopes = entry["scopes"]
    body = [
        {
            "business_unit": slug,
            "overall": scopes[pk].overall,
            "band": scopes[pk].band,
            "pillars": scopes[pk].pillars,
            "indicators": [
                {"key": i.key, "pillar": i.pillar, "label": i.label, "unit": i.unit, "direction": i.direction,
                 "target": i.target, "value": i.value, "score": i.score, "contribution": i.contribution,
                 "records": i.records, "url": i.url}
                for i in scopes[pk].indicators
            ],
        }
        for pk, slug in [(None, None), *units]
    ]
    return {"window_start": window.start, "window_end": window.end, "config_version": version[0] if version else None,
            "score": body[0], "business_units": body[1:]}


def _window(request):
    return Window.last_days(int(request.GET.get("window", 90)), timezone.localdate())


def bare_score(request):
    """The floor of GET /api/v1/score/: the rollup's scores of the company and every unit."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    return JsonResponse(_rollup_numbers(_window(request)))


def bare_dashboard(request):
    """The floor of the dashboard: the same reads (rollup, history, pulse, what changed,
    attention), returned as JSON instead of a page."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    window = _window(request)
    history = selectors.score_history(None, window_days=90).values_list("date", "overall")
    changed = selectors.what_changed(None, window_days=90, days=30)
    return JsonResponse({
        "score": _rollup_numbers(window),
        "history": [[day.isoformat(), overall] for day, overall in history],
        "pulse": selectors.pulse_summary(window, None),
        "changed": changed["moves"] if changed else [],
        "attention": [[a["key"], a["count"]] for a in selectors.attention_items(request.user, None)],
    })


urlpatterns = [
    path("bench/bare-pain-points/", bare_pain_points),
    path("bench/bare-score/", bare_score),
    path("bench/bare-dashboard/", bare_dashboard),
    *portal_urlpatterns,
]
