from django.urls import path

from . import views

app_name = "listening"

urlpatterns = [
    path("", views.index, name="index"),
]
