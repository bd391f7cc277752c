from django.urls import path

from . import views

app_name = "listening"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.pain_point_create, name="create"),
    path("similar/", views.similar, name="similar"),
    path("triage/", views.triage, name="triage"),
    path("coverage/", views.coverage, name="coverage"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("<int:pk>/", views.pain_point_detail, name="detail"),
    path("<int:pk>/edit/", views.pain_point_edit, name="edit"),
    path("<int:pk>/evaluation/", views.evaluation_edit, name="evaluation"),
    path("<int:pk>/vote/", views.pain_point_vote, name="vote"),
    path("<int:pk>/unvote/", views.pain_point_unvote, name="unvote"),
    path("<int:pk>/watch/", views.pain_point_watch, name="watch"),
    path("<int:pk>/unwatch/", views.pain_point_unwatch, name="unwatch"),
    path("<int:pk>/comment/", views.pain_point_comment, name="comment"),
    path("<int:pk>/<slug:action>/", views.pain_point_transition, name="transition"),
]
