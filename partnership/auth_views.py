"""The login page, with throttling of repeated failures."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView

from .security import login_blocked


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username", "")
        if login_blocked(username, self.request):
            minutes = max(1, settings.PORTAL_LOGIN_COOLOFF_SECONDS // 60)
            raise forms.ValidationError(
                f"Too many failed attempts. Wait {minutes} minute{'s' if minutes != 1 else ''} and try again.",
                code="throttled",
            )
        return super().clean()


class PortalLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True
