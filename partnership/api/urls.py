from django.urls import path
from rest_framework.routers import SimpleRouter

from ..score import api as score_api
from . import views

router = SimpleRouter()
router.register("business-units", views.BusinessUnitViewSet, basename="business-unit")
router.register("tokens", views.ApiTokenViewSet, basename="api-token")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("notification-preferences", views.NotificationPreferenceViewSet, basename="notification-preference")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("me/agenda/", views.AgendaView.as_view(), name="api-me-agenda"),
    path("score/", score_api.ScoreView.as_view(), name="api-score"),
    path("score/history/", score_api.ScoreHistoryView.as_view(), name="api-score-history"),
    path("score/config/", score_api.ScoreConfigView.as_view(), name="api-score-config"),
    *router.urls,
]
