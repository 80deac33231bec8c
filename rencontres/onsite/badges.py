"""Badges as PDF: A6 (one per page) or A4 sheets of four with cut marks. Each badge: the
edition's branding, the name (shrunk and wrapped to fit), job title, organisation, country,
the category's colour band, and a QR code of the signed token. Names in every script, through
the text path all PDFs share (rencontres/pdf.py)."""

import io

from django.conf import settings
from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from rencontres import qr
from rencontres.pdf import draw_text as draw_lines
from rencontres.pdf import register_fonts

from .tokens import badge_token

BADGE_WIDTH, BADGE_HEIGHT = A6


def draw_text(pdf, value, x, y, width, largest, smallest, colour="#1b1b1b", max_lines=2):
    """Centred lines of `value`; returns the y below them."""
    pdf.setFillColor(colors.HexColor(colour))
    return draw_lines(pdf, value, x, y, width, largest, smallest, max_lines)


def draw_badge(pdf, registration, x, y, edition_title):
    """One badge with its lower left corner at (x, y)."""
    width, height = BADGE_WIDTH, BADGE_HEIGHT
    margin = 7 * mm
    inner = width - 2 * margin
    brand = settings.BRAND
    # Branding band
    pdf.setFillColor(colors.HexColor(brand["PRIMARY"]))
    pdf.rect(x, y + height - 18 * mm, width, 18 * mm, stroke=0, fill=1)
    top = y + height - 3 * mm
    top = draw_text(pdf, brand["ORGANISER_NAME"], x + margin, top, inner, 10, 7, "#ffffff", 1)
    draw_text(pdf, edition_title, x + margin, top + 1 * mm, inner, 8, 6, "#ffffff", 1)
    # Person
    cursor = y + height - 24 * mm
    cursor = draw_text(pdf, registration.full_name, x + margin, cursor, inner, 24, 11)
    cursor = draw_text(pdf, registration.job_title, x + margin, cursor, inner, 11, 7)
    organisation = registration.organisation
    cursor = draw_text(pdf, organisation.name, x + margin, cursor, inner, 12, 7, "#333333")
    country = f"{organisation.country.code} · {organisation.country.name}"
    draw_text(pdf, country, x + margin, cursor, inner, 11, 7, "#333333", 1)
    # QR code, its white quiet zone included
    qr_size = 44 * mm
    qr.draw(pdf, badge_token(registration), x + (width - qr_size) / 2, y + 15 * mm, qr_size)
    # Category band
    category = registration.category
    pdf.setFillColor(colors.HexColor(category.colour))
    pdf.rect(x, y, width, 14 * mm, stroke=0, fill=1)
    draw_text(pdf, category.name.upper(), x + margin, y + 11.5 * mm, inner, 14, 8, "#ffffff", 1)


def cut_marks(pdf, page_width, page_height):
    """Short lines at the page's edges where the sheet is cut into four A6 badges."""
    pdf.setStrokeColor(colors.black)
    pdf.setLineWidth(0.3)
    length = 5 * mm
    middle_x, middle_y = page_width / 2, page_height / 2
    for x in (middle_x,):
        pdf.line(x, 0, x, length)
        pdf.line(x, page_height - length, x, page_height)
    for y in (middle_y,):
        pdf.line(0, y, length, y)
        pdf.line(page_width - length, y, page_width, y)
    pdf.line(middle_x - length / 2, middle_y, middle_x + length / 2, middle_y)
    pdf.line(middle_x, middle_y - length / 2, middle_x, middle_y + length / 2)


def badges_pdf(registrations, layout="a6", progress=None):
    """The PDF (bytes) of the registrations' badges, in order. `progress(done)` is called
    every 50 badges. Returns (pdf bytes, pages)."""
    register_fonts()
    buffer = io.BytesIO()
    page_size = A4 if layout == "a4" else A6
    pdf = canvas.Canvas(buffer, pagesize=page_size, pageCompression=1)
    pdf.setTitle("Badges")
    pdf.setAuthor(settings.BRAND["ORGANISER_NAME"])
    positions = (
        [(0, BADGE_HEIGHT), (BADGE_WIDTH, BADGE_HEIGHT), (0, 0), (BADGE_WIDTH, 0)]
        if layout == "a4"
        else [(0, 0)]
    )
    pages, slot = 0, 0
    titles = {}
    for done, registration in enumerate(registrations, start=1):
        edition = registration.edition
        with translation.override(registration.language):
            if (edition.pk, registration.language) not in titles:
                titles[edition.pk, registration.language] = edition.title
            x, y = positions[slot]
            draw_badge(pdf, registration, x, y, titles[edition.pk, registration.language])
        slot += 1
        if slot == len(positions):
            if layout == "a4":
                cut_marks(pdf, *page_size)
            pdf.showPage()
            pages, slot = pages + 1, 0
        if progress is not None and done % 50 == 0:
            progress(done)
    if slot:
        if layout == "a4":
            cut_marks(pdf, *page_size)
        pdf.showPage()
        pages += 1
    pdf.save()
    return buffer.getvalue(), pages
