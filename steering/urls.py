from django.urls import path

from . import views

app_name = "steering"

urlpatterns = [
    path("", views.index, name="index"),
]
