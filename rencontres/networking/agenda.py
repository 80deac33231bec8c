"""A participant's agenda (their sessions and bilateral meetings) as a printable PDF and as an
iCalendar feed, in their language."""

import datetime
import io
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rencontres.editions.ical import session_event
from rencontres.pdf import markup, register_fonts

from .selectors import agenda


def other_party(person):
    organisation = person.organisation
    return (
        f"{person.full_name}, {person.job_title} – {organisation.name} "
        f"({organisation.country.name})"
    )


def meeting_place(meeting):
    place = str(meeting.table)
    if meeting.table and meeting.table.location:
        place += f" ({meeting.table.location})"
    return place


def agenda_calendar(registration):
    with translation.override(registration.language):
        items, _waiting = agenda(registration)
        calendar = Calendar()
        calendar.add("prodid", "-//Rencontres//AICT Meetings//EN")
        calendar.add("version", "2.0")
        calendar.add(
            "x-wr-calname", _("My agenda – %(edition)s") % {"edition": registration.edition.title}
        )
        calendar.add("x-wr-timezone", "Europe/Paris")
        host = urlsplit(settings.SITE_URL).hostname
        for _start, _end, kind, item in items:
            if kind == "session":
                item.edition = registration.edition
                calendar.add_component(session_event(item, settings.SITE_URL))
                continue
            event = Event()
            event.add("uid", f"meeting-{item.pk}@{host}")
            event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
            event.add("dtstart", item.slot.starts_at.astimezone(datetime.UTC))
            event.add("dtend", item.slot.ends_at.astimezone(datetime.UTC))
            names = ", ".join(person.full_name for person in item.others)
            event.add("summary", _("Bilateral meeting: %(names)s") % {"names": names})
            event.add("location", meeting_place(item))
            event.add("description", "\n".join(other_party(p) for p in item.others))
            calendar.add_component(event)
        return calendar.to_ical()


def agenda_pdf(registration):
    with translation.override(registration.language):
        return build(registration)


def build(registration):
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=13)
    small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor="#444")
    title = ParagraphStyle(
        "title",
        parent=base,
        fontSize=16,
        leading=21,
        spaceAfter=4,
        textColor=settings.BRAND["PRIMARY"],
    )
    heading = ParagraphStyle(
        "heading", parent=base, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4
    )
    edition = registration.edition
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("My agenda"),
        author=settings.BRAND["ORGANISER_NAME"],
    )
    items, waiting = agenda(registration)
    story = [
        Paragraph(markup(_("My agenda")), title),
        Paragraph(markup(f"{registration.full_name} – {registration.organisation.name}"), base),
        Paragraph(markup(edition.title), small),
        Spacer(1, 4 * mm),
    ]
    day = None
    rows = []

    def flush():
        if rows:
            table = Table(rows, colWidths=[26 * mm, 40 * mm, None], repeatRows=0)
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8cdd2")),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                        ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ]
                )
            )
            story.append(table)
            rows.clear()

    for start, end, kind, item in items:
        start, end = timezone.localtime(start), timezone.localtime(end)
        if start.date() != day:
            flush()
            day = start.date()
            story.append(Paragraph(markup(capfirst(formats.date_format(day, "l j F Y"))), heading))
        when = Paragraph(markup(f"{start:%H:%M}–{end:%H:%M}"), base)
        if kind == "session":
            place = item.room.name if item.room else ""
            what = Paragraph(
                f"<b>{markup(item.title)}</b><br/>{markup(item.get_kind_display())}", base
            )
        else:
            place = meeting_place(item)
            people = "<br/>".join(markup(other_party(p)) for p in item.others)
            what = Paragraph(f"<b>{markup(_('Bilateral meeting'))}</b><br/>{people}", base)
        rows.append([when, Paragraph(markup(place), base), what])
    flush()
    if not items:
        story.append(Paragraph(markup(_("Nothing in your agenda yet.")), base))
    if waiting:
        story.append(Paragraph(markup(_("Accepted meetings not scheduled yet")), heading))
        for meeting in waiting:
            story.append(Paragraph("; ".join(markup(other_party(p)) for p in meeting.others), base))
    document.build(story)
    return buffer.getvalue()
