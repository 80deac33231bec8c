"""The member list: an organisation is a member when the organisers ticked it, or when an
entry names it by its SIREN (a SIRET's first nine digits) or by its name however it is typed;
an imported list is checked row by row, and imported twice adds nothing more."""

import pytest

from rencontres.backoffice.imports import simplified
from rencontres.fees import services
from rencontres.fees.members import MemberList, member_rows, valid_siret_or_siren
from rencontres.fees.models import MemberOrganisation
from rencontres.registration.tests.factories import open_edition, organisation

pytestmark = pytest.mark.django_db

# A valid SIREN (the Luhn check) and a SIRET of one of its establishments.
SIREN = "213800188"
SIRET = "21380018800012"


def test_a_member_is_found_by_siren_by_loose_name_or_because_it_was_ticked():
    edition = open_edition()
    MemberOrganisation.objects.create(edition=edition, name="Grenoble-Alpes", identifier=SIRET)
    MemberOrganisation.objects.create(edition=edition, name="Ville de Saint-Étienne")
    members = MemberList.of(edition)
    assert members.includes(name="Anything", identifier=SIREN)
    assert members.includes(name="st etienne")
    assert not members.includes(name="Lyon", identifier="69123")
    lyon = organisation("Ville de Lyon")
    assert not members.includes(organisation=lyon)
    services.set_members(edition, ticked=[lyon], shown=[lyon])
    assert MemberList.of(edition).includes(organisation=lyon)


def test_unticking_removes_every_entry_that_named_the_organisation():
    edition = open_edition()
    lyon = organisation("Ville de Lyon")
    MemberOrganisation.objects.create(edition=edition, name="LYON")
    assert services.set_members(edition, ticked=[], shown=[lyon]) == (0, 1)
    assert not MemberList.of(edition).includes(organisation=lyon)
    assert services.set_members(edition, ticked=[lyon], shown=[lyon]) == (1, 0)
    assert services.set_members(edition, ticked=[lyon], shown=[lyon]) == (0, 0)
    assert MemberOrganisation.objects.count() == 1


def test_another_editions_list_does_not_count():
    edition, other = open_edition(), open_edition(number=16)
    MemberOrganisation.objects.create(edition=other, name="Ville de Lyon")
    assert not MemberList.of(edition).includes(organisation=organisation("Ville de Lyon"))


def test_a_siret_or_siren_needs_its_check_digit():
    assert valid_siret_or_siren(SIREN) and valid_siret_or_siren(SIRET)
    assert not valid_siret_or_siren("213800189")
    assert not valid_siret_or_siren("2138001850001")
    assert valid_siret_or_siren("35600000000001")  # La Poste: digits adding up to a multiple of 5


def test_a_list_is_read_row_by_row_with_its_problems():
    header = ["Nom", "SIRET", "Ville"]
    rows = [["Région Bretagne", "", "Rennes"], ["", SIRET, ""], ["Grenoble", "12345", ""],
            ["Isère", SIRET, ""], ["Région  Bretagne", "", ""]]  # fmt: skip
    entries, problems = member_rows(header, rows, simplified)
    assert entries == [("Région Bretagne", ""), ("Isère", SIRET)]
    assert [row for row, _message in problems] == [3, 4]
    assert member_rows(["E-mail"], rows, simplified)[0] == []


def test_importing_the_same_list_twice_adds_nothing_more():
    edition = open_edition()
    entries = [("Région Bretagne", ""), ("Isère", SIRET), ("Département de l'Isère", SIRET)]
    assert services.add_members(edition, entries) == 2
    assert services.add_members(edition, entries) == 0
    assert MemberOrganisation.objects.filter(edition=edition).count() == 2
