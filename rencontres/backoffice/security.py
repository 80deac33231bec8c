"""Logins to the back-office: locked for a while after repeated failures, per account and
per address, so that passwords cannot be guessed by trying."""

import re

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rencontres import ratelimit


class LockoutMixin:
    """Locks after repeated failures, and asks organisers who set up an authenticator app
    for its current code."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed logins. Try again in 15 minutes."),
        "code": _("Enter the 6-digit code your authenticator app shows."),
    }
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        help_text=_("Organisers who set up two-factor authentication only."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = ratelimit.client_ip(self.request) if self.request else ""
        if ratelimit.exceeded("login-user", username) or ratelimit.exceeded("login-ip", address):
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            data = super().clean()
            device = confirmed_device(self.get_user())
            if device is not None:
                token = (self.cleaned_data.get("otp_token") or "").replace(" ", "")
                if not token or not device.verify_token(token):
                    raise ValidationError(self.error_messages["code"], code="code")
                # django-otp marks the session verified when the user logs in with it.
                self.user_cache.otp_device = device
            return data
        except ValidationError:
            ratelimit.allow("login-user", username)
            ratelimit.allow("login-ip", address)
            raise


class LockoutAuthenticationForm(LockoutMixin, AuthenticationForm):
    """The back-office login, for every member of the organising team."""

    error_messages = LockoutMixin.error_messages
    otp_token = LockoutMixin.otp_token


class AdminLockoutAuthenticationForm(LockoutMixin, AdminAuthenticationForm):
    """The admin's login, for staff accounts."""

    error_messages = {**AdminAuthenticationForm.error_messages, **LockoutMixin.error_messages}
    otp_token = LockoutMixin.otp_token


# Two-factor authentication ------------------------------------------------------------------


def needs_two_factor(user):
    """Organiser accounts: superusers and whoever is an organiser of an edition."""
    from .models import Membership

    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role=Membership.Role.ORGANISER).exists()
    )


def confirmed_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class TwoFactorMiddleware:
    """An organiser who has not confirmed their login with a code reaches no back-office or
    admin page: they are sent to set up their authenticator app, or to enter its code."""

    GUARDED = re.compile(r"^/(admin/|[a-z]{2}/(organiser|checkin)/)")
    OPEN = re.compile(r"^/(admin/(login|logout)/|[a-z]{2}/organiser/(two-factor|login|logout)/)")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.TWO_FACTOR_REQUIRED
            and user.is_authenticated
            and self.GUARDED.match(request.path)
            and not self.OPEN.match(request.path)
            and not user.is_verified()
            and needs_two_factor(user)
        ):
            return redirect_to_login(
                request.get_full_path(), reverse("backoffice:two_factor"), "next"
            )
        return self.get_response(request)
