"""The invitation letter a foreign participant shows to a consulate for a visa."""

import io

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import HRFlowable

from rencontres.pdf import register_fonts


def styles():
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=15.5, spaceAfter=7)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12, textColor="#444"),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=base, fontSize=15, leading=20, spaceAfter=12),
        "brand": ParagraphStyle(
            "brand", parent=base, fontSize=17, leading=22, textColor=settings.BRAND["PRIMARY"]
        ),
    }


def escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def invitation_letter_pdf(registration):
    with translation.override(registration.language):
        return build(registration)


def build(registration):
    edition, organisation = registration.edition, registration.organisation
    style = styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=18 * mm,
        bottomMargin=20 * mm, title=_("Invitation letter"), author=settings.BRAND["ORGANISER_NAME"],
    )  # fmt: skip
    venue = edition.venue
    dates = "{} – {}".format(
        formats.date_format(edition.starts_on, "DATE_FORMAT"),
        formats.date_format(edition.ends_on, "DATE_FORMAT"),
    )
    passport_name = registration.passport_name or registration.full_name
    story = [
        Paragraph(escape(settings.BRAND["ORGANISER_NAME"]), style["brand"]),
        Paragraph(escape(settings.BRAND["CONTACT_EMAIL"]), style["small"]),
        HRFlowable(width="100%", thickness=2, color=colors.HexColor(settings.BRAND["PRIMARY"])),
        Spacer(1, 8 * mm),
        Paragraph(
            escape(
                _("%(city)s, %(date)s")
                % {
                    "city": venue.city if venue else "",
                    "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
                }
            ),
            style["right"],
        ),
        Paragraph(
            escape(_("Reference: %(ref)s") % {"ref": str(registration.public_id)[:8]}),
            style["right"],
        ),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("Invitation letter")), style["title"]),
        Paragraph(escape(_("To whom it may concern,")), style["body"]),
        Paragraph(
            _(
                "We are pleased to confirm that <b>%(name)s</b> (name as in the passport: "
                "<b>%(passport)s</b>), %(job)s, %(organisation)s (%(country)s), is registered "
                "to take part in the <b>%(edition)s</b>, which will be held from %(dates)s "
                "at %(venue)s."
            )
            % {
                "name": escape(registration.full_name),
                "passport": escape(passport_name),
                "job": escape(registration.job_title),
                "organisation": escape(organisation.name),
                "country": escape(str(organisation.country.name)),
                "edition": escape(edition.title),
                "dates": escape(dates),
                "venue": escape(
                    f"{venue.name}, {' '.join(venue.address.split())}" if venue else ""
                ),
            },
            style["body"],
        ),
        Paragraph(
            escape(
                _(
                    "The Meetings bring together French and foreign local and regional "
                    "authorities engaged in decentralised cooperation. Theme of this edition: "
                    "%(theme)s."
                )
                % {"theme": edition.theme}
            ),
            style["body"],
        ),
        Paragraph(
            escape(
                _(
                    "We kindly ask the competent authorities to facilitate the issuing of a "
                    "visa for this purpose. Travel, accommodation and living expenses remain "
                    "the responsibility of the participant or their organisation."
                )
            ),
            style["body"],
        ),
        Paragraph(escape(_("Yours faithfully,")), style["body"]),
        Spacer(1, 4 * mm),
    ]
    signature = finders.find(settings.INVITATION_SIGNATURE)
    if signature:
        story.append(Image(signature, width=48 * mm, height=16 * mm, hAlign="LEFT"))
    story += [
        Paragraph(escape(settings.INVITATION_SIGNATORY), style["body"]),
        Paragraph(escape(settings.BRAND["ORGANISER_NAME"]), style["body"]),
    ]
    document.build(story)
    return buffer.getvalue()
