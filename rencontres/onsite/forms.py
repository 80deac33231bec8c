"""The organisers' badge batch form, the staff's search form, and a check-in added by hand."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from rencontres.countries import CountriesField, CountryChoiceField
from rencontres.forms import FastSelect, SafeModelMultipleChoiceField, new_page_nonce, page_nonce
from rencontres.registration.forms import PersonFields
from rencontres.registration.models import Category, Organisation, Registration
from rencontres.registration.services import find_or_create_organisation

from .certificates import day_choices
from .models import BadgeBatch
from .services import badge_queryset


class BatchForm(forms.Form):
    layout = forms.ChoiceField(
        label=_("Layout"), choices=BadgeBatch.Layout.choices, widget=forms.RadioSelect, initial="a4"
    )
    categories = SafeModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )
    country = CountriesField(
        label=_("Countries of the organisation"), required=False,
        help_text=_("None ticked: every country."),
    )  # fmt: skip
    not_printed = forms.BooleanField(label=_("Only badges not printed yet"), required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.filter(edition=edition)
        self.fields["country"].only(
            badge_queryset(edition).values_list("organisation__country", flat=True).distinct()
        )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or e-mail"), max_length=100, min_length=2)


class DoorRegistrationForm(PersonFields):
    """Someone at the door without a registration: who they are (as on the registration form)
    and their organisation, the least the badge and the lists need."""

    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        widget=FastSelect,
        choices=[("", _("Choose…")), *Organisation.Kind.choices],
    )
    organisation_country = CountryChoiceField(label=_("Country of the organisation"))
    # Made with the page: the same form sent twice (a double click, a resend on a flaky
    # network) finds the registration the first one made.
    form_nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, edition=edition, **kwargs)
        self.fields["language"].initial = "fr"
        if not self.is_bound:
            self.initial.setdefault("form_nonce", new_page_nonce("door"))

    def clean_form_nonce(self):
        return page_nonce(self.cleaned_data["form_nonce"], "door")

    def details(self):
        data = self.cleaned_data
        organisation = find_or_create_organisation(
            data["organisation_name"], data["organisation_kind"], data["organisation_country"]
        )
        fields = ("first_name", "last_name", "email", "job_title", "category", "language")
        return {**{field: data[field] for field in fields}, "organisation": organisation}


class CheckInByHandForm(forms.Form):
    """A check-in an organiser adds for someone the doors missed: whom (their address) and
    which day (one check-ins are accepted on)."""

    email = forms.EmailField(label=_("E-mail address of the person"))
    day = forms.ChoiceField(label=_("Day"))

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["day"].choices = day_choices(edition)

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = (
            Registration.objects.filter(edition=self.edition, status=Registration.Status.CONFIRMED)
            .with_email(email)
            .first()
        )
        if person is None:
            raise forms.ValidationError(
                _("Nobody with a confirmed registration has this address in this edition.")
            )
        self.person = person
        return email

    def clean_day(self):
        return datetime.date.fromisoformat(self.cleaned_data["day"])
