from django.urls import path

from . import views

app_name = "revenue"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("projects/<int:pk>/advance/", views.project_advance, name="project-advance"),
    path("projects/<int:pk>/accept/", views.project_accept, name="project-accept"),
    path("projects/<int:pk>/abandon/", views.project_abandon, name="project-abandon"),
    path("projects/<int:pk>/entries/", views.entry_add, name="entry-add"),
    path("entries/", views.entry_list, name="entry-list"),
    path("entries/export.csv", views.entry_export, name="entry-export"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry-delete"),
]
