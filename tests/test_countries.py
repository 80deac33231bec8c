"""Countries: names as people write them, in the order they expect, built in one place, and
filters that offer only the countries present."""

import pathlib
import re

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from rencontres.countries import country_choices

pytestmark = pytest.mark.django_db


def names(language):
    with translation.override(language):
        return [name for _code, name in country_choices()]


def test_french_names_are_written_as_french_readers_write_them():
    with translation.override("fr"):
        french = dict(country_choices())
    expected = {
        "NR": "Nauru", "BS": "Bahamas", "RE": "La Réunion", "SA": "Arabie saoudite",
        "GY": "Guyana", "GF": "Guyane française", "US": "États-Unis", "VN": "Vietnam",
        "TT": "Trinité-et-Tobago", "BZ": "Belize", "MK": "Macédoine du Nord", "SZ": "Eswatini",
        "PS": "Palestine", "FM": "Micronésie", "MH": "Îles Marshall",
    }  # fmt: skip
    assert {code: french[code] for code in expected} == expected
    # No name reads like a register: "Réunion, La", "Bahamas (les)", "Nauru (république de)".
    register_like = [
        name for name in french.values()
        if re.search(r", (La|Le|Les|État)\b|\((les|la|le|république|États|République)", name)
    ]  # fmt: skip
    assert register_like == []


def test_english_names_have_no_register_style_either():
    with translation.override("en"):
        english = dict(country_choices())
    assert english["BS"] == "Bahamas" and english["US"] == "United States"
    assert not [name for name in english.values() if "(The)" in name or "(U.S.)" in name]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_names_sort_as_readers_expect_accents_with_their_letter(language):
    listed = names(language)
    assert len(listed) == len(set(listed)) == 249
    if language == "fr":
        # É with E, Î with I: Égypte after Dominique and before Espagne, the Îles among I.
        assert listed.index("Dominique") < listed.index("Égypte") < listed.index("Espagne")
        assert listed.index("Hongrie") < listed.index("Îles Cook") < listed.index("Inde")
        assert listed.index("Arabie saoudite") < listed.index("Argentine")
        assert listed[0] == "Afghanistan" and listed[-1] == "Zimbabwe"


def test_country_choices_are_built_in_one_place():
    """Forms and filters take their countries from rencontres/countries.py: no other module
    builds a list of choices from django-countries."""
    root = pathlib.Path(settings.BASE_DIR, "rencontres")
    builders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "countries.py":
            continue
        text = path.read_text()
        if re.search(r"\*countries\]|choices\W+list\(countries\)|return list\(countries\)", text):
            builders.append(str(path.relative_to(root)))
    assert builders == []


def checkbox_values(response, name):
    document = lxml.html.document_fromstring(response.content.decode())
    return sorted(document.xpath(f'//input[@type="checkbox"][@name="{name}"]/@value'))


def test_filters_offer_only_the_countries_present(client):
    from rencontres.backoffice.tests.factories import member
    from rencontres.networking.tests.factories import person
    from rencontres.registration.tests.factories import open_edition

    edition = open_edition()
    viewer = person(edition, "Awa", country="SN", kind="foreign_authority", countries=["VN"])
    person(edition, "Olena", country="UA", kind="foreign_authority", show_country=False)
    person(edition, "Hidden", country="BR", kind="foreign_authority", listed=False)
    client.force_login(member(edition))
    registrations = client.get(reverse("backoffice:registrations", args=[edition.number]))
    assert checkbox_values(registrations, "country") == ["BR", "SN", "UA"]
    badges = client.get(reverse("onsite:badges", args=[edition.number]))
    assert checkbox_values(badges, "country") == ["BR", "SN", "UA"]
    directory = reverse("networking:directory", args=[viewer.public_id, viewer.secret])
    # Olena hides her country and Hidden is not listed: neither shows here.
    assert checkbox_values(client.get(directory), "country") == ["SN", "VN"]
    # Several at once; a country nobody shows (an old link) finds nobody, not everyone.
    found = client.get(directory, {"country": ["SN", "VN"]})
    assert "Awa" in found.content.decode()
    assert "Awason" not in client.get(directory, {"country": "BR"}).content.decode()
