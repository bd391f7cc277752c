"""API views of the integration: the inbound webhook, webhook subscriptions and their deliveries."""

import django_filters
from django.db.models import Count, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from partnership.api.base import PortalModelViewSet, PortalReadOnlyViewSet, holding_a_secret
from partnership.api.errors import ErrorSerializer
from partnership.audit import Channel, changed_via

from .. import permissions, services, subscriptions
from ..choices import DeliveryStatus
from ..models import InboundTicket, WebhookDelivery, WebhookSubscription
from .serializers import (
    TICKET_WEBHOOK,
    InboundResultSerializer,
    ParkedTicketAssignedSerializer,
    ParkedTicketAssignSerializer,
    ParkedTicketSerializer,
    RedeliveredSerializer,
    RedeliverSinceSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionSecretSerializer,
    WebhookSubscriptionSerializer,
)


def _header(name, description):
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False, description=description)


WEBHOOK_HEADERS = [
    _header("X-Hub-Signature", "Jira: `sha256=<hex HMAC-SHA256(secret, body)>`."),
    _header("X-Atlassian-Webhook-Identifier", "Jira: the delivery id (replays are answered 200 and ignored)."),
    _header("X-Zendesk-Webhook-Signature", "Zendesk: base64(HMAC-SHA256(secret, timestamp + body))."),
    _header("X-Zendesk-Webhook-Signature-Timestamp", "Zendesk: the signed timestamp (at most 5 minutes off)."),
    _header("X-ServiceNow-Signature", "ServiceNow: `sha256=<hex HMAC-SHA256(secret, timestamp + \".\" + body)>`."),
    _header("X-ServiceNow-Timestamp", "ServiceNow: Unix seconds (at most 5 minutes off)."),
    _header("X-ServiceNow-Delivery", "ServiceNow: a unique delivery id (optional)."),
    _header("webhook-id", "Generic (Standard Webhooks): the delivery id."),
    _header("webhook-timestamp", "Generic: Unix seconds (at most 5 minutes off)."),
    _header("webhook-signature", "Generic: `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`."),
]


class InboundWebhookView(APIView):
    """A ticketing system's signed delivery: creates or updates the ticket's pain point."""

    authentication_classes = []  # the signature authenticates the sender
    permission_classes = [AllowAny]
    idempotency_exempt = True  # de-duplicated by delivery id instead
    rate_limit_exempt = True  # never 429: a ticketing system does not retry a 4xx (docs/integration.md, Limits)

    @extend_schema(
        operation_id="integrations_webhook_receive",
        summary="Receive a ticketing system's webhook",
        description=(
            "`{source}` is an integration source configured by an admin (`manage.py integration_source add`). "
            "The body is the source's own format (Jira, Zendesk, ServiceNow or the generic format), signed as "
            "the manual's integration guide (docs/integration.md) describes. The answer comes once the pain point is saved: 201 created, 200 "
            "updated, unchanged, commented (the pain point is closed, declined or merged: the change became a comment), "
            "stale (not newer than the update applied, by the ticket's own updated time), ignored (not a ticket event) "
            "or replay (a delivery id seen before); 202 parked (accepted, but its business unit cannot be told: it waits "
            "for IT). A bad signature or a stale timestamp answers 401, an unknown or disabled source 404, malformed "
            "JSON, a missing field or a reference longer than 200 characters 400."
        ),
        auth=[],
        parameters=[
            OpenApiParameter("source", OpenApiTypes.STR, OpenApiParameter.PATH, description="The source's name."),
            *WEBHOOK_HEADERS,
        ],
        request=TICKET_WEBHOOK,
        responses={
            200: OpenApiResponse(InboundResultSerializer, description="Updated, unchanged, ignored or a replay."),
            201: OpenApiResponse(InboundResultSerializer, description="A pain point was created for the ticket."),
            202: OpenApiResponse(InboundResultSerializer, description="Parked: accepted, waiting for IT to assign a unit."),
            409: OpenApiResponse(ErrorSerializer, description="Concurrent deliveries kept changing the ticket; retry."),
        },
        tags=["integrations"],
    )
    def post(self, request, source):
        with changed_via(Channel.INTEGRATION, source):
            outcome = services.inbound_delivery_receive(source_name=source, headers=request.headers, body=request.body)
        return Response(outcome.as_body(), status=outcome.status_code)


class WebhookSubscriptionViewSet(PortalModelViewSet):
    """Outbound webhooks: each subscription receives a signed POST (Standard Webhooks) per event.
    IT staff and integration clients manage their own subscriptions."""

    queryset = WebhookSubscription.objects.select_related("owner").annotate(
        held_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.HELD))
    )
    serializer_class = WebhookSubscriptionSerializer
    filterset_fields = ["enabled"]
    search_fields = ["url", "description"]
    ordering_fields = ["created_at", "url"]
    ordering = ["-created_at", "-id"]

    @extend_schema(request=WebhookSubscriptionSerializer, responses={201: WebhookSubscriptionSecretSerializer})
    def create(self, request, *args, **kwargs):
        if not permissions.can_subscribe(request.user):
            raise PermissionDenied("Only IT staff and integration clients can subscribe to webhooks.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "send_held"}
        subscription = subscriptions.webhook_subscription_create(owner=request.user, **fields)
        return holding_a_secret(
            Response(WebhookSubscriptionSecretSerializer(subscription).data, status=status.HTTP_201_CREATED)
        )

    def partial_update(self, request, *args, **kwargs):
        subscription = self.get_object()
        serializer = self.get_serializer(subscription, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        subscription = subscriptions.webhook_subscription_update(
            subscription=subscription, actor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(subscription).data)

    def destroy(self, request, *args, **kwargs):
        subscriptions.webhook_subscription_delete(subscription=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=WebhookSubscriptionSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        subscription = subscriptions.webhook_subscription_rotate_secret(subscription=self.get_object(), actor=request.user)
        return holding_a_secret(Response(WebhookSubscriptionSecretSerializer(subscription).data))

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        delivery = subscriptions.webhook_subscription_ping(subscription=self.get_object(), actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=RedeliverSinceSerializer,
        responses={202: RedeliveredSerializer},
        description="Send again every failed delivery created at or after `since`, oldest first (at most 1,000 a "
        "call: `more` says when to call again). The subscription must be enabled.",
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        subscription = self.get_object()
        serializer = RedeliverSinceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = subscriptions.webhook_subscription_redeliver(
            subscription=subscription, actor=request.user, since=serializer.validated_data["since"]
        )
        return Response(RedeliveredSerializer(result).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryFilter(django_filters.FilterSet):
    # A plain number, not a choice among every subscription: ids of others' stay unconfirmed.
    subscription = django_filters.NumberFilter(field_name="subscription_id")

    class Meta:
        model = WebhookDelivery
        fields = ["subscription", "status", "event"]


class WebhookDeliveryViewSet(PortalReadOnlyViewSet):
    """The delivery log of your subscriptions: status, response code and attempts."""

    queryset = WebhookDelivery.objects.all()
    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilter
    ordering_fields = ["created_at", "attempts"]
    ordering = ["-created_at", "-id"]

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        description="Send this delivery again from its first attempt, under its own `webhook-id` (a failed one, or "
        "one the receiver lost). The subscription must be enabled; a pending delivery answers 400.",
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        delivery = subscriptions.webhook_delivery_redeliver(delivery=self.get_object(), actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class ParkedTicketViewSet(PortalReadOnlyViewSet):
    """IT's "needs a unit" queue: tickets accepted from a ticketing system whose business unit
    could not be told. `assign` gives one a unit, which makes its pain point."""

    queryset = InboundTicket.objects.parked().select_related("source", "parked_delivery")
    serializer_class = ParkedTicketSerializer
    filterset_fields = ["source__name"]
    ordering_fields = ["parked_at"]
    ordering = ["parked_at", "id"]

    @extend_schema(request=ParkedTicketAssignSerializer, responses=ParkedTicketAssignedSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Make the ticket a pain point of the unit given, from what its last delivery said (IT staff)."""
        data = request.data  # read first: a body too large answers 413 even once the ticket left the queue
        ticket = self.get_object()
        serializer = ParkedTicketAssignSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        pain_point = services.parked_ticket_assign(
            ticket=ticket, business_unit=serializer.validated_data["business_unit"], actor=request.user
        )
        return Response(ParkedTicketAssignedSerializer({"pain_point": pain_point.pk, "url": pain_point.get_absolute_url()}).data)
