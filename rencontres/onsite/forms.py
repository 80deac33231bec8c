"""The organisers' badge batch form and the staff's search form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rencontres.forms import FastSelect, SafeModelMultipleChoiceField
from rencontres.registration.models import Category

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
