"""Countries for every form and filter: one list of choices (names as people write them, see
country_names.py, sorted by the Unicode collation: É with E), the fields that pick one or
several, and their widget, a list that a search box filters (static/js/country-picker.js).

Without JavaScript the list of several countries is a list of check boxes (no Ctrl key to
hold on a phone), and one country a plain <select>; the script adds the search."""

import functools
import unicodedata

from django import forms
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


@functools.cache
def names_in(language):
    """((code, name), ...) of every country in `language`, in its order: the one list that the
    pickers, the filters and the import's lookups read."""
    from django_countries import countries

    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


@functools.cache
def _all_countries(language):
    """((code, name, what the search matches), ...) in `language`: names in both languages
    are searched (an English speaker on the French page types "Germany"), and the code."""
    from django.conf import settings

    other_names = {}
    for other, _label in settings.LANGUAGES:
        if other != language:
            for code, name in names_in(other):
                other_names.setdefault(code, []).append(name)
    return tuple(
        (code, name, search_text(" ".join([code, name, *other_names.get(code, [])])))
        for code, name in names_in(language)
    )


def search_text(value):
    """Lower case without accents: what the search box compares (JavaScript does the same)."""
    decomposed = unicodedata.normalize("NFD", value.casefold())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def country_choices():
    """(code, name) of every country in the active language, in its order."""
    return [(code, name) for code, name, _search in _all_countries(current_language())]


def current_language():
    return translation.get_language() or "fr"


def country_name(code):
    from django_countries import countries

    return str(countries.name(code)) if code else ""


def search_box(target_id):
    """The search box, hidden until the script shows it (it does nothing without it)."""
    return format_html(
        '<p class="country-picker__search" hidden><label for="{}_search">{}</label>'
        '<input type="search" id="{}_search" autocomplete="off" spellcheck="false"'
        ' aria-controls="{}" aria-describedby="{}_status"></p>',
        target_id, _("Search a country"), target_id, target_id, target_id,
    )  # fmt: skip


def status_line(target_id):
    """What the script says after each search: how many countries the list shows."""
    return format_html(
        '<p class="country-picker__status" id="{}_status" role="status" data-none="{}"'
        ' data-some="{}"></p>',
        target_id, _("No country matches."), _("Countries shown: %(count)s"),
    )  # fmt: skip


class CountryPicker(forms.CheckboxSelectMultiple):
    """Check boxes in a scrolling list, the chosen ones first; a search box filters them.
    `shown`: the codes to list (with those chosen), None for all."""

    shown = None

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        list_id = attrs.get("id") or f"id_{name}"
        chosen = {str(code) for code in self.format_value(value)}
        searched = {code: text for code, _name, text in _all_countries(current_language())}
        choices = [
            (str(code), label) for code, label in self.choices
            if code != "" and (self.shown is None or code in self.shown or code in chosen)
        ]  # fmt: skip
        choices.sort(key=lambda choice: choice[0] not in chosen)  # stable: chosen first
        items = format_html_join(
            "",
            '<li data-search="{}"><label><input type="checkbox" name="{}" value="{}"'
            ' id="{}_{}"{}> {}</label></li>',
            (
                (searched.get(code, search_text(str(label))), name, code, list_id, index,
                 mark_safe(" checked") if code in chosen else "", label)
                for index, (code, label) in enumerate(choices)
            ),
        )  # fmt: skip
        return format_html(
            '<div class="country-picker" data-country-picker>{}'
            '<p class="country-picker__chosen" data-label="{}" hidden></p>'
            '<ul class="country-picker__list" id="{}">{}</ul>{}</div>',
            search_box(list_id), _("Chosen:"), list_id, items, status_line(list_id),
        )  # fmt: skip

    def id_for_label(self, id_, index=None):
        return f"{id_}_search" if index is None else f"{id_}_{index}"


class CountrySelect(forms.Select):
    """A plain <select> (written in Python: 250 options through templates were slow), with a
    search box that the script shows above it. `shown`: as for CountryPicker."""

    shown = None

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        searched = {code: text for code, _name, text in _all_countries(current_language())}
        options = format_html_join(
            "",
            '<option value="{}" data-search="{}"{}>{}</option>',
            (
                (code, searched.get(str(code), search_text(str(label))),
                 mark_safe(" selected") if str(code) in chosen else "", label)
                for code, label in self.choices
                if code == "" or self.shown is None or code in self.shown or code in chosen
            ),
        )  # fmt: skip
        select_id = attrs.get("id", f"id_{name}")
        return format_html(
            '<div class="country-select" data-country-select>{}<select{}>{}</select>{}</div>',
            search_box(select_id), flatatt(attrs), options, status_line(select_id),
        )  # fmt: skip


class OnlySome:
    def only(self, codes):
        """List only these countries (a filter: those present in the data). Any country stays
        valid: a link kept from when others were there finds nobody, rather than everyone."""
        self.widget.shown = {str(code) for code in codes if code}


class CountriesField(OnlySome, forms.MultipleChoiceField):
    """Several countries."""

    widget = CountryPicker

    def __init__(self, **kwargs):
        super().__init__(choices=country_choices, **kwargs)

    def prepare_value(self, value):
        # A model's countries (django-countries' descriptor) are not a list: their codes are.
        if value is None or isinstance(value, str):
            return value
        return [str(code) for code in value]


class CountryChoiceField(OnlySome, forms.ChoiceField):
    """One country, `empty_label` first (to choose, or for a filter: all)."""

    widget = CountrySelect

    def __init__(self, *, empty_label=None, **kwargs):
        self.empty_label = empty_label or _("Choose…")
        super().__init__(choices=self.all_choices, **kwargs)

    def all_choices(self):
        return [("", self.empty_label), *country_choices()]
