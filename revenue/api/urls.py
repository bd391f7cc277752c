from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("revenue-projects", views.RevenueProjectViewSet, basename="revenue-project")
router.register("revenue-entries", views.RevenueEntryViewSet, basename="revenue-entry")

urlpatterns = router.urls
