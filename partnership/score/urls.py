from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/indicators.csv", views.indicators_csv, name="dashboard-indicators-csv"),
    path("dashboard/units.csv", views.units_csv, name="dashboard-units-csv"),
    path("dashboard/settings/", views.score_config, name="score-config"),
    path("pulse/", views.pulse, name="pulse"),
]
