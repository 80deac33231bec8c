"""The programme's filters."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .models import Session


class ProgrammeFilterForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of session"), required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = edition.days
        self.fields["day"].choices = [("", _("All days"))] + [
            (day.isoformat(), formats.date_format(day, "l j F")) for day in self.days
        ]
        self.fields["day"].coerce = self.day_from_iso
        self.fields["kind"].choices = [("", _("All kinds")), *Session.Kind.choices]

    def day_from_iso(self, value):
        return next(day for day in self.days if day.isoformat() == value)
