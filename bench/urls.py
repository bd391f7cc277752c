"""The portal's URLs plus the bare floor view of the API list benchmark (only used by bench/run.py)."""

from django.http import HttpResponseForbidden, JsonResponse
from django.urls import path

from listening.models import PainPoint
from partnership.urls import urlpatterns as portal_urlpatterns

# The columns the API list returns (the serializer also adds links, names and per-user flags).
FIELDS = [
    "id", "title", "description", "business_unit_id", "business_unit__name", "category", "severity",
    "people_affected", "hours_lost_per_week", "confidential", "status", "source", "source_system",
    "external_ref", "listening_session_id", "submitted_by_id", "merged_into_id", "decline_reason",
    "plan_note", "ack_due_on", "acknowledged_at", "status_changed_at", "created_at", "updated_at",
]


def bare_pain_points(request):
    """The floor: the same page of rows through values(), no pagination count, no serializer."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    rows = PainPoint.objects.filter(business_unit_id=request.GET["business_unit"]).order_by("-created_at", "-id")
    return JsonResponse({"results": list(rows.values(*FIELDS)[: int(request.GET.get("page_size", 50))])})


urlpatterns = [path("bench/bare-pain-points/", bare_pain_points), *portal_urlpatterns]
