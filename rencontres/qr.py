"""QR codes, drawn one way wherever the site shows one: on a page (inline SVG that scales
with its box) and in a PDF (ReportLab), both with the quiet zone scanners need around them.

Never a Micro QR (many phone apps cannot read one), error correction M (a badge survives a
crease)."""

import segno
from reportlab.lib import colors
from reportlab.platypus import Flowable as BaseFlowable

# The white margin around the code, in modules: the standard's minimum for QR codes.
QUIET_ZONE = 4


def make(text):
    # A fixed mask: choosing the best of eight took 80 % of a badge's time, for a code that
    # scanners read as well either way.
    return segno.make(text, error="m", micro=False, mask=2, boost_error=False)


def svg(text, title):
    """Inline SVG for a page. It has a viewBox and no width or height of its own, so that the
    stylesheet sizes it (`.qr svg`) and it scales whole instead of being cropped."""
    return make(text).svg_inline(scale=1, border=QUIET_ZONE, omitsize=True, title=title)


def draw(pdf, text, x, y, size):
    """The code on a ReportLab canvas: a white square of `size` with its lower left corner at
    (x, y), quiet zone included, the dark modules as filled runs (far fewer drawing
    operations than one square each)."""
    matrix = list(make(text).matrix)
    count = len(matrix) + 2 * QUIET_ZONE
    module = size / count
    pdf.saveState()
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    left, top_edge = x + QUIET_ZONE * module, y + size - QUIET_ZONE * module
    path = pdf.beginPath()
    for row, cells in enumerate(matrix):
        top = top_edge - (row + 1) * module
        start = None
        for column, dark in enumerate([*cells, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(left + start * module, top, (column - start) * module, module)
                start = None
    pdf.setFillColor(colors.black)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()


class Flowable(BaseFlowable):
    """The code as a Platypus flowable of `size` (quiet zone included)."""

    def __init__(self, text, size):
        super().__init__()
        self.text, self.size = text, size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        draw(self.canv, self.text, 0, 0, self.size)
