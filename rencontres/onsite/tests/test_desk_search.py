"""Whom the check-in desk's search finds (selectors.desk_search)."""

import pytest

from rencontres.onsite.selectors import SEARCH_RESULTS, desk_search
from rencontres.onsite.tests.factories import running_edition
from rencontres.registration import services as registration_services
from rencontres.registration.tests.factories import open_edition, organisation, registered

pytestmark = pytest.mark.django_db


def names(people):
    return [person.full_name for person in people]


def test_each_word_matches_a_name_the_organisation_or_the_address_listed_by_name():
    edition = running_edition()
    registered(edition, first_name="Jonas", last_name="Berg", organisation=organisation("Lyon"))
    registered(edition, first_name="Anna", last_name="Berg", organisation=organisation("Dakar"))
    registered(edition, first_name="Zoe", last_name="Aberg", organisation=organisation("Oslo"))
    registered(edition, first_name="Awa", last_name="Diop", email="awa@thies.example.sn")
    assert names(desk_search(edition, "berg")) == ["Zoe Aberg", "Anna Berg", "Jonas Berg"]
    assert names(desk_search(edition, "  BERG   lyon ")) == ["Jonas Berg"]
    assert names(desk_search(edition, "thies.example")) == ["Awa Diop"]
    assert desk_search(edition, "berg diop") == []


def test_it_reads_the_first_four_words_only():
    edition = running_edition()
    registered(edition, first_name="Jonas", last_name="Berg", organisation=organisation("Lyon"))
    assert names(desk_search(edition, "jonas berg lyon jonas nobody")) == ["Jonas Berg"]
    assert desk_search(edition, "jonas berg nobody lyon") == []


def test_it_finds_people_of_any_status_of_this_edition_only():
    edition, other = running_edition(), open_edition(number=16)
    cancelled = registered(edition, first_name="Jonas", last_name="Berg")
    registration_services.cancel(cancelled)
    registered(other, first_name="Anna", last_name="Berg")
    assert names(desk_search(edition, "berg")) == ["Jonas Berg"]


def test_it_shows_the_first_people_found_only():
    edition = running_edition()
    for number in range(SEARCH_RESULTS + 2):
        registered(edition, first_name=f"Person {number:02}", last_name="Berg")
    found = desk_search(edition, "berg")
    assert names(found) == [f"Person {number:02} Berg" for number in range(SEARCH_RESULTS)]
