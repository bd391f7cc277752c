from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("pain-points", views.PainPointViewSet, basename="pain-point")
router.register("listening-sessions", views.ListeningSessionViewSet, basename="listening-session")

urlpatterns = router.urls
