from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("initiative-risks", views.RiskViewSet, basename="initiative-risk")
router.register("initiative-milestones", views.MilestoneViewSet, basename="initiative-milestone")

urlpatterns = router.urls
