"""French and English: URL prefixes, the switch that keeps the page, a complete catalogue."""

import io
import pathlib

import pytest
from babel.messages.extract import extract
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

from .factories import make_edition, make_session

ROOT = pathlib.Path(settings.BASE_DIR)
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def source_files():
    for path in sorted((ROOT / "rencontres").rglob("*.py")):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path, path.read_bytes()
    templates = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "templates").rglob("*.txt")]
    for path in sorted(templates):
        # Django turns a template into Python-like gettext calls, as makemessages does;
        # indentation means nothing there but trips Python's tokenizer, so it goes.
        code = templatize(path.read_text(), origin=str(path))
        yield path, "\n".join(line.lstrip() for line in code.splitlines()).encode()


def interface_strings():
    found = {}
    for path, content in source_files():
        for _lineno, message, _comments, context in extract(
            "python", io.BytesIO(content), keywords=KEYWORDS
        ):
            key = (context, message if isinstance(message, str) else message[0])
            found.setdefault(key, path.relative_to(ROOT))
    return found


def french_catalogue():
    with open(ROOT / "locale/fr/LC_MESSAGES/django.po", "rb") as po_file:
        return read_po(po_file)


def test_every_interface_string_has_a_french_translation():
    catalogue = french_catalogue()
    missing = []
    for (context, message), path in interface_strings().items():
        entry = catalogue.get(message, context=context)
        strings = entry.string if entry else None
        translated = (
            entry
            and "fuzzy" not in entry.flags
            and (all(strings) if isinstance(strings, tuple) else bool(strings))
        )
        if not translated:
            missing.append(f"{path}: {message!r}")
    assert not missing, "Untranslated (run `make messages`, then translate):\n" + "\n".join(missing)


def entries(catalogue):
    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(m.context, key(m.id)): key(m.string) for m in catalogue if m.id}


def test_the_compiled_catalogue_matches_the_po_file():
    with open(ROOT / "locale/fr/LC_MESSAGES/django.mo", "rb") as mo_file:
        compiled = entries(read_mo(mo_file))
    written = entries(french_catalogue())
    assert compiled == written, "django.mo is stale: run `make messages`"


@pytest.mark.django_db
class TestLanguageSwitch:
    def test_first_visit_follows_the_browser_language(self, client):
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")["Location"] == "/en/"
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")["Location"] == "/fr/"
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE")["Location"] == "/fr/"

    def test_the_switch_keeps_the_page_and_its_filters(self, client):
        edition = make_edition(number=15)
        session = make_session(edition)
        for path in [
            "/fr/editions/15/programme/?kind=workshop",
            f"/fr/editions/15/sessions/{session.pk}/",
        ]:
            response = client.get("/language/en/", {"next": path})
            assert response.status_code == 302
            assert response["Location"] == path.replace("/fr/", "/en/", 1)

    def test_the_choice_is_remembered_for_the_next_visit(self, client):
        client.get("/language/en/", {"next": "/fr/"})
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR")["Location"] == "/en/"

    def test_every_page_links_to_itself_in_the_other_language(self, client):
        make_edition(number=15)
        html = client.get("/fr/editions/15/programme/?day=2027-11-04").content.decode()
        assert (
            'href="/language/en/?next=%2Ffr%2Feditions%2F15%2Fprogramme%2F%3Fday%3D2027-11-04"'
            in html
        )
        assert 'lang="en" hreflang="en"' in html

    def test_it_never_redirects_to_another_site(self, client):
        for target in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
            response = client.get("/language/en/", {"next": target})
            assert response["Location"] == "/en/"

    def test_an_unknown_language_is_not_found(self, client):
        assert client.get("/language/de/", {"next": "/fr/"}).status_code == 404

    def test_times_follow_each_language(self, client):
        edition = make_edition(number=15)
        make_session(edition)
        assert "9\xa0h\xa030" in client.get("/fr/editions/15/programme/").content.decode()
        assert "09:30" in client.get("/en/editions/15/programme/").content.decode()
