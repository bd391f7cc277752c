from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("needs-a-unit/", views.parked_tickets, name="parked-tickets"),
    path("needs-a-unit/<int:pk>/assign/", views.parked_ticket_assign, name="parked-ticket-assign"),
]
