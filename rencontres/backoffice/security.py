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
from rencontres.models import Membership


class LockoutMixin:
    """Locks after repeated failures, and asks organisers who set up an authenticator app
    for its current code.

    A wrong password and a right password with a wrong (or missing) code get the same
    message, by the same steps as far as they can be the same (the device is looked up by the
    name typed before the password is checked), so that a login never tells that a password
    was right: only a full login proves it."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct %(username)s, password and, if you set up an authenticator "
            "app, its current code. Note that the fields may be case-sensitive."
        ),
        "locked": _("Too many failed logins. Try again in 15 minutes."),
    }
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        help_text=_("Organisers who set up two-factor authentication only."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        typed = self.cleaned_data.get("username") or ""
        username = typed.strip().lower()
        address = ratelimit.client_ip(self.request) if self.request else ""
        if ratelimit.exceeded("login-user", username) or ratelimit.exceeded("login-ip", address):
            raise ValidationError(self.error_messages["locked"], code="locked")
        device = device_named(typed)  # whatever the password: the same query either way
        try:
            data = super().clean()
            if device is not None and device.user_id == self.user_cache.pk:
                token = (self.cleaned_data.get("otp_token") or "").replace(" ", "")
                if not (token and device.verify_token(token)):
                    raise self.get_invalid_login_error()
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

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        **LockoutMixin.error_messages,
        "invalid_login": _(
            "Please enter the correct %(username)s and password for a staff account and, if "
            "you set up an authenticator app, its current code. Note that the fields may be "
            "case-sensitive."
        ),
    }
    otp_token = LockoutMixin.otp_token


# Two-factor authentication ------------------------------------------------------------------


def needs_two_factor(user):
    """Organiser accounts: superusers and whoever is an organiser of an edition."""
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role=Membership.Role.ORGANISER).exists()
    )


def confirmed_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_named(username):
    """The confirmed authenticator of the account with this user name (as authentication
    finds accounts), or None."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    field = get_user_model().USERNAME_FIELD
    return (
        TOTPDevice.objects.filter(confirmed=True, **{f"user__{field}": username})
        .select_related("user")
        .first()
    )


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
