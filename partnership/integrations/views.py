"""Pages of the integration: IT's "needs a unit" queue of parked tickets."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from ..models import BusinessUnit
from ..pages import submit
from ..roles import is_it_staff
from . import services
from .models import InboundTicket


class AssignUnitForm(forms.Form):
    business_unit = forms.ModelChoiceField(queryset=BusinessUnit.objects.filter(is_active=True), label="Business unit")


def _queue(request, *, failed=None, status=200):
    if not is_it_staff(request.user):
        raise PermissionDenied("Only IT staff can see the tickets that need a unit.")
    tickets = list(InboundTicket.objects.for_user(request.user).parked().select_related("source", "parked_delivery"))
    for ticket in tickets:
        ticket.form = failed[1] if failed and failed[0] == ticket.pk else AssignUnitForm(prefix=f"t{ticket.pk}")
    return render(request, "integrations/parked_tickets.html", {"tickets": tickets}, status=status)


def parked_tickets(request):
    """Tickets accepted from a ticketing system whose business unit could not be told."""
    return _queue(request)


@require_POST
def parked_ticket_assign(request, pk):
    if not is_it_staff(request.user):
        raise PermissionDenied("Only IT staff can assign a unit to a parked ticket.")
    ticket = get_object_or_404(InboundTicket.objects.for_user(request.user).parked(), pk=pk)
    form = AssignUnitForm(request.POST, prefix=f"t{ticket.pk}")
    done = submit(
        request,
        form,
        lambda data: services.parked_ticket_assign(ticket=ticket, business_unit=data["business_unit"], actor=request.user),
        success=lambda pain_point: f"Ticket {ticket.external_ref} is now a pain point of {pain_point.business_unit.name}.",
    )
    return done or _queue(request, failed=(ticket.pk, form), status=400)
