"""The file an organiser downloads is a Factur-X invoice: a PDF/A-3 whose embedded EN 16931
XML passes the factur-x library's own checks, says what the PDF says (totals, number, buyer,
Chorus Pro's service code and commitment number), and is written in the payer's language with
the mentions French law asks for."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from lxml import etree
from pypdf import PdfReader

from rencontres.invoicing import services
from rencontres.invoicing.lines import LineItem
from rencontres.registration.tests.factories import organisation, registered
from tests.documents import holds, pdf_text
from tests.test_pdf_scripts import SCRIPTS

from .factories import (
    edition_with_invoiced_category,
    fee,
    foreign_payer,
    invoiced_person,
    public_payer,
)

pytestmark = pytest.mark.django_db
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
SUMMATION = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"


def embedded_xml(content):
    from facturx import get_xml_from_pdf

    filename, xml = get_xml_from_pdf(content, check_xsd=False)
    assert filename == "factur-x.xml"
    return xml


def xml_value(xml, path):
    return etree.fromstring(xml).findtext(path, namespaces=NS)


def amount_after(text, label):
    """The amount the PDF prints after `label` (« 1 234,50 € » or "€1,234.50") as a Decimal."""
    found = re.search(re.escape(label) + r"\s*(-?€?\d[\d\u202f\xa0 ,.]*)", text)
    assert found, (label, text)
    digits = found.group(1).replace("€", "").replace("\u202f", "").replace("\xa0", "")
    digits = digits.replace(" ", "").strip(" ,.")
    if "," in digits and digits.rfind(",") > digits.rfind("."):  # French: 1.234,50 / 1234,50
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    return Decimal(digits)


@pytest.fixture
def vat_seller(settings):
    settings.INVOICING = {**settings.INVOICING, "SELLER_VAT_NUMBER": "FR11123456782"}


def commune_invoice(lines=None, **kwargs):
    registration, payer = invoiced_person()
    return services.issue_invoice(
        registration.edition, payer, [registration], lines or [fee(quantity=2)], actor=None,
        today=datetime.date(2027, 11, 20), **kwargs,
    )  # fmt: skip


def test_the_embedded_xml_passes_the_libraries_xsd_check_at_the_en16931_level(vat_seller):
    from facturx import get_level, xml_check_xsd

    invoice = commune_invoice([fee(quantity=2, vat_rate_bp=2000),
                               LineItem("DIN", "Dîner", "Dinner", 1, 4000, 1000),
                               LineItem("RED", "Remise", "Discount", 1, -1000, 2000)])  # fmt: skip
    xml = embedded_xml(invoice.file.read())
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert get_level(etree.fromstring(xml)) == "en16931"
    note = services.issue_credit_note(invoice, actor=None, reason="Annulation")
    note_xml = embedded_xml(note.file.read())
    assert xml_check_xsd(note_xml, flavor="factur-x", level="en16931")
    assert xml_value(note_xml, ".//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert xml_value(note_xml, ".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == (
        invoice.number
    )


def test_a_broken_xml_is_refused_by_that_check():
    """The check the tests rely on can fail: a total written as text is refused."""
    from facturx import xml_check_xsd

    xml = embedded_xml(commune_invoice().file.read())
    broken = xml.replace(b"<ram:GrandTotalAmount>300.00", b"<ram:GrandTotalAmount>a lot")
    with pytest.raises(Exception, match="not valid"):
        xml_check_xsd(broken, flavor="factur-x", level="en16931")


def test_the_xml_totals_are_the_totals_the_pdf_prints(vat_seller):
    lines = [fee(quantity=3, vat_rate_bp=2000), LineItem("DIN", "Dîner", "Dinner", 2, 4550, 1000),
             LineItem("RED", "Remise", "Discount", 1, -1999, 2000)]  # fmt: skip
    edition = edition_with_invoiced_category()
    for language in ("fr", "en"):
        registration = registered(edition)
        payer = public_payer(registration, language=language)
        invoice = services.issue_invoice(edition, payer, [registration], lines, actor=None)
        content = invoice.file.read()
        xml, text = embedded_xml(content), pdf_text(content)
        labels = {"fr": ("Total HT", "Total TVA", "Total TTC"),
                  "en": ("Total excl. VAT", "Total VAT", "Total incl. VAT")}[language]  # fmt: skip
        for label, element in zip(labels, ("TaxBasisTotalAmount", "TaxTotalAmount",
                                           "GrandTotalAmount"), strict=True):  # fmt: skip
            in_xml = Decimal(xml_value(xml, SUMMATION + element))
            assert amount_after(text, label) == in_xml, (language, label)
        assert Decimal(xml_value(xml, SUMMATION + "DuePayableAmount")) == Decimal("616.11")
        assert (invoice.net_cents, invoice.vat_cents, invoice.gross_cents) == (52101, 9510, 61611)
        # The lines add up to the total, rate by rate, as EN 16931 adds them.
        path = ".//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
        line_totals = [Decimal(v.text) for v in etree.fromstring(xml).iterfind(path, NS)]
        assert sum(line_totals) == Decimal(xml_value(xml, SUMMATION + "LineTotalAmount"))


def test_what_chorus_pro_reads_is_in_the_xml():
    invoice = commune_invoice()
    xml = embedded_xml(invoice.file.read())
    assert xml_value(xml, ".//rsm:ExchangedDocument/ram:ID") == invoice.number
    assert xml_value(xml, ".//ram:BuyerTradeParty/ram:GlobalID") == "21690123100011"
    assert (
        xml_value(xml, ".//ram:SellerTradeParty/ram:GlobalID") == settings.INVOICING["SELLER_SIRET"]
    )
    assert xml_value(xml, ".//ram:BuyerReference") == "SERV-RI"
    assert xml_value(xml, ".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID") == (
        "ENG-2027-0042"
    )
    assert (
        xml_value(xml, ".//ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
        == (settings.INVOICING["IBAN"])
    )
    assert xml_value(xml, ".//ram:ExemptionReasonCode") == "VATEX-FR-FRANCHISE"


def test_the_file_is_a_pdf_a_3_carrying_its_xml():
    content = commune_invoice().file.read()
    reader = PdfReader(io.BytesIO(content))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    assert "EN 16931" in xmp
    assert reader.trailer["/Root"]["/AF"]  # the associated file: the XML


def test_the_pdf_says_what_french_law_asks_in_french():
    invoice = commune_invoice()
    text = pdf_text(invoice.file.read())
    for expected in (
        "Facture",
        invoice.number,
        "Rencontres AICT",
        "SIRET : 12345678200010",
        "Ville de Lyon",
        "SIRET : 21690123100011",
        "Code service : SERV-RI",
        "Numéro d'engagement : ENG-2027-0042",
        "20 novembre 2027",
        "20 décembre 2027",
        "TVA non applicable, art. 293 B du CGI",
        "trois fois le taux d'intérêt légal",
        "Indemnité forfaitaire pour frais de recouvrement",
        "40,00 €",
        "Pas d'escompte pour paiement anticipé",
        "FR76 3000 6000 0112 3456 7890 189",
    ):
        assert expected.replace("\u202f", " ") in text.replace("\u202f", " "), expected


def test_an_invoice_in_english_and_to_a_private_person_without_the_business_mentions():
    edition = edition_with_invoiced_category()
    registration = registered(edition)
    payer = foreign_payer(registration, kind="person", name="Awa Ndiaye")
    invoice = services.issue_invoice(edition, payer, [registration], [fee()], actor=None)
    text = pdf_text(invoice.file.read())
    assert "Invoice" in text and "Billed to" in text and "Senegal" in text
    assert "VAT not applicable" in text and "No discount for early payment" in text
    assert "recovery costs" not in text and "late payment" not in text


@pytest.mark.parametrize("script", ["arabic", "chinese", "hebrew", "cyrillic", "korean"])
def test_an_invoice_prints_names_in_every_script(script):
    first, last, _job, organisation_name, country = SCRIPTS[script]
    edition = edition_with_invoiced_category()
    registration = registered(
        edition, first_name=first, last_name=last,
        organisation=organisation(organisation_name, country, "foreign_authority"),
    )  # fmt: skip
    payer = foreign_payer(registration, kind="own_organisation", name=organisation_name,
                          country=country, city=organisation_name)  # fmt: skip
    invoice = services.issue_invoice(edition, payer, [registration], [fee()], actor=None)
    text = pdf_text(invoice.file.read())
    for value in (first, last, organisation_name):
        assert holds(text, value), (value, text)
