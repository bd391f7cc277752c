from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("business-units", views.BusinessUnitViewSet, basename="business-unit")
router.register("tokens", views.ApiTokenViewSet, basename="api-token")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    *router.urls,
]
