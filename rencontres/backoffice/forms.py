"""The registrations list's filters (a GET form: filtered lists can be bookmarked)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rencontres.countries import CountriesField
from rencontres.editions.models import Session
from rencontres.forms import FastSelect, SafeModelChoiceField, Textarea
from rencontres.registration.models import Category, Organisation, Registration

from .selectors import SORTS


class RegistrationFilters(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=FastSelect,
        choices=[("", _("All")), *Registration.Status.choices],
    )
    category = SafeModelChoiceField(
        label=_("Category"),
        required=False,
        widget=FastSelect,
        queryset=Category.objects.none(),
        empty_label=_("All"),
    )
    country = CountriesField(label=_("Countries"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        widget=FastSelect,
        choices=[("", _("All")), *Organisation.Kind.choices],
    )
    session = SafeModelChoiceField(
        label=_("Session"),
        required=False,
        widget=FastSelect,
        queryset=Session.objects.none(),
        empty_label=_("All"),
    )
    checked_in = forms.ChoiceField(
        label=_("Checked in"),
        required=False,
        widget=FastSelect,
        choices=[("", _("All")), ("yes", _("yes")), ("no", _("no"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=FastSelect,
        choices=[
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("name", _("Name")),
            ("organisation", _("Organisation")),
            ("country", _("Country")),
            ("status", _("Status")),
        ],
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(edition=edition)
        self.fields["session"].queryset = Session.objects.filter(
            edition=edition, registration_required=True
        )
        self.fields["country"].only(
            Registration.objects.filter(edition=edition)
            .values_list("organisation__country", flat=True)
            .distinct()
        )

    def values(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q", ""),
            "status": data.get("status", ""),
            "category": data.get("category"),
            "country": data.get("country") or [],
            "kind": data.get("kind", ""),
            "session": data.get("session"),
            "checked_in": data.get("checked_in", ""),
            "sort": data.get("sort") if data.get("sort") in SORTS else "-created",
        }


class MailingForm(forms.Form):
    subject_fr = forms.CharField(label=_("Subject (French)"), max_length=200)
    body_fr = forms.CharField(
        label=_("Message (French)"), max_length=20000, widget=Textarea(attrs={"rows": 10})
    )
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    body_en = forms.CharField(
        label=_("Message (English)"), max_length=20000, widget=Textarea(attrs={"rows": 10})
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean(self):
        from .mailings import unknown_placeholders

        data = super().clean()
        for name in ("subject_fr", "body_fr", "subject_en", "body_en"):
            unknown = unknown_placeholders(data.get(name, ""))
            if unknown:
                self.add_error(
                    name,
                    _("Unknown placeholder: %(names)s. Use the ones listed.")
                    % {"names": ", ".join("{" + name + "}" for name in unknown)},
                )
        return data


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Invitation list (CSV or Excel .xlsx)"),
        help_text=_(
            "First row: the column names. Required: e-mail, first name, last name. Optional: "
            "organisation, kind of organisation, country, category, language. French or "
            "English names; an export of the registrations list works too."
        ),
    )
    send_emails = forms.BooleanField(
        label=_("E-mail each person their invitation once the list is imported"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


class InvitationFilters(forms.Form):
    STATES = [
        ("", _("All")),
        ("not_sent", _("Not sent yet")),
        ("sent", _("Sent, no answer")),
        ("registered", _("Registered")),
        ("declined", _("Declined")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES, widget=FastSelect)
