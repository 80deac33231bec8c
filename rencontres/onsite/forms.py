"""The organisers' badge batch form and the staff's search form."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rencontres.forms import FastSelect, SafeModelChoiceField, SafeModelMultipleChoiceField
from rencontres.registration.models import Category, Organisation

from .models import BadgeBatch


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
    country = forms.ChoiceField(
        label=_("Country of the organisation"), required=False, widget=FastSelect
    )
    not_printed = forms.BooleanField(label=_("Only badges not printed yet"), required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.filter(edition=edition)
        self.fields["country"].choices = [("", _("All countries")), *countries]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or e-mail"), max_length=100, min_length=2)


class DoorRegistrationForm(forms.Form):
    """Someone at the door without a registration: the least the badge and the lists need."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"), widget=FastSelect,
        choices=[("", _("Choose…")), *Organisation.Kind.choices],
    )  # fmt: skip
    organisation_country = forms.ChoiceField(label=_("Country of the organisation"),
                                             widget=FastSelect)  # fmt: skip
    category = SafeModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                    empty_label=_("Choose…"), widget=FastSelect)  # fmt: skip
    language = forms.ChoiceField(label=_("Preferred language for e-mails"),
                                 choices=settings.LANGUAGES, widget=forms.RadioSelect,
                                 initial="fr")  # fmt: skip

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(edition=edition)
        self.fields["organisation_country"].choices = [("", _("Choose…")), *countries]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def details(self):
        from rencontres.registration.services import find_or_create_organisation

        data = self.cleaned_data
        organisation = find_or_create_organisation(
            data["organisation_name"], data["organisation_kind"], data["organisation_country"]
        )
        fields = ("first_name", "last_name", "email", "job_title", "category", "language")
        return {**{field: data[field] for field in fields}, "organisation": organisation}
