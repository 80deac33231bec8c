"""Every page as people read it, not only the catalogue (tests/test_french_typography.py): what
templates and Python put together around translated strings ("Confirmée : 12", "Statut : …",
a count before its noun) is French in French and English in English. Each page of the access
table (tests/test_access_control.py) is rendered in both languages for someone allowed to see
it, and forms are sent back with their errors; the visible text (and the texts scripts show:
labels, titles, the desk's messages) must have:

- in French, a non-breaking space (U+00A0 or U+202F) before ":", ";", "?" and "!", never a
  plain space or none ("14:00" is a time);
- in English, no space at all before them;
- no "1" or "0" before a plural noun in French ("1 inscriptions"), nor "1" in English."""

import html.parser
import json
import re

import pytest
from django.test import Client
from django.utils import translation

from .test_access_control import ACTORS, ROUTES, TEAM, url_for

pytestmark = pytest.mark.django_db

# Who reads each page: the first actor of this list the page lets in.
READERS = ("registrant", "organiser", "check_in", "superuser", "anonymous", *ACTORS)
SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-leave-message",
                    "data-none", "data-some", "data-label")  # fmt: skip
# Words of the interface that take an "s" in the plural (a count before one is checked).
PLURAL_NOUNS_FR = (
    "inscriptions|inscrits|inscrites|personnes|participants|participantes|séances|places|"
    "réunions|rendez-vous demandés|invitations|membres|jours|heures|minutes|e-mails|messages|"
    "tables|créneaux|demandes|badges|présents|arrivées|lignes|caractères|entrées|profils"
)
PLURAL_NOUNS_EN = (
    "registrations|people|participants|sessions|places|meetings|invitations|members|days|"
    "hours|minutes|e-mails|messages|tables|slots|requests|badges|rows|characters|check-ins"
)


class VisibleText(html.parser.HTMLParser):
    """The text a person sees or hears: text nodes outside scripts and styles, the attributes
    read out or shown, the values of buttons, and the strings of the JSON a script shows.
    Text marked as another language (`lang`, such as an e-mail's subject in the language of
    the person it went to) is written as that language writes it: left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self, language=None):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = None
        self.language = language
        self.foreign = None  # [tag, depth] of the element in another language we are inside

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.foreign is not None:
            if tag == self.foreign[0]:
                self.foreign[1] += 1
            return
        lang = attrs.get("lang")
        foreign = lang and self.language and not lang.lower().startswith(self.language)
        if foreign and tag != "html" and tag not in self.VOID:
            self.foreign = [tag, 1]
            return
        if tag in ("script", "style"):
            self.skipping = "json" if attrs.get("type") == "application/json" else tag
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append("\n" + attrs[name] + "\n")
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append("\n" + attrs["value"] + "\n")

    def handle_endtag(self, tag):
        if self.foreign is not None:
            if tag == self.foreign[0]:
                self.foreign[1] -= 1
                if self.foreign[1] == 0:
                    self.foreign = None
            return
        if tag in ("script", "style"):
            self.skipping = None
        if tag in (
            "p",
            "li",
            "div",
            "td",
            "th",
            "dt",
            "dd",
            "h1",
            "h2",
            "h3",
            "h4",
            "option",
            "label",
            "legend",
            "button",
            "a",
            "caption",
            "summary",
            "section",
            "tr",
        ):
            self.parts.append("\n")  # fmt: skip

    def handle_data(self, data):
        if self.foreign is not None:
            return
        if self.skipping == "json":
            self.parts.extend("\n" + text + "\n" for text in json_strings(json.loads(data)))
        elif self.skipping is None:
            self.parts.append(data)

    def lines(self):
        text = "".join(self.parts)
        return [re.sub(r"[ \t\r]+", " ", line).strip() for line in text.split("\n")]


def json_strings(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in json_strings(item)]
    return []


def faults(line, language):
    """What is wrong in one line of visible text."""
    # Addresses, e-mail addresses and times are not sentences.
    words = re.sub(r"\b[a-z]+://\S+|\bmailto:\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b\d{1,2}:\d{2}\b",
                   "", line)  # fmt: skip
    found = []
    for match in re.finditer(r"(.?)([:;?!])", words):
        before, mark = match.groups()
        if language == "fr" and before not in ("\u00a0", "\u202f"):
            found.append(f"{'a plain space' if before == ' ' else 'no space'} before {mark!r}")
        if language == "en" and before in (" ", "\u00a0", "\u202f"):
            found.append(f"a space before {mark!r}")
    nouns, counts = (PLURAL_NOUNS_FR, "[01]") if language == "fr" else (PLURAL_NOUNS_EN, "1")
    if re.search(rf"(?<![\w,.]){counts}[ \u00a0](?:{nouns})\b", words):
        found.append("a count of one before a plural")
    return sorted(set(found))


# What the cast's people typed (tests/cast.py) is theirs to punctuate.
TYPED_BY_PEOPLE = {"Shall we meet?"}


def page_faults(content, language):
    parser = VisibleText(language)
    parser.feed(content.decode())
    lines = [line for line in parser.lines() if line not in TYPED_BY_PEOPLE]
    return [(line, faults(line, language)) for line in lines if faults(line, language)]


def reader(row):
    return next((actor for actor in READERS if row.get.get(actor) == 200), None)


def client_for(cast, actor, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if actor in TEAM:
        client.force_login(cast.team[actor])
    return client


# A person's data as held (the e-mails they got, in their language): checked below instead.
AS_HELD = {"privacy:data", "backoffice:privacy:data"}


def html_pages():
    return sorted(name for name, row in ROUTES.items() if reader(row) and name not in AS_HELD)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", html_pages())
def test_every_page_writes_its_punctuation_and_counts_as_its_language_does(cast, name, language):
    row = ROUTES[name]
    actor = reader(row)
    with translation.override(language):
        url = url_for(name, row, cast, actor)
    response = client_for(cast, actor, language).get(url)
    assert response.status_code == 200, (name, response.status_code)
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    assert page_faults(response.content, language) == [], f"{name} in {language}: {url}"


# Forms sent back with their errors: the summary, the messages next to the fields.
REFUSED = {
    "registration:start": ("anonymous", {"email": "not-an-address", "first_name": "Ana"}),
    "registration:delegation": (
        "anonymous",
        {"email": "x", "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0"},
    ),
    "registration:details": ("registrant", {"first_name": "", "phone": "abc"}),
    "registration:letter": ("registrant", {"passport_number": "?"}),
    "networking:post_new": ("registrant", {"title": ""}),
    "onsite:register": ("check_in", {"email": "x"}),
    "backoffice:mailing_new": ("organiser", {"action": "preview", "subject_fr": "{nope}"}),
    "backoffice:invitation_import": ("organiser", {}),
    "backoffice:login": ("anonymous", {"username": "nobody", "password": "wrong"}),
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_form_sent_back_with_its_errors_writes_them_as_its_language_does(cast, name, language):
    actor, data = REFUSED[name]
    with translation.override(language):
        url = url_for(name, ROUTES[name], cast, actor)
    response = client_for(cast, actor, language).post(url, data)
    assert response.status_code == 200, (name, response.status_code)
    assert page_faults(response.content, language) == [], f"{name} in {language}"


def test_the_data_page_writes_nested_values_as_the_language_does():
    from rencontres.privacy.views import readable

    value = {"room": "Salle 3", "sessions": [{"title": "Eau", "waitlisted": False}]}
    with translation.override("fr"):
        expected = "room : Salle 3 ; sessions : title : Eau ; waitlisted : non"
        assert readable(value) == expected.replace(" :", "\u00a0:").replace(" ;", "\u00a0;")
    with translation.override("en"):
        assert readable(value) == "room: Salle 3; sessions: title: Eau; waitlisted: no"


def test_the_check_finds_what_it_looks_for():
    assert faults("Confirmée : 12", "fr") == ["a plain space before ':'"]
    assert faults("Confirmée: 12", "fr") == ["no space before ':'"]
    assert faults("Confirmée\u00a0: 12 ; à 14:30\u00a0; https://example.org/?a=1", "fr") == [
        "a plain space before ';'"
    ]
    assert faults("1 inscriptions", "fr") == ["a count of one before a plural"]
    assert faults("Places left: 1 places", "en") == ["a count of one before a plural"]
    assert faults("Confirmed : 12", "en") == ["a space before ':'"]
    assert faults("Confirmed: 12, 21 registrations, 11 sessions", "en") == []
