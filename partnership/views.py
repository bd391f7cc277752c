"""Pages of the partnership app: the home page per role and the profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiTokenForm
from .models import ApiToken
from .roles import Role, primary_role

HOME_TEMPLATES = {
    Role.CIO: "partnership/home_cio.html",
    Role.IT_STAFF: "partnership/home_it.html",
    Role.BUSINESS_MANAGER: "partnership/home_business.html",
    Role.INTEGRATION_CLIENT: "partnership/home_integration.html",
}


@login_required
def home(request):
    """Each role lands on the page that leads to what that role does."""
    template = HOME_TEMPLATES.get(primary_role(request.user), "partnership/home_none.html")
    return render(request, template)


@login_required
def profile(request):
    tokens = ApiToken.objects.for_user(request.user).filter(user=request.user)
    form = ApiTokenForm()
    new_key = request.session.pop("portal_new_token_key", None)
    return render(
        request,
        "partnership/profile.html",
        {"tokens": tokens, "form": form, "new_key": new_key},
    )


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        tokens = ApiToken.objects.for_user(request.user).filter(user=request.user)
        return render(request, "partnership/profile.html", {"tokens": tokens, "form": form}, status=400)
    token, key = services.api_token_create(user=request.user, **form.cleaned_data)
    # Shown once on the next page, never stored in clear.
    request.session["portal_new_token_key"] = key
    messages.success(request, f"Token “{token.name}” created. Copy it now: it will not be shown again.")
    return redirect("profile")


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.for_user(request.user).filter(user=request.user), pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("profile")
