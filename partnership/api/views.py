"""API views of the partnership app."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import delivered as deliveries
from .. import services
from ..agenda import agenda_for
from ..forms import DeliveredPeriodForm
from ..models import ApiToken, BusinessUnit
from ..notifications.models import Notification
from ..notifications.selectors import preference_for, preferences_for
from ..notifications.services import notification_mark_read, notification_preference_set
from ..visibility import hide_unseeable
from .base import ForUserQuerysetMixin, PortalReadOnlyViewSet, holding_a_secret
from .serializers import (
    AgendaSerializer,
    ApiTokenCreatedSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    BusinessUnitSerializer,
    DeliveredSerializer,
    DeliveredSourcePageSerializer,
    MarkedReadSerializer,
    MeSerializer,
    NotificationPreferenceSerializer,
    NotificationPreferenceUpdateSerializer,
    NotificationSerializer,
)


class MeView(APIView):
    """The signed-in user, their business unit and role."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class AgendaView(APIView):
    """What waits for you, newest first: the list of your home page.

    Business managers: their pain points that changed since their last visit, decisions waiting
    for their position, extra-mile actions to confirm and rate, surveys, check-ins and the pulse to
    answer, their action items, their unit's score and its change. IT staff: the triage count,
    overdue acknowledgements, the analyses and milestones they own, overdue check-ins of their
    windows, their positions and action items. The CIO: initiatives waiting for approval or for a
    risk acceptance, the attention list and their action items. Reading it does not start a new
    visit: "since" is the last visit of the home page.
    """

    @extend_schema(responses=AgendaSerializer)
    def get(self, request):
        since = request.user.previous_home_visited_at
        return Response(AgendaSerializer({"since": since, "items": agenda_for(request.user, since=since)}).data)


class BusinessUnitViewSet(PortalReadOnlyViewSet):
    queryset = BusinessUnit.objects.all()
    serializer_class = BusinessUnitSerializer
    filterset_fields = ["is_active", "slug"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]

    @extend_schema(
        parameters=[
            OpenApiParameter("days", int, description="The last N days: 30, 90 (the default), 180 or 365."),
            OpenApiParameter("start", str, description="Or a first day (YYYY-MM-DD), with `end`."),
            OpenApiParameter("end", str, description="The last day (YYYY-MM-DD), with `start`."),
            OpenApiParameter(
                "source", str, description="One part's key: every entry of it, a page at a time (answer: DeliveredSourcePage)."
            ),
            OpenApiParameter("page", int, description="With `source`: the page number."),
        ],
        responses={200: DeliveredSerializer},
    )
    @action(detail=True, methods=["get"])
    def delivered(self, request, pk=None):
        """What IT delivered for this unit in the period, and what is coming: the page
        “What IT delivered for <unit>”, entry for entry. IT and the CIO ask about any unit; a
        business manager about their own (403 for another)."""
        unit = self.get_object()
        if not deliveries.may_read(request.user, unit):
            raise PermissionDenied(deliveries.REFUSED)
        form = DeliveredPeriodForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        period = form.period()
        key = request.query_params.get("source")
        if key:
            source = deliveries.source_named(key)
            if source is None:
                raise ValidationError({"source": f"Choose one of: {', '.join(s.key for s in deliveries.delivered_sources())}."})
            page, entries = deliveries.delivered_page(request.user, unit, period, source, request.query_params.get("page"))
            data = {
                "business_unit": unit, "start": period.start, "end": period.end, "source": source.key,
                "heading": source.heading, "count": page.paginator.count, "page": page.number,
                "pages": page.paginator.num_pages, "entries": entries,
            }
            return Response(DeliveredSourcePageSerializer(data).data)
        found = deliveries.delivered_for(request.user, unit, period)
        data = {
            "business_unit": unit,
            "start": period.start,
            "end": period.end,
            "page": unit.get_delivered_url(),
            "sections": [
                {"key": name, "title": title, "sources": found[name]} for name, title in deliveries.SECTIONS.items()
            ],
        }
        return Response(DeliveredSerializer(data).data)


class ApiTokenViewSet(
    ForUserQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Your API tokens. A new token's key is returned once, at creation."""

    queryset = ApiToken.objects.all()
    serializer_class = ApiTokenSerializer
    ordering_fields = ["created_at", "name"]

    def get_queryset(self):
        return super().get_queryset().filter(user=self.request.user)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request):
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.api_token_create(user=request.user, **serializer.validated_data)
        token.key = key
        return holding_a_secret(Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED))

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = services.api_token_revoke(token=self.get_object())
        return Response(ApiTokenSerializer(token).data)


class NotificationViewSet(PortalReadOnlyViewSet):
    """Your in-app notifications, newest first."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        queryset = super().get_queryset()
        unread = self.request.query_params.get("unread")
        if unread in ("true", "1"):
            queryset = queryset.unread()
        return queryset

    # An entry whose object the reader may no longer see is sent without its title, body or link.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else hide_unseeable(self.request.user, page)

    def get_object(self):
        return hide_unseeable(self.request.user, [super().get_object()])[0]

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request, pk=None):
        count = notification_mark_read(user=request.user, notification=self.get_object())
        return Response({"marked_read": count})

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="mark-all-read")
    def mark_all_read(self, request):
        return Response({"marked_read": notification_mark_read(user=request.user)})


KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, pattern=r"^[\w.\-]+$", description="A reminder kind, e.g. `listening.ack_overdue`."
)


class NotificationPreferenceViewSet(viewsets.GenericViewSet):
    """Your channel for each kind of reminder: `in_app`, `email` (right away) or `digest` (daily).

    Every registered kind is listed, with its default channel until you choose one.
    """

    serializer_class = NotificationPreferenceSerializer
    pagination_class = None
    filter_backends = []
    lookup_field = "kind"
    lookup_value_regex = r"[\w.\-]+"
    http_method_names = ["get", "put", "patch", "head", "options"]

    def list(self, request):
        return Response(self.get_serializer(preferences_for(request.user), many=True).data)

    @extend_schema(parameters=[KIND_PARAMETER])
    def retrieve(self, request, kind=None):
        return Response(self.get_serializer(self._preference(kind)).data)

    @extend_schema(
        parameters=[KIND_PARAMETER], request=NotificationPreferenceUpdateSerializer, responses=NotificationPreferenceSerializer
    )
    def update(self, request, kind=None):
        self._preference(kind)
        serializer = NotificationPreferenceUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notification_preference_set(user=request.user, kind=kind, channel=serializer.validated_data["channel"], actor=request.user)
        return Response(self.get_serializer(self._preference(kind)).data)

    @extend_schema(
        parameters=[KIND_PARAMETER], request=NotificationPreferenceUpdateSerializer, responses=NotificationPreferenceSerializer
    )
    def partial_update(self, request, kind=None):
        return self.update(request, kind=kind)

    def get_object(self):
        # OPTIONS describes a kind through it (DRF's metadata asks for the object).
        return self._preference(self.kwargs[self.lookup_field])

    def _preference(self, kind):
        preference = preference_for(self.request.user, kind)
        if preference is None:
            raise NotFound("There is no such reminder kind.")
        return preference
