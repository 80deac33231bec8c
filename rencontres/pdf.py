"""Shared PDF pieces: fonts that cover the names people have (Latin with Vietnamese,
Cyrillic, Greek), registered once per process."""

import functools

import fontpkg_noto_sans
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "NotoSans"


@functools.cache
def register_fonts():
    path = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT
