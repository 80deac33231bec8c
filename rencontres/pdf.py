"""Text in every PDF the site makes (badges, invitation letters, agendas, and what comes
later): one path that picks the font of each character and puts Arabic and Hebrew in shape
and order, for drawing on a canvas and for Platypus paragraphs alike.

A font holds a few scripts only, and ReportLab neither shapes Arabic nor orders right-to-left
text. So a text is shaped (arabic-reshaper: the joined forms of the letters), ordered for the
eye (python-bidi, the Unicode bidirectional algorithm, wherever a character is written right
to left: Arabic, Hebrew, ...), and cut into runs of one font each. Each character goes to the
first font of TRUE_TYPE_FONTS whose character map holds it: Noto Sans for Latin (with
Vietnamese), Cyrillic and Greek; Noto Sans Arabic; then Noto Sans Hebrew, Armenian, Georgian
and Thai (in rencontres/fonts/, OFL, from Debian's fonts-noto-core: no Python package ships
them). Chinese, Japanese and Korean take the Adobe CID fonts ReportLab ships, which PDF
viewers supply (no CJK font is packaged to embed; Acrobat, Chromium, Firefox, Preview and
poppler all draw them). Kana make a text Japanese and Hangul Korean, even among Chinese
characters (which Japanese uses too); other CJK text is set in the Chinese font. A character
that no font holds is printed as the replacement character, never as a blank.

Wrapping happens on the text in reading order, and only then is each line put in visual
order, so that a long Arabic name wrapped on a badge reads from its first line. Inside a
paragraph of running text (a letter), a right-to-left run is kept on one line instead."""

import functools
import pathlib
import re
import unicodedata

import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT = "NotoSans"
ARABIC_FONT = "NotoSansArabic"
FONTS_FOLDER = pathlib.Path(__file__).resolve().parent / "fonts"
# The fonts a character is looked for in, in this order: {name: file}.
TRUE_TYPE_FONTS = {
    FONT: fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf",
    ARABIC_FONT: fontpkg_noto_sans_arabic.ROOT / "files" / "NotoSansArabic[wdth,wght].ttf",
    **{f"NotoSans{script}": FONTS_FOLDER / f"NotoSans{script}-Regular.ttf"
       for script in ("Hebrew", "Armenian", "Georgian", "Thai")},
}  # fmt: skip
# What a character that no font holds is printed as (Noto Sans has it).
REPLACEMENT = "\ufffd"
RIGHT_TO_LEFT = ("R", "AL")  # unicodedata.bidirectional of Hebrew, Arabic, Syriac, Thaana...
CJK_FONTS = {"ja": "HeiseiKakuGo-W5", "ko": "HYGothic-Medium", "zh": "STSong-Light"}
NO_BREAK_SPACE = "\xa0"

# Unicode blocks, as (first, last) code points.
ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF))
# Han, CJK punctuation and symbols, full-width forms: in the CJK font of the text.
CJK = (
    (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3190, 0x31EF), (0x3200, 0x4DBF), (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFF65), (0xFFA0, 0xFFEF), (0x20000, 0x3FFFF),
)  # fmt: skip


def character_class(blocks):
    return "".join(f"{chr(first)}-{chr(last)}" for first, last in blocks)


ARABIC_TEXT = re.compile(f"[{character_class(ARABIC)}]")
KANA_TEXT = re.compile(f"[{character_class(KANA)}]")
HANGUL_TEXT = re.compile(f"[{character_class(HANGUL)}]")


def within(code, blocks):
    return any(first <= code <= last for first, last in blocks)


@functools.cache
def register_fonts():
    """Register the fonts once per process; returns the name of the base (Latin) font."""
    for name, path in TRUE_TYPE_FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    for name in CJK_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    return FONT


def holds_glyph(font, char):
    """Whether the TrueType font named `font` has a glyph for `char` (its character map)."""
    return ord(char) in pdfmetrics.getFont(font).face.charToGlyph


def cjk_font(text):
    """The CJK font a text needs: Japanese if it has kana, Korean if Hangul, else Chinese."""
    if KANA_TEXT.search(text):
        return CJK_FONTS["ja"]
    if HANGUL_TEXT.search(text):
        return CJK_FONTS["ko"]
    return CJK_FONTS["zh"]


@functools.lru_cache(maxsize=8192)
def font_of(char, cjk):
    """The font for one character: the CJK font `cjk` for kana, Hangul and Han, else the first
    of TRUE_TYPE_FONTS that holds it; None for spaces (they take the font of the run they are
    in) and for a character that no font holds."""
    code = ord(char)
    if within(code, KANA) or within(code, HANGUL) or within(code, CJK):
        return cjk
    if char.isspace():
        return None
    register_fonts()
    return next((font for font in TRUE_TYPE_FONTS if holds_glyph(font, char)), None)


def right_to_left(text):
    """Whether `text` holds a letter written right to left (Hebrew, Arabic, ...)."""
    return any(unicodedata.bidirectional(char) in RIGHT_TO_LEFT for char in text)


def clean(text):
    """One line of text as every PDF takes it: composed (NFC), white space made single."""
    return unicodedata.normalize("NFC", " ".join(str(text or "").split()))


def shaped(text):
    """The text with Arabic letters in their joined forms (still in reading order)."""
    if not ARABIC_TEXT.search(text):
        return text
    import arabic_reshaper

    return arabic_reshaper.reshape(text)


def visual(text, base=None):
    """Shaped text in the order it is drawn, left to right. `base`: "L" inside a left-to-right
    sentence; None for a line of its own, whose first letter sets its direction."""
    text = shaped(text)
    if not right_to_left(text):
        return text
    from bidi import get_display

    return get_display(text, base_dir=base)


def runs(text, cjk=None):
    """[(piece, font)]: `text` cut where the font changes (spaces, and marks that the font of
    the run before them holds, join that run); a character that no font holds is printed as
    REPLACEMENT."""
    register_fonts()
    cjk = cjk or cjk_font(text)
    pieces = []
    for char in text:
        before = pieces[-1][1] if pieces else None
        if char.isspace():
            font = before or FONT
        elif (before in TRUE_TYPE_FONTS and unicodedata.category(char).startswith("M")
              and holds_glyph(before, char)):  # fmt: skip
            font = before
        else:
            font = font_of(char, cjk)
            if font is None:
                char, font = REPLACEMENT, FONT
        if pieces and pieces[-1][1] == font:
            pieces[-1][0].append(char)
        else:
            pieces.append(([char], font))
    return [("".join(chars), font) for chars, font in pieces]


def width(text, size, cjk=None):
    """The width of shaped `text` at `size`, whatever its scripts."""
    return sum(pdfmetrics.stringWidth(piece, font, size) for piece, font in runs(text, cjk))


def wrap(text, size, line_width, cjk=None):
    """Lines (shaped, in reading order) of at most `line_width`; a word wider than a line (or a
    text without spaces, as Chinese is written) is cut."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if width(candidate, size, cjk) <= line_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and width(word, size, cjk) > line_width:
            cut = len(word) - 1
            while cut > 1 and width(word[:cut], size, cjk) > line_width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def fit(text, line_width, largest, smallest, max_lines=2):
    """(size, lines): the largest size from `largest` down to `smallest` at which the text holds
    in `max_lines` lines of `line_width`; at the smallest size, what does not hold is left out.
    The lines are shaped, in reading order: draw them with `draw_line`."""
    text = shaped(clean(text))
    cjk = cjk_font(text)
    size = largest
    while True:
        lines = wrap(text, size, line_width, cjk)
        if len(lines) <= max_lines or size <= smallest:
            return size, lines[:max_lines]
        size -= 1


def draw_line(pdf, text, x, y, size, align="left", cjk=None):
    """One line of text on a canvas, its baseline at y; x is its left end, its centre or its
    right end as `align` says ("left", "centre", "right")."""
    cjk = cjk or cjk_font(text)
    pieces = runs(visual(clean(text)), cjk)
    total = sum(pdfmetrics.stringWidth(piece, font, size) for piece, font in pieces)
    x -= {"left": 0, "centre": total / 2, "right": total}[align]
    for piece, font in pieces:
        pdf.setFont(font, size)
        pdf.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, size)


def draw_text(pdf, text, x, y, line_width, largest, smallest, max_lines=2, align="centre",
              leading=1.15):  # fmt: skip
    """`text` in lines within `line_width` from x, the first line's top at y, at the largest
    size that fits (see `fit`); returns the y below the last line."""
    size, lines = fit(text, line_width, largest, smallest, max_lines)
    if not lines:
        return y
    cjk = cjk_font(clean(text))
    anchor = {"left": x, "centre": x + line_width / 2, "right": x + line_width}[align]
    for line in lines:
        y -= size * leading
        draw_line(pdf, line, anchor, y, size, align, cjk)
    return y - size * 0.3


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text):
    """Paragraph markup for a plain text, in any script: each run in its font, Arabic shaped
    and ordered for a left-to-right paragraph, its spaces made non-breaking so that a line
    break never swaps its words. Escaped: safe for what people typed. Give it a whole line
    ("name – organisation"), not its pieces one by one: pieces in Arabic next to each other
    read right to left together."""
    text = clean(text)
    cjk = cjk_font(text)
    parts = []
    for piece, font in runs(visual(keep_right_to_left_together(text), base="L"), cjk):
        if font == FONT:
            parts.append(escape(piece))
        else:
            parts.append(f'<font name="{font}">{escape(piece)}</font>')
    return "".join(parts)


def keep_right_to_left_together(text):
    """The spaces of each right-to-left stretch made non-breaking: from a right-to-left letter
    (Arabic, Hebrew, ...) to the last one before a letter of another script (what lies
    between, spaces, digits and punctuation, reads right to left with them)."""
    chars = list(text)
    start = None  # where the current right-to-left stretch began
    for index, char in enumerate(chars):
        if unicodedata.bidirectional(char) in RIGHT_TO_LEFT:
            if start is not None:
                for between in range(start, index):
                    if chars[between] == " ":
                        chars[between] = NO_BREAK_SPACE
            start = index
        elif char.isalpha():
            start = None
    return "".join(chars)
