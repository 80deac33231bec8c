"""A session's list as files: a PDF for the door (each person's name and organisation, a box to
tick, then the waiting list in order), in any script through rencontres/pdf.py, and an Excel
sheet written as the registrations export writes its own (exports.workbook). Both in the
active language."""

import io

from django.conf import settings
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rencontres.pdf import FONT, draw_line, markup, register_fonts

from . import exports

LINE = colors.HexColor("#9aa3ab")


class TickBox(Flowable):
    """An empty square to tick with a pen."""

    def __init__(self, side=5 * mm):
        super().__init__()
        self.side = side

    def wrap(self, available_width, available_height):
        return self.side, self.side

    def draw(self):
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.side, self.side)


def when(session):
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    day = capfirst(formats.date_format(start, "l j F Y"))
    hours = f"{formats.time_format(start, 'TIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')}"
    room = f" · {session.room.name}" if session.room_id else ""
    return f"{day}, {hours}{room}"


def person_name(registration):
    return f"{registration.last_name} {registration.first_name}".strip()


def organisation_of(registration):
    organisation = registration.organisation
    return f"{organisation.name} ({organisation.country.code})" if organisation else ""


def door_list_pdf(session, holders, waiting):
    """The PDF of a session's list: who holds a place (by name) with a box to tick, then the
    waiting list in order; the header row is repeated on every page."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=12.5)
    small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor="#444")
    title = ParagraphStyle(
        "title", parent=base, fontSize=16, leading=20, spaceAfter=3,
        textColor=settings.BRAND["PRIMARY"],
    )  # fmt: skip
    heading = ParagraphStyle(
        "heading", parent=base, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4
    )
    edition = session.edition
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=18 * mm, title=session.title, author=settings.BRAND["ORGANISER_NAME"],
    )  # fmt: skip
    printed = formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#444"))
        text = _("%(session)s – printed %(date)s – page %(page)s") % {
            "session": session.title, "date": printed, "page": canvas.getPageNumber()
        }  # fmt: skip
        draw_line(canvas, text, 15 * mm, 10 * mm, 8)
        canvas.restoreState()

    counts = ngettext(
        "%(taken)s place taken of %(capacity)s", "%(taken)s places taken of %(capacity)s",
        len(holders),
    ) % {"taken": len(holders), "capacity": session.capacity}  # fmt: skip
    if waiting:
        counts += " · " + ngettext(
            "%(count)s person on the waiting list", "%(count)s people on the waiting list",
            len(waiting),
        ) % {"count": len(waiting)}  # fmt: skip
    story = [
        Paragraph(markup(session.title), title),
        Paragraph(markup(when(session)), base),
        Paragraph(markup(f"{edition.title} · {counts}"), small),
        Spacer(1, 5 * mm),
    ]

    def cell(text):
        return Paragraph(markup(text), base)

    def name_cell(person):
        """The name, and below it the job title, which tells two namesakes apart."""
        text = markup(person_name(person))
        if person.job_title:
            text += f'<br/><font size="8.5" color="#444444">{markup(person.job_title)}</font>'
        return Paragraph(text, base)

    def header(*titles):
        return [Paragraph(f"<b>{markup(text)}</b>", small) for text in titles]

    def table(rows, widths):
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                    ("TOPPADDING", (0, 0), (-1, -1), 4.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
                ]
            )
        )
        return table

    if holders:
        rows = [header(_("Present"), _("Name"), _("Organisation"))]
        rows += [
            [TickBox(), name_cell(c.registration), cell(organisation_of(c.registration))]
            for c in holders
        ]
        story.append(table(rows, [20 * mm, 70 * mm, None]))
    else:
        story.append(Paragraph(markup(_("Nobody holds a place yet.")), base))
    if waiting:
        story.append(Paragraph(markup(_("Waiting list")), heading))
        rows = [header(_("Present"), "#", _("Name"), _("Organisation"))]
        rows += [
            [TickBox(), cell(str(c.position)), name_cell(c.registration),
             cell(organisation_of(c.registration))]
            for c in waiting
        ]  # fmt: skip
        story.append(table(rows, [20 * mm, 10 * mm, 60 * mm, None]))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def session_xlsx(session, holders, waiting):
    """The session's list as one sheet: those holding a place, then the waiting list in
    order, each with their organisation and how to reach them."""
    header = [
        (_("List"), exports.TEXT),
        (_("Position on the waiting list"), exports.NUMBER),
        (_("Last name"), exports.TEXT),
        (_("First name"), exports.TEXT),
        (_("Organisation"), exports.TEXT),
        (_("Country"), exports.TEXT),
        (_("Category"), exports.TEXT),
        (_("E-mail"), exports.TEXT),
        (_("Since"), exports.DATE),
        (_("Registration number"), exports.NUMBER),
    ]
    guard = exports.guard
    place, on_the_list = guard(_("Place")), guard(_("Waiting list"))

    def row(choice, label, position=None):
        person = choice.registration
        organisation = person.organisation
        country = str(organisation.country.code) if organisation else ""
        return [
            label,
            position,
            guard(person.last_name) or None,
            guard(person.first_name) or None,
            guard(organisation.name) if organisation else None,
            guard(str(countries.name(country))) if country else None,
            guard(person.category.name) if person.category_id else None,
            guard(person.email) or None,
            timezone.localtime(choice.created_at).replace(tzinfo=None, microsecond=0),
            person.pk,
        ]

    body = [row(choice, place) for choice in holders]
    body += [row(choice, on_the_list, choice.position) for choice in waiting]
    return exports.workbook(session.title, header, body)
