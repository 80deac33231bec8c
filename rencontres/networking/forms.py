"""The networking forms: profile, post, directory filters, meeting request, availability, and
the organisers' slot and table generators."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencontres.countries import CountriesField
from rencontres.forms import (
    FastSelect,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    Textarea,
)
from rencontres.registration.models import Organisation

from .models import (
    SPOKEN_LANGUAGES,
    CooperationFollowUp,
    CooperationPost,
    MeetingRating,
    Profile,
    Theme,
)


class ProfileForm(forms.ModelForm):
    directory_opt_in = forms.BooleanField(
        label=_("Show my profile in the participant directory"),
        required=False,
        help_text=_(
            "Other participants can then find you and ask you for a meeting. You can "
            "withdraw at any time: your profile disappears at once."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = SafeModelMultipleChoiceField(
        label=_("Cooperation themes you work on"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = CountriesField(label=_("Countries you work with"), required=False)

    class Meta:
        model = Profile
        fields = Profile.EDITABLE_FIELDS
        widgets = {"about": Textarea(attrs={"rows": 5})}
        help_texts = {
            "about": _("What your authority does abroad, and whom you would like to meet."),
            "regions": _("For example: Casamance, Hauts-Bassins, Lviv oblast."),
        }

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directory_opt_in"].initial = registration.directory_opt_in
        # Themes and countries come from the profile (they are in Meta.fields); languages are
        # stored as one string.
        if self.instance.pk:
            self.initial.setdefault("languages", self.instance.language_codes)


class PostForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("We"), choices=CooperationPost.Kind.choices, widget=forms.RadioSelect
    )
    themes = SafeModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    countries = CountriesField(label=_("Countries concerned"), required=False)

    class Meta:
        model = CooperationPost
        fields = ["kind", "title", "text", "themes", "countries"]
        widgets = {"text": Textarea(attrs={"rows": 6})}
        help_texts = {
            "title": _("For example: “We seek a partner in Senegal on water and sanitation”."),
        }


class DirectoryFilters(forms.Form):
    """The directory's search: a GET form, so results can be bookmarked and shared."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = SafeModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        widget=FastSelect,
    )
    country = CountriesField(label=_("Countries"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        widget=FastSelect,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )
    language = forms.ChoiceField(
        label=_("Language spoken"),
        required=False,
        widget=FastSelect,
        choices=[("", _("All languages")), *SPOKEN_LANGUAGES],
    )
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        widget=FastSelect,
        choices=[("", _("People")), ("offer", _("Offers")), ("request", _("Requests"))],
    )

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].only(countries)

    def values(self):
        """The valid filters (an invalid one is ignored, and marked next to its field)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q", "").strip(),
            "theme": data.get("theme"),
            "countries": data.get("country") or [],
            "kind": data.get("kind", ""),
            "language": data.get("language", ""),
        }


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=1000,
        widget=Textarea(attrs={"rows": 4}),
        help_text=_("Say who you are and what you would like to talk about."),
    )
    with_delegation = forms.BooleanField(
        label=_("My delegation comes with me (a group meeting)"), required=False
    )

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        if not registration.delegation_id:
            del self.fields["with_delegation"]


class AvailabilityForm(forms.Form):
    unavailable = SafeModelMultipleChoiceField(
        label=_("Slots when I cannot meet"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, slots, busy, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unavailable"]
        field.queryset = slots
        field.label_from_instance = lambda slot: slot_label(slot, slot.pk in busy)


def slot_label(slot, busy=False):
    from django.utils import formats

    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    text = f"{formats.date_format(start, 'l j F')}, {start:%H:%M}–{end:%H:%M}"
    return f"{text} ({_('in a session you registered for')})" if busy else text


class SlotsForm(forms.Form):
    """Generate a series of meeting slots: e.g. 8 slots of 20 minutes from 14:00."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("First slot starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    count = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=40)
    minutes = forms.IntegerField(
        label=_("Length of a slot (minutes)"), min_value=5, max_value=240, initial=20
    )
    pause = forms.IntegerField(
        label=_("Pause between slots (minutes)"), min_value=0, max_value=120, initial=0
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition

    def clean(self):
        data = super().clean()
        day = data.get("day")
        if day and not (self.edition.starts_on <= day <= self.edition.ends_on):
            self.add_error("day", _("Choose a day of the edition."))
        return data

    def slots(self):
        data = self.cleaned_data
        start = timezone.make_aware(datetime.datetime.combine(data["day"], data["start"]))
        length = datetime.timedelta(minutes=data["minutes"])
        step = length + datetime.timedelta(minutes=data["pause"])
        return [(start + i * step, start + i * step + length) for i in range(data["count"])]


class TablesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=2000)
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        help_text=_("For example: Hall B, ground floor."),
    )


class RatingForm(forms.Form):
    """How a meeting went, in one choice (the e-mail's link preselects the one clicked)."""

    outcome = forms.ChoiceField(
        label=_("Your answer"),
        choices=MeetingRating.Outcome.choices,
        widget=forms.RadioSelect,
    )


class FollowUpForm(forms.Form):
    """Where a cooperation stands, months after the meeting."""

    status = forms.ChoiceField(
        label=_("The cooperation today"),
        choices=CooperationFollowUp.Status.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("In a few words"),
        help_text=_("What you do together, or what stopped it. 600 characters at most."),
        max_length=600,
        required=False,
        widget=Textarea(attrs={"rows": 4, "maxlength": 600}),
    )
    may_publish = forms.BooleanField(
        label=_("The organisers may publish this text"),
        help_text=_(
            "On the next edition's home page, with the countries of the two parties: "
            "never your name or your organisation's."
        ),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("may_publish") and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the text to publish, or untick the box."))
        return data


class FollowUpDateForm(forms.Form):
    day = forms.DateField(
        label=_("Follow-up date"),
        help_text=_("The people of promising meetings are asked what came of them on this day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day <= self.edition.ends_on:
            raise forms.ValidationError(_("Choose a day after the edition's last day."))
        return day


class CarryOverForm(forms.Form):
    carry_over = forms.BooleanField(required=False)


class ProfileCarryOverPart:
    """On the form a past participant opens from their invitation (registration.parts): their
    networking profile of the earlier edition (text, themes, languages, countries, what it
    shows), brought over if they tick the box. Never ticked in advance; the directory itself
    is a consent of the new registration, asked on the form."""

    template_name = "networking/_carry_over_fieldset.html"
    prefix = "profile"

    def __init__(self, data, *, edition, form, delegation=False, invitation=None):
        previous = invitation.previous_registration if invitation is not None else None
        self.profile = (
            Profile.objects.filter(registration=previous).prefetch_related("themes").first()
            if previous is not None
            else None
        )
        self.previous_edition = previous.edition if previous is not None else None
        self.form = CarryOverForm(data, prefix=self.prefix)
        if self.profile is not None:
            self.form.fields["carry_over"].label = _(
                "Bring my networking profile of the %(edition)s over to this edition"
            ) % {"edition": self.previous_edition.title}

    @property
    def shown(self):
        return self.profile is not None

    @property
    def forms(self):
        return []

    def is_valid(self):
        return not self.shown or self.form.is_valid()

    def clear_errors(self):
        self.form.errors.clear()

    def save(self, registration):
        from .services.profiles import carry_over_profile

        if self.shown and self.form.is_valid() and self.form.cleaned_data["carry_over"]:
            carry_over_profile(self.profile, registration)
