"""Form rendering (our field template) and form fields that refuse impossible input."""

import re
import secrets
import unicodedata

from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import ValidationError
from django.db.models import TextField
from django.forms import CharField, ModelChoiceField, ModelMultipleChoiceField, Select
from django.forms import Textarea as DjangoTextarea
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .money import MoneyError, amount_text, parse_money


def single_line(value):
    """A name or a title as one line: control characters dropped (a typed line break would
    wrap a badge, an escape sequence breaks spreadsheets), runs of spaces made one."""
    kept = "".join(c for c in value if c.isspace() or unicodedata.category(c) != "Cc")
    return " ".join(kept.split())


def simplified(text):
    """Lower case, no accents, words separated by single spaces: 'Prénom ' → 'prenom' (to
    recognise a column's name however a spreadsheet or a bank wrote it)."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def new_page_nonce(prefix):
    """A one-time value made with a form's page (`prefix` names the page): the same form sent
    twice (a double click, a resend on a flaky network) finds what the first one made."""
    return f"{prefix}-{secrets.token_urlsafe(24)}"


def page_nonce(value, prefix):
    """The value if it is one `new_page_nonce(prefix)` makes, else None (ignored)."""
    return value if re.fullmatch(rf"{re.escape(prefix)}-[\w-]{{32}}", value or "") else None


def with_errors(*forms):
    """The forms to list in the error summary at the top of a page."""
    return [form for form in forms if form.is_bound and form.errors]


def unix_line_ends(value):
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class Textarea(DjangoTextarea):
    """A text area whose text comes back as it was stored: browsers send line ends as CRLF,
    so a text saved from code or the demo (LF) changed on every save of an untouched form
    (logged as a change, and counted twice against max_length)."""

    def value_from_datadict(self, data, files, name):
        return unix_line_ends(super().value_from_datadict(data, files, name))


class AdminTextarea(AdminTextareaWidget):
    """The admin's text area, with the same line ends (see Textarea)."""

    def value_from_datadict(self, data, files, name):
        return unix_line_ends(super().value_from_datadict(data, files, name))


# For every ModelAdmin and inline of the project (their `formfield_overrides`).
ADMIN_TEXT_AREAS = {TextField: {"widget": AdminTextarea}}


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"


class SafeModelMultipleChoiceField(ModelMultipleChoiceField):
    """Refuses ids the database cannot even compare (a 30-digit number overflows SQLite)."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or len(str(pk)) > 18:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )  # fmt: skip
        return super()._check_values(value)


class SafeModelChoiceField(ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and (not str(value).isdigit() or len(str(value)) > 18):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice",
                params={"value": value},
            )  # fmt: skip
        return super().to_python(value)


class FastSelect(Select):
    """A <select> written in Python: Django renders each <option> through a template, which
    took most of the registration page's time with 250 countries."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, mark_safe(" selected") if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "multiple": True}


class MoneyField(CharField):
    """An amount typed as people write it ("150", "150,50", "1 234,50 €"), cleaned to integer
    cents; shown back as typed when it is wrong, and as "150,00" (or "150.00") when it comes
    from the database."""

    default_error_messages = {
        "invalid": _("Enter an amount, such as 150 or 150.50 (at most two decimals, "
                     "not negative)."),
    }  # fmt: skip

    def __init__(self, *args, most_cents=100_000_000, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        self.most_cents = most_cents
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        return amount_text(value) if isinstance(value, int) else value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return parse_money(value, most_cents=self.most_cents)
        except MoneyError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
