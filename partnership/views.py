"""Pages of the partnership app: the home page per role and the profile."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import delivered as deliveries
from . import pages, services
from .agenda import agenda_for
from .forms import ApiTokenForm, DeliveredPeriodForm, NotificationPreferencesForm
from .models import ApiToken, BusinessUnit
from .notifications.models import Notification
from .notifications.selectors import preferences_for
from .notifications.services import notification_mark_read, notification_preference_set
from .roles import Role, is_it_staff, primary_role
from .visibility import hide_unseeable

HOME_TEMPLATES = {
    Role.IT_STAFF: "partnership/home_it.html",
    Role.BUSINESS_MANAGER: "partnership/home_business.html",
    Role.INTEGRATION_CLIENT: "partnership/home_integration.html",
}


def home(request):
    """Each role lands on the page that leads to what that role does, with what waits for them
    (partnership/agenda.py); the CIO's is the dashboard."""
    since = services.home_visit_record(user=request.user)
    if primary_role(request.user) == Role.CIO:
        return redirect("dashboard")
    template = HOME_TEMPLATES.get(primary_role(request.user), "partnership/home_none.html")
    return render(request, template, {"agenda": agenda_for(request.user, since=since), "since": since})


def _profile(request, *, form=None, new_key=None, status=200):
    tokens = ApiToken.objects.for_user(request.user).filter(user=request.user)
    return render(
        request,
        "partnership/profile.html",
        {"tokens": tokens, "form": form or ApiTokenForm(), "new_key": new_key},
        status=status,
    )


def profile(request):
    return _profile(request)


@require_POST
def token_create(request):
    """A new token's key is shown once, in this answer, and kept nowhere in clear (not even in
    the session: the answer is `no-store`, so neither the browser nor a proxy keeps it)."""
    form = ApiTokenForm(request.POST)
    done, created = pages.attempt(form, lambda data: services.api_token_create(user=request.user, **data))
    if not done:
        return _profile(request, form=form, status=400)
    token, key = created
    messages.success(request, f"Token “{token.name}” created. Copy it now: it will not be shown again.")
    return _profile(request, new_key=key)


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.for_user(request.user).filter(user=request.user), pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("profile")


def inbox(request):
    notifications = Notification.objects.for_user(request.user)
    if request.GET.get("show") == "unread":
        notifications = notifications.unread()
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    page.object_list = hide_unseeable(request.user, page.object_list)
    return render(request, "partnership/inbox.html", {"page_obj": page, "show": request.GET.get("show", "all")})


@require_POST
def notification_open(request, pk):
    """Mark a notification read and go to the object it is about."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    [notification] = hide_unseeable(request.user, [notification])
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("inbox")


@require_POST
def notification_mark_all_read(request):
    count = notification_mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("inbox")


def notification_preferences(request):
    """How the user receives each kind of reminder: in the app only, e-mail too, or a daily digest."""
    preferences = preferences_for(request.user)
    form = NotificationPreferencesForm(request.POST or None, preferences=preferences)
    if request.method == "POST":
        if form.is_valid():
            for kind, channel in form.changed_channels().items():
                notification_preference_set(user=request.user, kind=kind, channel=channel, actor=request.user)
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notification-preferences")
        status = 400
    else:
        status = 200
    return render(request, "partnership/notification_preferences.html", {"form": form}, status=status)


def delivered(request, slug=None):
    """What IT delivered for a unit, and what is coming (partnership/delivered.py).

    A business manager reads their own unit's page; IT and the CIO choose a unit. `?source=<key>`
    lists every entry of one section ("see all"), a page at a time."""
    user = request.user
    if slug is None and not is_it_staff(user):
        if user.business_unit_id is None or not deliveries.may_read(user, user.business_unit):
            raise PermissionDenied(deliveries.REFUSED)
        return redirect("delivered-unit", slug=user.business_unit.slug)
    form = DeliveredPeriodForm(request.GET)
    valid = form.is_valid()
    period = form.period() if valid else deliveries.Period.last_days(deliveries.DEFAULT_DAYS)
    query = urlencode({k: v for k, v in request.GET.items() if k in form.fields and v and valid})
    if slug is None:  # IT without a unit yet: the chooser
        chosen = request.GET.get("unit")
        if chosen:
            unit = get_object_or_404(BusinessUnit.objects.for_user(user), slug=chosen)
            return redirect(f"{unit.get_delivered_url()}{'?' + query if query else ''}")
        context = {"units": BusinessUnit.objects.for_user(user).filter(is_active=True), "unit": None}
        return render(request, "partnership/delivered.html", context)
    unit = get_object_or_404(BusinessUnit.objects.for_user(user), slug=slug)
    if not deliveries.may_read(user, unit):
        raise PermissionDenied(deliveries.REFUSED)
    context = {
        "unit": unit,
        "form": form,
        "period": period,
        "query": query,
        "units": BusinessUnit.objects.for_user(user).filter(is_active=True) if is_it_staff(user) else (),
    }
    key = request.GET.get("source")
    if key:
        source = deliveries.source_named(key)
        if source is None:
            raise Http404("No such section.")
        page, entries = deliveries.delivered_page(user, unit, period, source, request.GET.get("page"))
        context.update(source=source, page_obj=page, entries=entries)
    else:
        found = deliveries.delivered_for(user, unit, period)
        context["sections"] = [(name, title, found[name]) for name, title in deliveries.SECTIONS.items()]
    return render(request, "partnership/delivered.html", context, status=200 if valid else 400)


security_log = logging.getLogger("portal.security")


def permission_denied(request, exception=None):
    """handler403: the friendly 403 page, and a security event naming who was refused what."""
    user = getattr(request, "user", None)
    username = user.get_username() if getattr(user, "is_authenticated", False) else "anonymous"
    # %r: a path is user input, and a newline in it must not forge a second log line.
    security_log.warning("permission denied: %s %r by %s: %s", request.method, request.path, username, exception or "")
    return render(request, "403.html", {"exception": str(exception or "")}, status=403)
