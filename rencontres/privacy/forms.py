"""Forms of the privacy pages: a consent switch, an erasure request, the organiser's search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .consents import REGISTRATION_FIELDS
from .models import ErasureRequest


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        choices=[(consent, consent) for consent in REGISTRATION_FIELDS],
        widget=forms.HiddenInput,
    )
    given = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )  # fmt: skip


class ErasureForm(forms.Form):
    understood = forms.BooleanField(
        label=_(
            "I understand that my registration will be cancelled and my personal data erased "
            "for good, once an organiser confirms it."
        )
    )


class SearchForm(forms.Form):
    query = forms.CharField(label=_("Name or e-mail"), max_length=100, required=False)


class PostRequestForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Request received by"),
        choices=[(ErasureRequest.Channel.POST, ErasureRequest.Channel.POST.label),
                 (ErasureRequest.Channel.EMAIL, ErasureRequest.Channel.EMAIL.label)],
    )  # fmt: skip
