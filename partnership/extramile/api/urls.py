"""Extra-mile endpoints, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("extra-mile-actions", views.ExtraMileActionViewSet, basename="extra-mile-action")
router.register("maintenance-windows", views.MaintenanceWindowViewSet, basename="maintenance-window")
router.register("check-ins", views.CheckInViewSet, basename="check-in")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("extra-mile-suggestions", views.SuggestionViewSet, basename="extra-mile-suggestion")

urlpatterns = router.urls
