"""The invoice and the credit note as a person reads them: an A4 PDF in the payer's language
(French or English) with what French law asks of an invoice (Code de commerce L441-9, CGI
art. 242 nonies A): the seller and the buyer with their SIRET and VAT numbers, the number and
the date, the service and its dates, each line, the totals excluding VAT, the VAT per rate (or
the exemption's wording) and including VAT, the due date and the payment terms, the
late-payment penalties and the fixed recovery indemnity owed by organisations, the absence of
discount for early payment, and for public payers their service code and commitment number.

Names in every script go through the text path all PDFs share (rencontres/pdf.py). The PDF
then carries its EN 16931 XML (einvoice.py): one file, a Factur-X invoice."""

import functools
import io

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rencontres.dates import date_range, long_date
from rencontres.money import format_money as money
from rencontres.pdf import draw_line, markup, register_fonts

from . import einvoice
from .lines import percent, totals

PRIMARY = colors.HexColor("#1f4e79")
RULE = colors.HexColor("#c8cdd2")
SHADE = colors.HexColor("#eef2f6")


def legal_mentions(document, seller):
    """[(UNTDID 4451 subject code, sentence)] in the active language: what the law asks an
    invoice to say about payment. Penalties and the fixed indemnity are owed by businesses
    and public bodies, not by a private person."""
    invoice = getattr(document, "invoice", document)
    found = []
    if invoice.buyer_is_organisation:
        language = translation.get_language()[:2]
        penalty = seller["late_penalty"].get(language) or seller["late_penalty"]["fr"]
        found.append((
            "PMD",
            _("In case of late payment: %(penalty)s, due from the day after the due date "
              "(French Commercial Code, article L441-10).") % {"penalty": penalty},
        ))  # fmt: skip
        found.append((
            "PMT",
            _("Fixed indemnity for recovery costs in case of late payment: %(amount)s "
              "(French Commercial Code, article D441-5).")
            % {"amount": money(seller["recovery_indemnity_cents"], invoice.currency, language)},
        ))  # fmt: skip
    found.append(("AAB", _("No discount for early payment.")))
    return found


@functools.cache
def styles():
    """The paragraph styles, made once per process (shared: never change them)."""
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    found = {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10,
                                textColor=colors.HexColor("#444444")),
        "label": ParagraphStyle("label", parent=base, fontSize=7.5, leading=10,
                                textColor=colors.HexColor("#555555")),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "strong_right": ParagraphStyle("strong_right", parent=base, alignment=TA_RIGHT,
                                       fontSize=10.5, leading=14),
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=21,
                                alignment=TA_RIGHT, textColor=PRIMARY),
        "seller": ParagraphStyle("seller", parent=base, fontSize=12, leading=15,
                                 textColor=PRIMARY),
        "heading": ParagraphStyle("heading", parent=base, fontSize=10, leading=14,
                                  spaceBefore=6, spaceAfter=2, textColor=PRIMARY),
    }  # fmt: skip
    found["label_right"] = ParagraphStyle("label_right", parent=found["label"],
                                          alignment=TA_RIGHT)  # fmt: skip
    return found


@functools.lru_cache(maxsize=4096)
def parsed(text, style):
    """(markup, style, fragments, bullet) of a paragraph of `text` in `style` (one of
    styles()): the text put through pdf.markup and parsed once per process, as most of an
    invoice's paragraphs (labels, the seller, the mentions) are the same on every invoice."""
    found = Paragraph(markup(text), style)
    return found.text, found.style, tuple(found.frags), found.bulletText


def paragraph(text, style):
    """A Paragraph of `text` (plain, in any script) in `style`, from the parsed fragments,
    each copied: layout sets attributes on them."""
    text, style, frags, bullet = parsed(text, style)
    return Paragraph(text, style, bulletText=bullet, frags=[frag.clone() for frag in frags])


def lines_of(*texts):
    return [text for text in texts if text]


def seller_block(seller, style):
    rows = [paragraph(seller["name"], style["seller"])]
    for line in lines_of(*seller["address"].split(" / "),
                         f"{seller['postcode']} {seller['city']}".strip()):  # fmt: skip
        rows.append(paragraph(line, style["body"]))
    rows.append(paragraph(_("SIRET: %(siret)s") % {"siret": seller["siret"]}, style["small"]))
    if seller["vat_number"]:
        rows.append(paragraph(_("VAT number: %(number)s") % {"number": seller["vat_number"]},
                              style["small"]))  # fmt: skip
    rows.append(paragraph(seller["email"], style["small"]))
    return rows


def document_block(document, invoice, style):
    credit_note = document is not invoice
    rows = [
        paragraph(_("Credit note") if credit_note else _("Invoice"), style["title"]),
        paragraph(_("No. %(number)s") % {"number": document.number}, style["strong_right"]),
        paragraph(_("Date: %(date)s") % {"date": long_date(document.issued_on)}, style["right"]),
    ]
    if credit_note:
        rows.append(paragraph(
            _("For invoice %(number)s of %(date)s")
            % {"number": invoice.number, "date": long_date(invoice.issued_on)},
            style["right"],
        ))  # fmt: skip
    else:
        rows.append(paragraph(_("Due date: %(date)s") % {"date": long_date(invoice.due_on)},
                              style["right"]))  # fmt: skip
    return rows


def buyer_block(invoice, style):
    rows = [paragraph(_("Billed to"), style["label"]), paragraph(invoice.buyer_name, style["body"])]
    for line in lines_of(*invoice.buyer_address.split(" / "),
                         f"{invoice.buyer_postcode} {invoice.buyer_city}".strip(),
                         str(invoice.buyer_country.name)):  # fmt: skip
        rows.append(paragraph(line, style["body"]))
    facts = [
        (_("SIRET: %(siret)s"), {"siret": invoice.buyer_siret}),
        (_("VAT number: %(number)s"), {"number": invoice.buyer_vat_number}),
        (_("Service code: %(code)s"), {"code": invoice.service_code}),
        (_("Commitment number: %(number)s"), {"number": invoice.commitment_number}),
    ]
    for text, values in facts:
        if all(values.values()):
            rows.append(paragraph(text % values, style["small"]))
    return rows


def grid(rows, widths, style, header=True, align_from=1):
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def line_table(items, currency, language, style):
    header = [paragraph(text, style["label"] if index == 0 else right_label(style))
              for index, text in enumerate([
                  _("Description"), _("Quantity"), _("Unit price excl. VAT"), _("VAT"),
                  _("Total excl. VAT")])]  # fmt: skip
    rows = [header]
    for item in items:
        label = item.label(language)
        if item.code:
            label = f"{label} ({item.code})"
        rows.append([
            paragraph(label, style["body"]),
            paragraph(str(item.quantity), style["right"]),
            paragraph(money(item.unit_cents, currency, language), style["right"]),
            paragraph(f"{percent(item.vat_rate_bp)} %", style["right"]),
            paragraph(money(item.total_cents, currency, language), style["right"]),
        ])  # fmt: skip
    return grid(rows, [None, 18 * mm, 32 * mm, 16 * mm, 30 * mm], style)


def right_label(style):
    return style["label_right"]


def totals_table(document, items, currency, language, style):
    sums = totals(items)
    credit_note = hasattr(document, "invoice")
    rows = [[paragraph(_("Total excl. VAT"), style["body"]),
             paragraph(money(sums.net_cents, currency, language), style["right"])]]  # fmt: skip
    for rate, base, vat in sums.by_rate:
        if not rate:  # the exemption's wording, below, says why
            continue
        label = _("VAT %(rate)s %% on %(base)s") % {
            "rate": percent(rate),
            "base": money(base, currency, language),
        }
        rows.append([paragraph(label, style["body"]),
                     paragraph(money(vat, currency, language), style["right"])])  # fmt: skip
    rows.append([paragraph(_("Total VAT"), style["body"]),
                 paragraph(money(sums.vat_cents, currency, language), style["right"])])  # fmt: skip
    gross = money(sums.gross_cents, currency, language)
    last = _("Amount credited") if credit_note else _("Amount due")
    for label in (_("Total incl. VAT"), last):
        rows.append([paragraph(label, style["body"]), paragraph(gross, style["strong_right"])])
    table = Table(rows, colWidths=[62 * mm, 32 * mm], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, -1), (-1, -1), SHADE),
    ]))  # fmt: skip
    return table


def payment_and_law(document, invoice, items, seller, style):
    language = invoice.language
    story = [paragraph(_("Payment"), style["heading"])]
    if document is invoice:
        story.append(paragraph(
            _("To be paid by %(date)s (%(days)s days from the date of the invoice), by bank "
              "transfer, with the reference %(number)s.")
            % {"date": long_date(invoice.due_on), "days": seller["payment_terms_days"],
               "number": invoice.number},
            style["body"],
        ))  # fmt: skip
    else:
        story.append(paragraph(
            _("This credit note reduces what is owed on invoice %(number)s; an amount already "
              "paid beyond what is owed is refunded by bank transfer.")
            % {"number": invoice.number},
            style["body"],
        ))  # fmt: skip
    story.append(paragraph(
        _("IBAN: %(iban)s · BIC: %(bic)s · Account holder: %(name)s")
        % {"iban": spaced(seller["iban"]), "bic": seller["bic"], "name": seller["name"]},
        style["body"],
    ))  # fmt: skip
    mentions = []
    if any(not item.vat_rate_bp for item in items):
        mentions.append(seller["vat_exemption"].get(language) or seller["vat_exemption"]["fr"])
    if document is invoice:
        mentions += [text for _code, text in legal_mentions(document, seller)]
    story += [Spacer(1, 2 * mm), *(paragraph(text, style["small"]) for text in mentions)]
    return story


def spaced(iban):
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def build(document, items, edition, people=()):
    """The PDF (bytes, before the XML is embedded) of `document` and its `items`, naming the
    `people` (registrations) it bills."""
    invoice = getattr(document, "invoice", document)
    seller, language, currency = invoice.seller, invoice.language, document.currency
    style = styles()
    buffer = io.BytesIO()
    title = _("Credit note") if document is not invoice else _("Invoice")
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
        bottomMargin=20 * mm, title=f"{title} {document.number}", author=seller["name"],
        lang={"fr": "fr-FR", "en": "en-GB"}.get(language),
    )  # fmt: skip
    heading = Table(
        [[seller_block(seller, style), document_block(document, invoice, style)]],
        colWidths=[None, 70 * mm],
    )
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    buyer = Table([[buyer_block(invoice, style)]], colWidths=[95 * mm], hAlign="RIGHT")
    buyer.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("TOPPADDING", (0, 0), (-1, -1), 4),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))  # fmt: skip
    service = _("Participation in %(edition)s, %(dates)s") % {
        "edition": edition.title,
        "dates": date_range(edition.starts_on, edition.ends_on),
    }
    story = [heading, Spacer(1, 6 * mm), buyer, Spacer(1, 6 * mm),
             paragraph(service, style["body"])]  # fmt: skip
    if people:
        names = ", ".join(person.full_name for person in people)
        story.append(paragraph(_("Participants: %(names)s") % {"names": names}, style["body"]))
    if document is not invoice:
        story.append(paragraph(_("Reason: %(reason)s") % {"reason": document.reason},
                               style["body"]))  # fmt: skip
    story += [
        Spacer(1, 3 * mm),
        line_table(items, currency, language, style),
        Spacer(1, 4 * mm),
        KeepTogether(totals_table(document, items, currency, language, style)),
        Spacer(1, 4 * mm),
        KeepTogether(payment_and_law(document, invoice, items, seller, style)),
    ]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#555555"))
        siret = _("SIRET: %(siret)s") % {"siret": seller["siret"]}
        page = _("Page %(page)s") % {"page": doc.page}
        text = " · ".join([seller["name"], siret, document.number, page])
        draw_line(canvas, text, A4[0] / 2, 10 * mm, 7.5, align="centre")
        canvas.restoreState()

    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def render(document, items, edition, people=()):
    """The Factur-X file of `document` (an Invoice or a CreditNote, numbered, unsaved) for
    `people`: the PDF in the payer's language with its EN 16931 XML, checked against the XSD."""
    invoice = getattr(document, "invoice", document)
    with translation.override(invoice.language):
        xml_bytes = einvoice.xml(document, items, edition)
        pdf = build(document, items, edition, people)
        return einvoice.facturx_pdf(
            pdf, xml_bytes, document.number, invoice.seller["name"], invoice.language
        )
