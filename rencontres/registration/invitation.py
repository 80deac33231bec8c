"""The invitation letter a foreign participant gives a consulate for a visa, in French or in
English as the person picks: on the organiser's letterhead, with what consulates ask for (name
as in the passport, passport number, nationality, date of birth), and a reference the
consulate can check online (printed and as a QR code).

The reference is the registration's id and the letter's date, signed with the site's secret
(HMAC-SHA256 cut to 80 bits, compared in constant time, checked against SECRET_KEY_FALLBACKS
too so that a new secret does not void the letters already given): nothing to store, nothing
to guess. The page it opens says only whether the letter is ours, with the name, the edition
and the date of the letter."""

import base64
import binascii
import datetime
import io

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from rencontres import qr
from rencontres.dates import date_range_phrase, long_date
from rencontres.pdf import escape, markup, register_fonts

REFERENCE_SALT = "rencontres.registration.invitation-letter"
SIGNATURE_BYTES = 10
ID_BYTES, DATE_BYTES = 4, 2
# Dates of letters count in days from here (two bytes: until 2179).
EPOCH = datetime.date(2000, 1, 1)


# The reference ---------------------------------------------------------------------------------


def signature(payload, key):
    digest = salted_hmac(REFERENCE_SALT, payload, secret=key, algorithm="sha256").digest()
    return digest[:SIGNATURE_BYTES]


def letter_reference(registration, issued_on):
    """The reference printed on a letter of `issued_on`: 26 characters of base 32 (capital
    letters and the digits 2 to 7: no 0 or 1 to take for O or I), the signature first."""
    payload = registration.pk.to_bytes(ID_BYTES, "big") + (issued_on - EPOCH).days.to_bytes(
        DATE_BYTES, "big"
    )
    raw = signature(payload, settings.SECRET_KEY) + payload
    return base64.b32encode(raw).decode().rstrip("=")


def read_reference(reference):
    """(registration id, date of the letter) of a reference we signed; None for anything
    else (mistyped, altered, forged). Spaces, dashes and case do not matter."""
    if not isinstance(reference, str) or len(reference) > 100:
        return None
    text = "".join(reference.split()).replace("-", "").upper()
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != SIGNATURE_BYTES + ID_BYTES + DATE_BYTES:
        return None
    if base64.b32encode(raw).decode().rstrip("=") != text:
        return None  # the last character's unused bits changed: not the reference we wrote
    given, payload = raw[:SIGNATURE_BYTES], raw[SIGNATURE_BYTES:]
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(given, signature(payload, key)) for key in keys):
        return None
    days = int.from_bytes(payload[ID_BYTES:], "big")
    return int.from_bytes(payload[:ID_BYTES], "big"), EPOCH + datetime.timedelta(days=days)


def check_url(reference, language):
    with translation.override(language):
        return settings.SITE_URL + reverse("registration:letter_check", args=[reference])


def grouped(reference):
    """The reference as people read it out: groups of four."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))


# The letter ------------------------------------------------------------------------------------


def styles():
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, spaceAfter=7)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5, spaceAfter=0,
                                textColor="#444444"),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT, spaceAfter=2),
        "title": ParagraphStyle("title", parent=base, fontSize=15, leading=20, spaceAfter=10),
        "brand": ParagraphStyle("brand", parent=base, fontSize=15, leading=19, spaceAfter=2,
                                textColor=settings.BRAND["PRIMARY"]),
        "label": ParagraphStyle("label", parent=base, spaceAfter=0, textColor="#444444"),
        "value": ParagraphStyle("value", parent=base, spaceAfter=0),
    }  # fmt: skip


def invitation_letter_pdf(registration, language=None, today=None):
    """The letter (PDF bytes) in `language` ("fr" or "en"; the person's own by default)."""
    language = language or registration.language
    with translation.override(language):
        return build(registration, language, today or timezone.localdate())


def letterhead(style):
    brand = settings.BRAND
    lines = [Paragraph(markup(brand["ORGANISER_NAME"]), style["brand"])]
    for line in brand["POSTAL_ADDRESS"].split(" / "):
        lines.append(Paragraph(markup(line), style["small"]))
    contact = " · ".join(filter(None, [brand["CONTACT_EMAIL"], brand["ORGANISER_URL"]]))
    lines.append(Paragraph(markup(contact), style["small"]))
    logo = finders.find(brand["PRINT_LOGO"]) if brand["PRINT_LOGO"] else None
    if not logo:
        return lines
    table = Table([[Image(logo, width=20 * mm, height=20 * mm), lines]], colWidths=[25 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return [table]


def place_and_date(venue, day):
    date = long_date(day)
    if venue and venue.city:
        return _("%(city)s, %(date)s") % {"city": venue.city, "date": date}
    return date


def facts(rows, style, label_width=58 * mm):
    table = Table(
        [[Paragraph(markup(label), style["label"]), Paragraph(value, style["value"])]
         for label, value in rows],
        colWidths=[label_width, None],
    )  # fmt: skip
    table.setStyle(
        TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ])
    )  # fmt: skip
    return table


def build(registration, language, issued_on):
    edition, organisation = registration.edition, registration.organisation
    venue = edition.venue
    style = styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=16 * mm,
        bottomMargin=16 * mm, title=_("Invitation letter"), author=settings.BRAND["ORGANISER_NAME"],
    )  # fmt: skip
    reference = letter_reference(registration, issued_on)
    url = check_url(reference, language)
    where = f"{venue.name}, {' '.join(venue.address.split())}" if venue else ""
    date_of_birth = registration.date_of_birth
    person = [
        (_("Name as in the passport"), markup(registration.passport_name)),
        (_("Passport number"), markup(registration.passport_number)),
        (_("Nationality"), markup(str(registration.nationality.name))),
        (_("Date of birth"),
         markup(long_date(date_of_birth) if date_of_birth else "")),
        (_("Job title"), markup(registration.job_title)),
        (_("Organisation"), markup(f"{organisation.name} ({organisation.country.name})")),
    ]  # fmt: skip
    story = [
        *letterhead(style),
        Spacer(1, 3 * mm),
        HRFlowable(width="100%", thickness=1.5, color=colors.HexColor(settings.BRAND["PRIMARY"])),
        Spacer(1, 5 * mm),
        Paragraph(markup(place_and_date(venue, issued_on)), style["right"]),
        Paragraph(markup(_("Reference: %(ref)s") % {"ref": grouped(reference)}), style["right"]),
        Spacer(1, 5 * mm),
        Paragraph(markup(_("Invitation letter")), style["title"]),
        Paragraph(markup(_("To whom it may concern,")), style["body"]),
        Paragraph(
            _(
                "We are pleased to invite %(name)s to take part in the %(edition)s, held "
                "%(dates)s at %(venue)s. Their registration is confirmed."
            )
            % {
                "name": f"<b>{markup(registration.full_name)}</b>",
                "edition": markup(edition.title),
                "dates": markup(date_range_phrase(edition.starts_on, edition.ends_on)),
                "venue": markup(where),
            },
            style["body"],
        ),
        facts(person, style),
        Spacer(1, 4 * mm),
        Paragraph(
            markup(
                _(
                    "The Meetings bring together French and foreign local and regional "
                    "authorities engaged in decentralised cooperation. Theme of this "
                    "edition: %(theme)s."
                )
                % {"theme": edition.theme}
            ),
            style["body"],
        ),
        Paragraph(
            markup(
                _(
                    "We kindly ask the competent authorities to facilitate the issuing of a "
                    "visa for this purpose. Travel, accommodation and living expenses remain "
                    "the responsibility of the participant or their organisation."
                )
            ),
            style["body"],
        ),
        Paragraph(markup(_("Yours faithfully,")), style["body"]),
        Spacer(1, 2 * mm),
    ]
    signature_image = finders.find(settings.INVITATION_SIGNATURE)
    if signature_image:
        story.append(Image(signature_image, width=48 * mm, height=16 * mm, hAlign="LEFT"))
    signatory = settings.INVITATION_SIGNATORY
    title = settings.INVITATION_SIGNATORY_TITLE.get(language, "")
    story += [
        Paragraph(markup(", ".join(filter(None, [signatory, title]))), style["value"]),
        Paragraph(markup(settings.BRAND["ORGANISER_NAME"]), style["body"]),
        Spacer(1, 6 * mm),
        verification(url, reference, style),
    ]
    document.build(story)
    return buffer.getvalue()


def verification(url, reference, style):
    """The QR code and the address where the consulate checks the letter."""
    text = [
        Paragraph(markup(_("Check that this letter is genuine: scan the code or open")),
                  style["small"]),
        Paragraph(f'<link href="{escape(url)}">{escape(url)}</link>', style["small"]),
        Paragraph(markup(_("Reference: %(ref)s") % {"ref": grouped(reference)}), style["small"]),
    ]  # fmt: skip
    table = Table([[qr.Flowable(url, 26 * mm), text]], colWidths=[30 * mm, None])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#c8cdd2")),
    ]))  # fmt: skip
    return table
