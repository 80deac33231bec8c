"""The member list of an edition: whether an organisation is on it (found as organisations
are found again, by SIREN or by name compared loosely, or ticked by the organisers), and
the rows of an imported list checked one by one."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from rencontres.forms import single_line
from rencontres.registration.identifiers import luhn_valid, name_key, normalise_identifier

from .models import MemberOrganisation, siren_of


@dataclass(frozen=True)
class MemberList:
    """An edition's member list, read once: organisations ticked, SIRENs, name keys."""

    organisation_ids: frozenset
    sirens: frozenset
    name_keys: frozenset

    @classmethod
    def of(cls, edition):
        rows = list(
            MemberOrganisation.objects.filter(edition=edition).values_list(
                "organisation_id", "siren", "name_key"
            )
        )
        return cls(
            frozenset(row[0] for row in rows if row[0]),
            frozenset(row[1] for row in rows if row[1]),
            frozenset(row[2] for row in rows if row[2]),
        )

    def includes(self, *, organisation=None, name="", identifier=""):
        """Whether an organisation (a registered one, or as typed in the form: its name and
        INSEE code, SIREN or SIRET) is on the list."""
        if organisation is not None:
            if organisation.pk in self.organisation_ids:
                return True
            name, identifier = organisation.name, organisation.identifier
        siren = siren_of(identifier)
        return bool(siren and siren in self.sirens) or name_key(name or "") in self.name_keys


def is_member(edition, **organisation):
    """MemberList.of(edition).includes(**organisation), for one look-up."""
    return MemberList.of(edition).includes(**organisation)


def valid_siret_or_siren(value):
    """A SIREN (9 digits) or SIRET (14 digits) whose check digit is right. La Poste's
    establishments (SIREN 356000000) are numbered by another rule: digits adding up to a
    multiple of 5."""
    if not value.isdigit() or len(value) not in (9, 14):
        return False
    if len(value) == 14 and value.startswith("356000000"):
        return sum(int(digit) for digit in value) % 5 == 0
    return luhn_valid(value)


# Column names of a member list (simplified: lower case, no accents).
NAME_COLUMNS = {"name", "nom", "organisation", "organization", "raison sociale", "collectivite",
                "structure", "denomination", "adherent", "member"}  # fmt: skip
IDENTIFIER_COLUMNS = {"siret", "siren", "siret siren", "identifier", "identifiant",
                      "numero siret", "n siret"}  # fmt: skip


def member_rows(header, rows, simplified):
    """([(name, identifier)], [(row number, message)]) from a table read from a file
    (`simplified` compares column names). A row without a name, or with a number that is
    no SIRET or SIREN, is a problem; a name twice in the file counts once."""
    names = [simplified(cell) for cell in header]
    name_at = next((index for index, name in enumerate(names) if name in NAME_COLUMNS), None)
    number_at = next((i for i, name in enumerate(names) if name in IDENTIFIER_COLUMNS), None)
    if name_at is None:
        return [], [(1, _("The first row must name the columns: “name” (or “nom”) and, where "
                          "you have them, “SIRET”."))]  # fmt: skip
    entries, problems, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        name = single_line(row[name_at]) if name_at < len(row) else ""
        identifier = ""
        if number_at is not None and number_at < len(row):
            identifier = normalise_identifier(row[number_at])
        if not name:
            problems.append((number, _("No name.")))
            continue
        if identifier and not valid_siret_or_siren(identifier):
            problems.append(
                (number, _("“%(value)s” is neither a SIRET (14 digits) nor a SIREN (9 digits).")
                 % {"value": row[number_at]})
            )  # fmt: skip
            continue
        key = (name_key(name), siren_of(identifier))
        if key in seen:
            continue
        seen.add(key)
        entries.append((name[:200], identifier))
    return entries, problems
