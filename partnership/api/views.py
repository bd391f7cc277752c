"""API views of the partnership app."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..models import ApiToken, BusinessUnit, Notification
from .base import ForUserQuerysetMixin, PortalReadOnlyViewSet
from .serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    BusinessUnitSerializer,
    MarkedReadSerializer,
    MeSerializer,
    NotificationSerializer,
)


class MeView(APIView):
    """The signed-in user, their business unit and role."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class BusinessUnitViewSet(PortalReadOnlyViewSet):
    queryset = BusinessUnit.objects.all()
    serializer_class = BusinessUnitSerializer
    filterset_fields = ["is_active", "slug"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "id"]


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
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

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

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request, pk=None):
        count = services.notification_mark_read(user=request.user, notification=self.get_object())
        return Response({"marked_read": count})

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="mark-all-read")
    def mark_all_read(self, request):
        return Response({"marked_read": services.notification_mark_read(user=request.user)})
