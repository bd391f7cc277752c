from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("webhook-subscriptions", views.WebhookSubscriptionViewSet, basename="webhook-subscription")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook-delivery")
router.register("parked-tickets", views.ParkedTicketViewSet, basename="parked-ticket")

urlpatterns = [
    path("integrations/<str:source>/webhook/", views.InboundWebhookView.as_view(), name="api-integration-webhook"),
    *router.urls,
]
