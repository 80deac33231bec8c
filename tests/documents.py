"""Reading back what the site prints, as a reader would: the text of a PDF, its pages as
images, and the QR codes a phone would find in an image (zxing-cpp, the reader behind many
scanning apps)."""

import io
import unicodedata

from PIL import Image
from pypdf import PdfReader


def pdf_text(content):
    """The text of every page, joined, with runs of white space made one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def pdf_pages(content):
    return len(PdfReader(io.BytesIO(content)).pages)


def comparable(text):
    """Text as a reader compares it: Arabic presentation forms (what shaping draws) back to
    their letters, and white space made single."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def holds(extracted, text):
    """Whether `text` is in `extracted` (a PDF's text), in its logical order or, for a
    right-to-left text drawn in visual order, reversed (each line is drawn right to left)."""
    extracted, text = comparable(extracted), comparable(text)
    return text in extracted or text[::-1] in extracted


def page_images(content, dpi=150):
    """Each page of a PDF as a PIL image (PDFium, as in Chromium)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()


def qr_codes(image):
    """The texts of the QR codes a reader finds in `image` (PIL image or PNG bytes)."""
    import zxingcpp

    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    return [
        found.text
        for found in zxingcpp.read_barcodes(
            image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode
        )
    ]
