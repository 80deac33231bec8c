"""The registration forms: every field checked, every message next to its field."""

import datetime
import secrets
import time

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.utils import formats, timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rencontres.countries import CountryChoiceField
from rencontres.editions.models import Session
from rencontres.fees.models import Extra
from rencontres.fees.selectors import seats_left
from rencontres.forms import (
    FastSelect,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    Textarea,
    new_page_nonce,
    page_nonce,
    single_line,
)
from rencontres.money import format_money
from rencontres.privacy.consents import WORDING as CONSENT_WORDING
from rencontres.privacy.consents import Consent

from .identifiers import identifier_kind, normalise_identifier
from .models import Category, Organisation, Registration
from .widgets import SessionSlots, overlap

FORM_SALT = "registration.form"
FORM_MAX_AGE = 24 * 3600


def form_signer(client):
    # The client's key is part of the signature's salt: a token sent to one browser is
    # refused from any other, and the token itself shows nothing of the key.
    return signing.Signer(salt=f"{FORM_SALT}:{client}")


def new_form_token(client=""):
    """A signed (nonce, time) pair for the browser whose key is `client` (see client_key):
    it makes a double submit recognisable, and a form sent back faster than a person could
    fill it in; it cannot be fetched once and replayed from other clients."""
    payload = f"{secrets.token_urlsafe(16)}:{time.time():.3f}"
    return form_signer(client).sign(payload)


def read_form_token(token, client=""):
    """(nonce, issued_at) or None when forged, malformed or issued to another client."""
    try:
        nonce, issued = form_signer(client).unsign(token).split(":")
        return nonce, float(issued)
    except (signing.BadSignature, ValueError):
        return None


def client_key(request, issuing=False):
    """What ties a form token to one browser: the secret of its CSRF cookie, which every POST
    reaching a view carries (CsrfViewMiddleware has checked it) and which no other client
    knows. Issuing a token makes sure the browser gets a cookie."""
    if issuing:
        from django.middleware.csrf import get_token

        get_token(request)
    return request.META.get("CSRF_COOKIE", "")


def clean_phone(value):
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _(
                "Enter a valid phone number, with the country code if you are not in France "
                "(for example +221 77 123 45 67)."
            )
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class SessionChoices(forms.Form):
    """The sessions with registration, by day and time slot, each with its places left."""

    sessions = SafeModelMultipleChoiceField(
        label=_("Sessions with limited places"),
        queryset=Session.objects.none(),
        required=False,
        widget=SessionSlots,
        help_text=_("When a session is full you join its waiting list."),
    )

    def offer_sessions(self, edition, places_left):
        self.fields["sessions"].queryset = (
            Session.objects.filter(edition=edition, registration_required=True)
            .select_related("room")
            .order_by("starts_at", "title_fr")
        )
        self.fields["sessions"].widget.places_left = places_left

    def check_sessions(self, data):
        """Sessions on days the person attends, and never two at the same time."""
        off_days, clashes = session_problems(data.get("sessions"), data.get("days"))
        for session in off_days:
            self.add_error(
                "sessions",
                _("“%(session)s” is on a day you have not ticked above.")
                % {"session": session.title},
            )
        for first, second in clashes:
            self.add_error(
                "sessions",
                _("“%(first)s” and “%(second)s” take place at the same time.")
                % {"first": first.title, "second": second.title},
            )


def session_problems(sessions, days):
    """What makes a set of sessions impossible for one person: ([sessions on a day they do
    not attend], [(first, second) taking place at the same time]). The registrant's forms and
    the organisers' pages word it each their own way."""
    sessions = list(sessions or [])
    days = set(days or [])
    off_days = [
        session
        for session in sessions
        if timezone.localtime(session.starts_at).date().isoformat() not in days
    ]
    clashes = [
        (first, second)
        for index, first in enumerate(sessions)
        for second in sessions[index + 1 :]
        if overlap(first, second)
    ]
    return off_days, clashes


class PersonFields(forms.Form):
    """What every registrant gives: identity, contact, category, language."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    category = SafeModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("Choose…"),
        widget=FastSelect,
    )  # fmt: skip
    language = forms.ChoiceField(
        label=_("Preferred language for e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["category"].queryset = Category.objects.filter(edition=edition)
        for name in ("first_name", "last_name"):
            self.fields[name].widget.attrs["autocomplete"] = (
                "given-name" if name == "first_name" else "family-name"
            )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"

    def clean_first_name(self):
        return single_line(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return single_line(self.cleaned_data["last_name"])

    def clean_job_title(self):
        return single_line(self.cleaned_data["job_title"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class RegistrationForm(SessionChoices, PersonFields):
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False,
        help_text=_("With the country code, e.g. +33 6 12 34 56 78."),
    )  # fmt: skip
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=200,
        help_text=_("The full name, as your organisation writes it (for example Région "
                    "Bretagne, Ville de Dakar)."),
    )  # fmt: skip
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=[("", _("Choose…")), *Organisation.Kind.choices],
        widget=FastSelect,
    )  # fmt: skip
    organisation_country = CountryChoiceField(label=_("Country of the organisation"))
    organisation_identifier = forms.CharField(
        label=_("INSEE code or SIREN number"), max_length=20, required=False,
        help_text=_("French local authorities only: INSEE code (5 characters) or SIREN "
                    "(9 digits)."),
    )  # fmt: skip
    days = forms.TypedMultipleChoiceField(
        label=_("Which days will you attend?"), widget=forms.CheckboxSelectMultiple
    )
    extras = SafeModelMultipleChoiceField(
        label=_("Extras"), queryset=Extra.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Paid on top of the registration fee, as long as seats are left."),
    )  # fmt: skip
    access_needs = forms.CharField(
        label=_("Access needs"), required=False, max_length=1000, widget=Textarea(
            attrs={"rows": 3}), help_text=_("Wheelchair access, hearing loop, assistance…"),
    )  # fmt: skip
    diet = forms.ChoiceField(
        label=_("Diet"), choices=Registration.Diet.choices, required=False, widget=FastSelect
    )
    diet_details = forms.CharField(label=_("Diet details"), max_length=200, required=False)
    passport_name = forms.CharField(
        label=_("Name as written in your passport"), max_length=200, required=False,
        help_text=_("Only if you need an invitation letter for a visa."),
    )  # fmt: skip
    # Consents: never ticked in advance, worded once in rencontres/privacy/consents.py.
    privacy = forms.BooleanField(label=CONSENT_WORDING[Consent.PRIVACY_NOTICE])
    directory_opt_in = forms.BooleanField(label=CONSENT_WORDING[Consent.DIRECTORY], required=False)
    photo_opt_in = forms.BooleanField(label=CONSENT_WORDING[Consent.PHOTOS], required=False)
    next_editions_opt_in = forms.BooleanField(
        label=CONSENT_WORDING[Consent.NEXT_EDITIONS], required=False
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, edition, places_left, client="", **kwargs):
        super().__init__(*args, edition=edition, **kwargs)
        self.client = client
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["days"].choices = [
            (day.isoformat(), formats.date_format(day, "l j F")) for day in edition.days
        ]
        self.fields["days"].coerce = str
        self.offer_extras(edition)
        self.offer_sessions(edition, places_left)
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token(client))
            self.initial.setdefault("days", [day.isoformat() for day in edition.days])

    def offer_extras(self, edition):
        """The edition's extras, each with its price and the seats left; none, no field."""
        extras = Extra.objects.filter(edition=edition)
        if not extras.exists():
            del self.fields["extras"]
            return
        # Read when a seat is asked for or the form is shown, not for every form sent.
        self.seats_left = SimpleLazyObject(lambda: seats_left(edition))
        self.fields["extras"].queryset = extras
        self.fields["extras"].label_from_instance = self.extra_label

    def extra_label(self, extra):
        left = self.seats_left.get(extra.pk)
        price = format_money(extra.price_cents, extra.currency)
        if left is None:
            return f"{extra.name} – {price}"
        if left == 0:
            return _("%(extra)s – %(price)s (full)") % {"extra": extra.name, "price": price}
        return ngettext(
            "%(extra)s – %(price)s (%(count)s seat left)",
            "%(extra)s – %(price)s (%(count)s seats left)",
            left,
        ) % {"extra": extra.name, "price": price, "count": left}

    def clean_extras(self):
        extras = self.cleaned_data["extras"]
        for extra in extras:
            if self.seats_left.get(extra.pk) == 0:
                raise forms.ValidationError(
                    _("“%(extra)s” is full: untick it to register.") % {"extra": extra.name}
                )
        return extras

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_organisation_identifier(self):
        value = normalise_identifier(self.cleaned_data["organisation_identifier"])
        if value and identifier_kind(value) is None:
            raise forms.ValidationError(
                _(
                    "This is neither an INSEE code (5 characters, e.g. 69123 or 2A004) nor a "
                    "valid SIREN number (9 digits)."
                )
            )
        return value

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean_form_token(self):
        token = read_form_token(self.cleaned_data["form_token"], self.client)
        if token is None or time.time() - token[1] > FORM_MAX_AGE:
            self.data = self.data.copy()
            self.data["form_token"] = new_form_token(self.client)
            raise forms.ValidationError(
                _(
                    "This form was open for too long, or opened in another browser. Check "
                    "your details and send it again."
                )
            )
        if time.time() - token[1] < settings.REGISTRATION_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was fast! Please check your details, then send the form again.")
            )
        return token[0]

    def clean(self):
        data = super().clean()
        kind, identifier = data.get("organisation_kind"), data.get("organisation_identifier")
        if identifier and kind and kind not in Organisation.FRENCH_AUTHORITIES:
            self.add_error(
                "organisation_identifier",
                _("Only French local authorities have an INSEE code or SIREN number here."),
            )
        if kind in Organisation.FRENCH_AUTHORITIES and data.get("organisation_country") not in (
            None, "FR",
        ):  # fmt: skip
            self.add_error("organisation_country", _("A French local authority is in France."))
        if data.get("diet") == Registration.Diet.OTHER and not data.get("diet_details"):
            self.add_error("diet_details", _("Tell us which diet."))
        self.check_sessions(data)
        return data

    def registration_details(self):
        """The Registration fields the form asks for, from the cleaned data (organisation
        excepted)."""
        data = self.cleaned_data
        fields = [
            "first_name", "last_name", "email", "phone", "job_title", "category", "language",
            "access_needs", "diet", "diet_details", "passport_name", "directory_opt_in",
            "photo_opt_in", "next_editions_opt_in", "days",
        ]  # fmt: skip
        return {field: data[field] for field in fields if field in self.fields}


class MemberForm(PersonFields):
    """A member of a delegation, registered by its head. An address already registered is
    accepted like any other (services.submit leaves it alone): the form never tells who is
    registered."""


class BaseMemberFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Add at least one member of your delegation."),
        "too_many_forms": _("A delegation has at most %(num)d members here: register the "
                            "others separately."),
    }  # fmt: skip

    def __init__(self, *args, head_email=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.head_email = head_email

    def clean(self):
        seen = {self.head_email} if self.head_email else set()
        for form in self.forms:
            email = form.cleaned_data.get("email") if hasattr(form, "cleaned_data") else None
            if not email:
                continue
            if email in seen:
                form.add_error("email", _("Each member needs their own e-mail address."))
            seen.add(email)

    def members(self):
        return [
            {field: form.cleaned_data[field] for field in PersonFields.base_fields}
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


def member_formset(extra=2):
    """A formset of delegation members with `extra` empty rows, at most
    settings.DELEGATION_MAX_MEMBERS filled in."""
    most = settings.DELEGATION_MAX_MEMBERS
    return forms.formset_factory(
        MemberForm,
        formset=BaseMemberFormSet,
        extra=extra,
        min_num=1,
        validate_min=True,
        max_num=most,
        validate_max=True,
        # More rows than this are not even built: a posted TOTAL_FORMS of a million is cut.
        absolute_max=most,
    )


class OnePageForm(forms.Form):
    """A form made with its page's nonce (rencontres.forms.new_page_nonce): the same form sent
    twice (a double click, a resend) finds what the first one made, and creates nothing more."""

    NONCE_PREFIX = ""
    form_nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_nonce"] = new_page_nonce(self.NONCE_PREFIX)

    def clean_form_nonce(self):
        return page_nonce(self.cleaned_data["form_nonce"], self.NONCE_PREFIX)

    def person(self):
        """What the form says of the person (PersonFields)."""
        return {
            field: self.cleaned_data[field]
            for field in PersonFields.base_fields
            if field in self.fields
        }


class DelegationMemberForm(SessionChoices, OnePageForm, PersonFields):
    """A member the head adds to their delegation, and the sessions they will take when they
    confirm their own address. An address already registered is accepted like any other
    (services.add_member names it only): the form never tells who is registered."""

    NONCE_PREFIX = "member"

    def __init__(self, *args, head, places_left, **kwargs):
        super().__init__(*args, edition=head.edition, **kwargs)
        self.head = head
        self.offer_sessions(head.edition, places_left)
        self.fields["sessions"].help_text = _(
            "They get their places in these sessions when they confirm their address, as long "
            "as some are left; when a session is full they join its waiting list."
        )

    def clean(self):
        data = super().clean()
        self.check_sessions({**data, "days": self.head.days})
        return data


class ReplacementForm(OnePageForm, PersonFields):
    """The person who takes the place of a delegation member who cannot come: in the same
    category as the place. An address already registered is accepted like any other."""

    NONCE_PREFIX = "replacement"

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, edition=edition, **kwargs)
        del self.fields["category"]


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("The e-mail address you registered with"), max_length=254)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class DetailsForm(forms.ModelForm):
    """What a registrant may change through their private link."""

    class Meta:
        model = Registration
        fields = [
            "first_name", "last_name", "phone", "job_title", "language", "access_needs", "diet",
            "diet_details", "passport_name", "directory_opt_in", "photo_opt_in",
            "next_editions_opt_in",
        ]  # fmt: skip
        widgets = {"access_needs": Textarea(attrs={"rows": 3}), "language": forms.RadioSelect}
        labels = {
            "directory_opt_in": CONSENT_WORDING[Consent.DIRECTORY],
            "photo_opt_in": CONSENT_WORDING[Consent.PHOTOS],
            "next_editions_opt_in": CONSENT_WORDING[Consent.NEXT_EDITIONS],
        }

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    clean_first_name = PersonFields.clean_first_name
    clean_last_name = PersonFields.clean_last_name
    clean_job_title = PersonFields.clean_job_title


class SessionsForm(SessionChoices):
    def __init__(self, *args, registration, places_left, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration
        self.offer_sessions(registration.edition, places_left)

    def clean(self):
        data = super().clean()
        self.check_sessions({**data, "days": self.registration.days})
        return data


class LetterForm(forms.ModelForm):
    """What an invitation letter needs, asked only when the person asks for one, and the
    language the consulate reads (French or English)."""

    language = forms.ChoiceField(
        label=_("Language of the letter"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    class Meta:
        model = Registration
        fields = ["passport_name", "passport_number", "nationality", "date_of_birth"]
        labels = {"passport_name": _("Name as written in your passport")}
        help_texts = {"passport_name": _("Surname and given names, exactly as in the passport.")}
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.fields:
            self.fields[name].required = True
        self.fields["nationality"] = CountryChoiceField(label=_("Nationality"))
        self.fields["passport_number"].widget.attrs.update(
            autocapitalize="characters", spellcheck="false"
        )
        self.fields["date_of_birth"].widget.attrs.update(
            min="1900-01-01", max=timezone.localdate().isoformat()
        )

    def clean_passport_name(self):
        return single_line(self.cleaned_data["passport_name"])

    def clean_passport_number(self):
        number = "".join(self.cleaned_data["passport_number"].split()).upper()
        if not (5 <= len(number) <= 20 and number.isascii() and number.isalnum()):
            raise forms.ValidationError(
                _("A passport number has 5 to 20 letters and digits, as printed in the "
                  "passport (for example XK7736021).")
            )  # fmt: skip
        return number

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if not (datetime.date(1900, 1, 1) <= born < timezone.localdate()):
            raise forms.ValidationError(_("Enter your date of birth, as in your passport."))
        return born


class StarsForm(forms.Form):
    """The sessions a registrant stars in the edition's programme (any session: a plenary
    open to all as well as one they hold a place in)."""

    sessions = SafeModelMultipleChoiceField(
        label=_("Sessions to add to my calendar"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["sessions"]
        field.queryset = (
            Session.objects.filter(edition=registration.edition_id)
            .for_programme()
            .order_by("starts_at", "pk")
        )
        field.label_from_instance = session_line
        if not self.is_bound:
            self.initial["sessions"] = list(
                registration.starred_sessions.values_list("pk", flat=True)
            )


def session_line(session):
    start = timezone.localtime(session.starts_at)
    return f"{formats.date_format(start, 'l j F')}, {formats.time_format(start)} – {session.title}"
