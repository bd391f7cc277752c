"""The login page; a locked-out sign-in (partnership/security.py) shows why, with a 429."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS

from .security import lockout_message


class PortalAuthenticationForm(AuthenticationForm):
    def get_invalid_login_error(self):
        # Set by django-axes when this try was refused or reached a limit.
        if getattr(self.request, "axes_locked_out", False):
            credentials = {"username": self.cleaned_data.get("username")}
            return forms.ValidationError(lockout_message(self.request, credentials), code="throttled")
        return super().get_invalid_login_error()


class PortalLoginView(LoginView):
    form_class = PortalAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
        return response
