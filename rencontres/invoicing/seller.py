"""The seller, the organising association, as settings.INVOICING describes it: the snapshot
every invoice keeps, and the checks of its identifiers (SIRET and VAT number with
python-stdnum, IBAN and BIC with schwifty)."""

from django.conf import settings


def seller_snapshot():
    """What an invoice keeps of the seller: a later change of the settings alters no invoice."""
    config = settings.INVOICING
    return {
        "name": config["SELLER_NAME"],
        "address": config["SELLER_ADDRESS"],
        "postcode": config["SELLER_POSTCODE"],
        "city": config["SELLER_CITY"],
        "country": config["SELLER_COUNTRY"],
        "siret": config["SELLER_SIRET"],
        "vat_number": config["SELLER_VAT_NUMBER"],
        "email": config["SELLER_EMAIL"],
        "vat_exemption": dict(config["VAT_EXEMPTION"]),
        "vat_exemption_code": config["VAT_EXEMPTION_CODE"],
        "iban": config["IBAN"],
        "bic": config["BIC"],
        "payment_terms_days": config["PAYMENT_TERMS_DAYS"],
        "late_penalty": dict(config["LATE_PENALTY"]),
        "recovery_indemnity_cents": config["RECOVERY_INDEMNITY_CENTS"],
    }


def problems(config=None):
    """What is wrong with the seller's settings, as sentences (empty: nothing)."""
    from schwifty import BIC, IBAN
    from schwifty.exceptions import SchwiftyException
    from stdnum.eu import vat
    from stdnum.fr import siret

    config = config or settings.INVOICING
    found = []
    if not siret.is_valid(config["SELLER_SIRET"]):
        found.append(f"INVOICE_SELLER_SIRET={config['SELLER_SIRET']!r} is not a valid SIRET.")
    if config["SELLER_VAT_NUMBER"] and not vat.is_valid(config["SELLER_VAT_NUMBER"]):
        found.append(
            f"INVOICE_SELLER_VAT_NUMBER={config['SELLER_VAT_NUMBER']!r} is not a valid VAT number."
        )
    if not config["SELLER_VAT_NUMBER"] and not all(config["VAT_EXEMPTION"].values()):
        found.append("Without INVOICE_SELLER_VAT_NUMBER, give the exemption's wording in "
                     "INVOICE_VAT_EXEMPTION_FR and INVOICE_VAT_EXEMPTION_EN.")  # fmt: skip
    for name, parse in (("IBAN", IBAN), ("BIC", BIC)):
        try:
            parse(config[name])
        except (SchwiftyException, ValueError) as error:
            found.append(f"INVOICE_{name}={config[name]!r}: {error}")
    if not 0 <= config["PAYMENT_TERMS_DAYS"] <= 60:
        # Code de commerce, L441-10: at most 60 days from the invoice.
        found.append("INVOICE_PAYMENT_TERMS_DAYS must be between 0 and 60.")
    return found
