"""The back-office page of a team member's API tokens: created with scopes no wider than their
role, one edition or all, an expiry; the key shown once; revoked at any time."""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rencontres import audit, roles
from rencontres.forms import with_errors

from .models import RESOURCES, SCOPES, ApiToken
from .permissions import CAPABILITIES

LONGEST = datetime.timedelta(days=366)
RESOURCE_NAMES = {
    "registrations": gettext_lazy("Registrations"),
    "organisations": gettext_lazy("Organisations"),
    "checkins": gettext_lazy("Check-ins"),
    "meetings": gettext_lazy("Bilateral meetings"),
    "invoices": gettext_lazy("Invoices and payments"),
}


def allowed_scopes(user, edition):
    """The scopes the member's role for `edition` allows: a token never grants more."""
    held = roles.capabilities(user, edition)
    scopes = []
    for resource in RESOURCES:
        read, write = CAPABILITIES[resource]
        if read in held and f"{resource}:read" in SCOPES:
            scopes.append((f"{resource}:read", _("%(what)s: read") % {
                "what": RESOURCE_NAMES[resource]}))  # fmt: skip
        if write in held and f"{resource}:write" in SCOPES:
            scopes.append((f"{resource}:write", _("%(what)s: write") % {
                "what": RESOURCE_NAMES[resource]}))  # fmt: skip
    return scopes


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=100,
        help_text=gettext_lazy("What it is for: “CRM sync”, “Partner's scanners”…"),
    )  # fmt: skip
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What it may do"), widget=forms.CheckboxSelectMultiple
    )
    all_editions = forms.BooleanField(
        label=gettext_lazy("Every edition I work on (otherwise this one only)"), required=False
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("One year at most."),
    )  # fmt: skip

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scopes
        if not self.is_bound:
            self.initial["expires_on"] = timezone.localdate() + datetime.timedelta(days=90)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if day > today + LONGEST:
            raise forms.ValidationError(_("A token lasts one year at most."))
        return day


@roles.edition_page(roles.API_TOKENS)
def tokens(request, edition):
    scopes = allowed_scopes(request.user, edition)
    form = TokenForm(request.POST or None, scopes=scopes)
    key = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires = timezone.make_aware(datetime.datetime.combine(data["expires_on"],
                                                                datetime.time(23, 59)))  # fmt: skip
        token, key = ApiToken.issue(
            request.user, data["name"], data["scopes"], expires,
            edition=None if data["all_editions"] else edition,
        )  # fmt: skip
        audit.log(request, edition, "api_token_created", token=token.prefix,
                  scopes=token.scopes)  # fmt: skip
        form = TokenForm(scopes=scopes)
    mine = ApiToken.objects.filter(user=request.user).select_related("edition")
    return render(request, "api/tokens.html", {
        "edition": edition, "form": form, "key": key, "tokens": mine, "now": timezone.now(),
        "error_forms": with_errors(form),
    })  # fmt: skip


@require_POST
@roles.edition_page(roles.API_TOKENS)
def revoke(request, edition, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now()):
        audit.log(request, edition, "api_token_revoked", token=token.prefix)
        messages.success(request, _("The token is revoked: it opens nothing any more."))
    return redirect("api_pages:tokens", edition.number)
