"""Badges as PDF: A6 (one per page) or A4 sheets of four with cut marks. Each badge: the
edition's branding, the name (shrunk and wrapped to fit), job title, organisation, country,
the category's colour band, and a QR code of the signed token.

Names come in every script: Latin, Cyrillic and Greek in Noto Sans, Arabic in Noto Sans Arabic
(shaped and ordered right to left before drawing, as ReportLab does neither), Chinese, Japanese
and Korean in the Adobe CID fonts ReportLab ships (the PDF viewer supplies their glyphs)."""

import functools
import io
import unicodedata

import segno
from django.conf import settings
from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from rencontres.pdf import register_fonts

from .tokens import badge_token

BADGE_WIDTH, BADGE_HEIGHT = A6
CJK_FONTS = {"ja": "HeiseiKakuGo-W5", "ko": "HYGothic-Medium", "zh": "STSong-Light"}


@functools.cache
def fonts():
    import fontpkg_noto_sans_arabic

    latin = register_fonts()
    path = fontpkg_noto_sans_arabic.ROOT / "files" / "NotoSansArabic[wdth,wght].ttf"
    pdfmetrics.registerFont(TTFont("NotoSansArabic", str(path)))
    for name in CJK_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return latin


def script_of(text):
    """'arabic', 'ja', 'ko', 'zh' or 'latin': what font a text needs. Kana make a text
    Japanese and Hangul Korean, even among Chinese characters (which Japanese uses too)."""
    found = set()
    for char in text:
        code = ord(char)
        if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
            found.add("arabic")
        elif 0x3040 <= code <= 0x30FF:
            found.add("ja")
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
            found.add("ko")
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            found.add("zh")
    for script in ("arabic", "ja", "ko", "zh"):
        if script in found:
            return script
    return "latin"


def prepared(text):
    """(text to draw, font name) for a piece of text in any script."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    script = script_of(text)
    if script == "arabic":
        import arabic_reshaper
        from bidi import get_display

        return get_display(arabic_reshaper.reshape(text)), "NotoSansArabic"
    if script in CJK_FONTS:
        return text, CJK_FONTS[script]
    return text, fonts()


def fit_lines(text, font, width, largest, smallest, max_lines=2):
    """(size, lines): the largest size from `largest` down to `smallest` at which the text
    holds in `max_lines` lines of `width`; at the smallest size, long words are cut."""
    size = largest
    while True:
        lines = wrap(text, font, size, width)
        if len(lines) <= max_lines or size <= smallest:
            return size, lines[:max_lines]
        size -= 1


def wrap(text, font, size, width):
    words = text.split(" ") if " " in text else [text]
    lines, line = [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while pdfmetrics.stringWidth(word, font, size) > width and len(word) > 1:
            # A word wider than the badge (or a text without spaces, as in CJK): cut it.
            cut = len(word)
            while cut > 1 and pdfmetrics.stringWidth(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def draw_qr(pdf, token, x, y, size):
    """The QR code as filled runs of modules (far fewer drawing operations than squares)."""
    # A fixed mask: choosing the best of eight took 80 % of a badge's time, for a code that
    # scanners read as well either way.
    qr = segno.make(token, error="m", micro=False, mask=2, boost_error=False)
    matrix = list(qr.matrix)
    module = size / len(matrix)
    path = pdf.beginPath()
    for row, cells in enumerate(matrix):
        top = y + size - (row + 1) * module
        start = None
        for column, dark in enumerate([*cells, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(x + start * module, top, (column - start) * module, module)
                start = None
    pdf.setFillColor(colors.black)
    pdf.drawPath(path, stroke=0, fill=1)


def draw_text(pdf, text, x, y, width, largest, smallest, colour="#1b1b1b", max_lines=2):
    """Centred lines of `text`; returns the y below them."""
    text, font = prepared(text)
    if not text:
        return y
    size, lines = fit_lines(text, font, width, largest, smallest, max_lines)
    pdf.setFillColor(colors.HexColor(colour))
    pdf.setFont(font, size)
    for line in lines:
        y -= size * 1.15
        pdf.drawCentredString(x + width / 2, y, line)
    return y - size * 0.3


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
    # QR code
    qr_size = 38 * mm
    draw_qr(pdf, badge_token(registration), x + (width - qr_size) / 2, y + 18 * mm, qr_size)
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
    fonts()
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
