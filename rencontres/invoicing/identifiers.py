"""The payer's identifiers, checked with python-stdnum: a French SIRET (14 digits, its Luhn
key) and a VAT number of the European Union (its country's own rule). Messages say what is
wrong in words a person can act on."""

from django.utils.translation import gettext_lazy as _
from stdnum.eu import vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.fr import siret

EU_COUNTRIES = set(vat.MEMBER_STATES)


def compact(value):
    return "".join(str(value or "").split()).replace(".", "").replace("-", "").upper()


def siret_problem(value):
    """None for a valid SIRET, else what is wrong with it."""
    number = compact(value)
    if not number:
        return _("Enter the SIRET number (14 digits).")
    if not number.isdigit() or len(number) != 14:
        return _("A SIRET number has 14 digits (9 of the SIREN, then 5 of the establishment).")
    try:
        siret.validate(number)
    except ValidationError:
        return _("This SIRET number is not valid: check its digits (its last digit is a key "
                 "that does not match).")  # fmt: skip
    return None


def vat_problem(value, country):
    """None for a VAT number that may be written on the invoice, else what is wrong. Numbers
    of countries of the European Union are checked; others are kept as given."""
    number = compact(value)
    if not number:
        return None
    if len(number) > 20:
        return _("A VAT number has at most 20 characters.")
    if str(country).lower() not in EU_COUNTRIES:
        return None
    try:
        vat.validate(number)
    except (InvalidChecksum, InvalidLength, InvalidComponent, ValidationError):
        return _("This VAT number is not valid: it starts with the country's code (for "
                 "example FR, BE, DE) followed by the number.")  # fmt: skip
    return None
