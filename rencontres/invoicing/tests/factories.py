"""Builders for invoicing: payers of each kind (a French commune paying through Chorus Pro,
a foreign authority, a person) and the lines organisers type."""

from rencontres.invoicing.lines import LineItem
from rencontres.invoicing.models import Payer
from rencontres.registration.tests.factories import open_edition, registered


def edition_with_invoiced_category(**fields):
    edition = open_edition(**fields)
    edition.categories.filter(code="elected").update(invoiced=True)
    return edition


def public_payer(registration, **fields):
    return Payer.objects.create(**{
        "registration": registration, "kind": Payer.Kind.OWN_ORGANISATION,
        "name": "Ville de Lyon", "address": "1 place de la Comédie", "postcode": "69001",
        "city": "Lyon", "country": "FR", "public_body": True, "siret": "21690123100011",
        "service_code": "SERV-RI", "commitment_required": True,
        "commitment_number": "ENG-2027-0042", "email": "factures@lyon.example.fr",
        "language": "fr", **fields,
    })  # fmt: skip


def foreign_payer(registration, **fields):
    return Payer.objects.create(**{
        "registration": registration, "kind": Payer.Kind.OTHER_ORGANISATION,
        "name": "Ambassade du Sénégal", "address": "14 avenue Robert-Schuman",
        "postcode": "75007", "city": "Paris", "country": "SN", "language": "en", **fields,
    })  # fmt: skip


def person_payer(registration, **fields):
    return Payer.objects.create(**{
        "registration": registration, "kind": Payer.Kind.PERSON,
        "name": registration.full_name, "address": "3 rue des Lilas", "postcode": "44000",
        "city": "Nantes", "country": "FR", "language": "fr", **fields,
    })  # fmt: skip


def fee(unit_cents=15000, quantity=1, vat_rate_bp=0, code="REG"):
    return LineItem(code, "Inscription aux Rencontres", "Registration to the Meetings", quantity,
                    unit_cents, vat_rate_bp)  # fmt: skip


def invoiced_person(edition=None, payer=public_payer, **fields):
    """A confirmed registration of the invoiced category, with a payer."""
    edition = edition or edition_with_invoiced_category()
    registration = registered(edition, **fields)
    return registration, payer(registration)
