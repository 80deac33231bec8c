"""Logins to the back-office: locked for a while after repeated failures, per account and
per address, so that passwords cannot be guessed by trying."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rencontres import ratelimit


class LockoutAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _("Too many failed logins. Try again in 15 minutes."),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = ratelimit.client_ip(self.request) if self.request else ""
        if ratelimit.exceeded("login-user", username) or ratelimit.exceeded("login-ip", address):
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except ValidationError:
            ratelimit.allow("login-user", username)
            ratelimit.allow("login-ip", address)
            raise
