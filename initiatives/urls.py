from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.initiative_create, name="create"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/comment/", views.initiative_comment, name="comment"),
    path("<int:pk>/confirm-business-case/", views.confirm_business_case, name="confirm-business-case"),
    path("<int:pk>/accept-risk/", views.accept_risk, name="accept-risk"),
    path("<int:pk>/review-benefits/", views.review_benefits, name="review-benefits"),
    path("<int:pk>/risks/new/", views.risk_edit, name="risk-create"),
    path("<int:pk>/risks/<int:risk_pk>/edit/", views.risk_edit, name="risk-edit"),
    path("<int:pk>/risks/<int:risk_pk>/delete/", views.risk_delete, name="risk-delete"),
    path("<int:pk>/milestones/new/", views.milestone_edit, name="milestone-create"),
    path("<int:pk>/milestones/<int:milestone_pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("<int:pk>/milestones/<int:milestone_pk>/done/", views.milestone_done, name="milestone-done"),
    path("<int:pk>/milestones/<int:milestone_pk>/delete/", views.milestone_delete, name="milestone-delete"),
    path("<int:pk>/benefits/new/", views.benefit_create, name="benefit-create"),
    path("<int:pk>/benefits/<int:benefit_pk>/delete/", views.benefit_delete, name="benefit-delete"),
    path("<int:pk>/<slug:action>/", views.initiative_transition, name="transition"),
]
