"""The French of the site, as the rest of it writes: "e-mail" (never "email" or "courriel"),
and a non-breaking space before : ; ? ! and inside « », so that a line never starts with a
colon. Every French string of our catalogue, and Django's messages that our forms show."""

import pathlib
import re

import pytest
from django.conf import settings
from django.utils import translation

PO = pathlib.Path(settings.BASE_DIR, "locale/fr/LC_MESSAGES/django.po")


def french_strings():
    """(msgid, msgstr) of the catalogue, the continuation lines joined."""
    text = PO.read_text(encoding="utf-8")
    pairs = []
    for block in text.split("\n\n"):
        found = re.search(r'^msgid ((?:".*"\n?)+)(?:msgid_plural (?:".*"\n?)+)?'
                          r'((?:msgstr(?:\[\d\])? (?:".*"\n?)+)+)', block, re.M)  # fmt: skip
        if not found:
            continue
        msgid = "".join(re.findall(r'"(.*)"', found.group(1)))
        msgstr = "".join(re.findall(r'"(.*)"', found.group(2)))
        if msgid:
            pairs.append((msgid, msgstr.encode().decode("unicode_escape").encode("latin-1")
                          .decode("utf-8")))  # fmt: skip
    return pairs


def faults(text):
    found = []
    # Markup is not read: a tag's attributes (href="mailto:…") are no French text.
    text = re.sub(r"<[^>]*>", "", text)
    words = re.sub(r"%\([a-z_]+\)s|\{[a-z_]+\}|https?://\S+|[\w.+-]+@[\w.-]+", "", text)
    if re.search(r"(?<![-\w])e?mails?\b|courriel", words, re.I):
        found.append("e-mail")
    if re.search(r"(?<=\S)[ \t]?[;?!]|(?<=[^\s\d])[ \t]?:(?!\d)|\S ?:(?=\s|$)", words):
        for match in re.finditer(r"(.)([ \t]?)([:;?!])", words):
            before, space, mark = match.groups()
            if mark == ":" and before.isdigit():
                continue
            if space != "\u00a0" and before != "\u00a0":
                found.append(f"no non-breaking space before {mark!r}")
    if re.search(r"«(?!\u00a0)|(?<!\u00a0)»", words):
        found.append("guillemets without non-breaking spaces")
    return found


def test_the_french_catalogue_writes_e_mail_and_non_breaking_spaces():
    wrong = [(msgid, msgstr, faults(msgstr)) for msgid, msgstr in french_strings()
             if faults(msgstr)]  # fmt: skip
    assert wrong == []


def test_the_django_messages_our_forms_show_are_written_the_same_way():
    from django import forms
    from django.contrib.auth.forms import AuthenticationForm

    fields = [
        forms.EmailField(), forms.CharField(max_length=3, min_length=2),
        forms.IntegerField(min_value=1, max_value=5), forms.DateField(), forms.TimeField(),
        forms.ChoiceField(), forms.MultipleChoiceField(), forms.BooleanField(),
        forms.FileField(), forms.ImageField(), forms.URLField(),
    ]  # fmt: skip
    with translation.override("fr"):
        messages = [str(text) for field in fields for text in field.error_messages.values()]
        messages += [str(text) for text in AuthenticationForm.error_messages.values()]
    wrong = [(message, faults(message)) for message in messages if faults(message)]
    assert wrong == []


def rendered_in_french(name, **context):
    from django.template.loader import render_to_string

    with translation.override("fr"):
        return render_to_string(name, context)


@pytest.mark.django_db
def test_the_punctuation_our_templates_write_between_values_is_french_too():
    """A colon or semicolon the template writes itself (between a label and its value, between
    the items of a sentence) follows the language: "Séances : …", "…participation ; vous…"."""
    from types import SimpleNamespace

    from rencontres.registration.tests.factories import open_edition, registered

    person = registered(open_edition())
    line = {"label": "Séances", "value": "Atelier 1"}
    for name in ("mail/registration_changed.txt", "mail/registration_changed.html"):
        text = rendered_in_french(name, details=[line])
        assert re.search(r"Séances\xa0:( |\s*<strong>)Atelier 1", text), name
    for name in ("agenda_ready", "meeting_accepted", "meeting_cancelled"):
        text = rendered_in_french(f"mail/{name}.txt", agenda_link="https://example.org/agenda")
        assert "Voir mon agenda\xa0: https://example.org/agenda" in text, name
    record = SimpleNamespace(
        at=None, get_consent_display="Annuaire", given=True, get_source_display="formulaire",
        wording_version="2027-1",
    )  # fmt: skip
    text = rendered_in_french("privacy/private.html", history=[record], registration=person)
    assert "Annuaire\xa0: donné" in text
    request = SimpleNamespace(
        requested_at=None, get_channel_display="courrier", get_status_display="refusée",
        status="refused",
    )  # fmt: skip
    text = rendered_in_french(
        "privacy/backoffice/person.html", consents=[record], requests=[request], erased=True,
        edition=person.edition, registration=person,
    )  # fmt: skip
    assert "Annuaire\xa0: donné" in text and "courrier\xa0: refusée" in text
    notice = SimpleNamespace(
        purposes=[{"short": "vous inscrire"}, {"short": "vous accueillir"}], retention=[],
    )  # fmt: skip
    text = rendered_in_french("privacy/_at_collection.html", notice=notice)
    assert "vous inscrire\xa0; vous accueillir." in text
