from django.urls import path

from . import views

app_name = "steering"

urlpatterns = [
    path("", views.index, name="index"),
    path("committees/", views.committee_list, name="committee-list"),
    path("committees/new/", views.committee_create, name="committee-create"),
    path("committees/<int:pk>/", views.committee_detail, name="committee-detail"),
    path("committees/<int:pk>/edit/", views.committee_edit, name="committee-edit"),
    path("committees/<int:pk>/members/", views.member_add, name="member-add"),
    path("committees/<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("committees/<int:pk>/decisions/new/", views.decision_create, name="decision-create"),
    path("members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance-record"),
    path("meetings/<int:pk>/minutes/", views.minutes_record, name="minutes-record"),
    path("meetings/<int:pk>/action-items/", views.action_item_create, name="action-item-create"),
    path("action-items/", views.action_item_list, name="action-item-list"),
    path("action-items/<int:pk>/done/", views.action_item_done, name="action-item-done"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision-edit"),
    path("decisions/<int:pk>/position/", views.decision_position, name="decision-position"),
    path("decisions/<int:pk>/close/", views.decision_close, name="decision-close"),
    path("events/", views.event_list, name="event-list"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/register/", views.event_register, name="event-register"),
    path("events/<int:pk>/unregister/", views.event_unregister, name="event-unregister"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event-attendance"),
    path("events/<int:pk>/rate/", views.event_rate, name="event-rate"),
]
