"""The back-office lists' filters (GET forms: a filtered list can be bookmarked), the mailing
form and the invitation import's upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rencontres.countries import CountriesField
from rencontres.editions.models import Session
from rencontres.forms import FastSelect, SafeModelChoiceField, Textarea, new_page_nonce, page_nonce
from rencontres.privacy.consents import REGISTRATION_FIELDS
from rencontres.registration.forms import DetailsForm, RegistrationForm
from rencontres.registration.models import Category, Organisation, Registration

from .mailings import unknown_placeholders
from .selectors import ALL_STATUSES, SORTS

# The registration fields of the optional consents: the person's to give, never the team's.
CONSENT_FLAGS = tuple(flag for flag, _when in REGISTRATION_FIELDS.values())


class ListFilters(forms.Form):
    """A list's filters, with its search box `q`. `values()` gives what the list's query
    takes: each filter's valid value or its default ("", None, []), so a bad value in one
    filter is ignored (and marked next to its field) while the others still apply."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def values(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"query": data.get("q", ""), **self.filter_values(data)}

    def filter_values(self, data):
        """{name: value} of the filters other than the search box, from the valid data."""
        return {}


class RegistrationFilters(ListFilters):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=FastSelect,
        choices=[
            ("", _("Holding or awaiting a place")),
            (ALL_STATUSES, _("All statuses")),
            *Registration.Status.choices,
        ],
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

    def filter_values(self, data):
        return {
            "status": data.get("status", ""),
            "category": data.get("category"),
            "country": data.get("country") or [],
            "kind": data.get("kind", ""),
            "session": data.get("session"),
            "checked_in": data.get("checked_in", ""),
            "sort": data.get("sort") if data.get("sort") in SORTS else "-created",
        }


class MailingForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=_("Whom to write to"),
        choices=Registration.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one status.")},
        help_text=_(
            "Among the registrations of the list, those with the statuses ticked. Cancelled "
            "and rejected people, and those who never confirmed their address, are left out "
            "unless you tick them."
        ),
    )
    subject_fr = forms.CharField(label=_("Subject (French)"), max_length=200)
    body_fr = forms.CharField(
        label=_("Message (French)"), max_length=20000, widget=Textarea(attrs={"rows": 10})
    )
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    body_en = forms.CharField(
        label=_("Message (English)"), max_length=20000, widget=Textarea(attrs={"rows": 10})
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The fingerprint of what was previewed (mailings.fingerprint): sending needs it.
    previewed = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, counts, **kwargs):
        super().__init__(*args, **kwargs)
        # Each status with the number of people it holds in the list (whom a tick adds), the
        # statuses ticked by default first.
        labels = dict(Registration.Status.choices)
        first = list(Registration.HOLDING_OR_AWAITING_A_PLACE)
        order = first + [value for value in labels if value not in first]
        self.fields["statuses"].choices = [
            (value, f"{labels[value]} ({counts.get(value, 0)})") for value in order
        ]

    def clean(self):
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


class InvitationFilters(ListFilters):
    STATES = [
        ("", _("All")),
        ("not_sent", _("Not sent yet")),
        ("sent", _("Sent, no answer")),
        ("registered", _("Registered")),
        ("declined", _("Declined")),
    ]

    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES, widget=FastSelect)

    def filter_values(self, data):
        return {"state": data.get("state", "")}


class TeamDetailsForm(DetailsForm):
    """What the team changes for a person (someone who phoned or wrote): the registrant's own
    fields, less their consents (theirs to give) and the sensitive fields the role may not
    see."""

    class Meta(DetailsForm.Meta):
        fields = [field for field in DetailsForm.Meta.fields if field not in CONSENT_FLAGS]

    def __init__(self, *args, hidden=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field in hidden:
            self.fields.pop(field, None)


class TeamRegistrationForm(RegistrationForm):
    """A registration the team adds (someone who phoned or wrote): what the public form asks
    for one person, less what only the person may give (their consents; the privacy notice is
    told by the team) or what guards the public form from bots (a hidden field, a token timing
    the filling in), and the sensitive fields the role may not see."""

    send_email = forms.BooleanField(
        label=_("E-mail the person their confirmation and private link"),
        required=False,
        initial=True,
    )
    # Made with the page, as at the door: the same form sent twice (a double click) finds the
    # registration the first one made.
    form_nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, hidden=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("privacy", *CONSENT_FLAGS, "website", "form_token", *hidden):
            self.fields.pop(name, None)
        if not self.is_bound:
            self.initial["form_nonce"] = new_page_nonce("team")

    def clean_form_nonce(self):
        return page_nonce(self.cleaned_data["form_nonce"], "team")
