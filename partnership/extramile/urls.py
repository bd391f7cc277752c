"""Pages of "Take the extra mile", included under /extra-mile/."""

from django.urls import path

from . import views

app_name = "extramile"

urlpatterns = [
    path("", views.index, name="index"),
    path("actions/", views.action_list, name="action-list"),
    path("actions/mine/", views.my_actions, name="my-actions"),
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/rate/", views.action_rate, name="action-rate"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action-complete"),
    path("for-us/", views.for_us, name="for-us"),
    path("suggestions/", views.suggestion_list, name="suggestion-list"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion-detail"),
    path("suggestions/<int:pk>/accept/", views.suggestion_accept, name="suggestion-accept"),
    path("suggestions/<int:pk>/dismiss/", views.suggestion_dismiss, name="suggestion-dismiss"),
    path("maintenance/", views.window_list, name="window-list"),
    path("maintenance/new/", views.window_create, name="window-create"),
    path("maintenance/<int:pk>/", views.window_detail, name="window-detail"),
    path("check-ins/", views.check_in_list, name="checkin-list"),
    path("check-ins/<int:pk>/", views.check_in_detail, name="checkin-detail"),
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
]
