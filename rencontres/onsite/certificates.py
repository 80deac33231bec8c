"""Attendance certificates (attestations de présence): what a person's check-ins prove (the
days, and the sessions scanned at their door), issued with a random reference, drawn as a PDF
in French or English (one page each, through the text path all PDFs share), built for a whole
edition in the background, e-mailed once to each present person, and checked on a public page.

Nobody gets a certificate for a day without a check-in: a certificate is issued from the
check-ins only, and a person without one gets none. An organiser adds a forgotten check-in by
hand (add_check_in_by_hand), and that is audited. A certificate states what the check-ins
said when it was issued; once they change (a day added), the next download issues a new one
and the old reference says it was replaced."""

import datetime
import functools
import io
import logging

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from rencontres import background, qr
from rencontres.dates import date_range_phrase, long_date
from rencontres.editions.models import Session
from rencontres.mail.services import queue_email
from rencontres.pdf import draw_text, register_fonts
from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN, is_erased
from rencontres.registration.models import Registration
from rencontres.registration.services import log
from rencontres.registration.services.messages import absolute, mail_context

from .models import Certificate, CertificateBatch, CheckIn
from .selectors import accepts_check_ins, check_in_days

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
# Sessions listed on the page; past these, "and N more sessions" (a page holds about 18).
MOST_SESSIONS = 14


# What the check-ins prove -------------------------------------------------------------------


def attendance(registration):
    """(days, sessions): the days with a check-in (at the venue's door or a session's), and
    the sessions scanned at their door, in the programme's order."""
    rows = CheckIn.objects.filter(registration=registration)
    days = sorted(set(rows.values_list("day", flat=True)))
    sessions = list(
        Session.objects.filter(check_ins__registration=registration)
        .distinct()
        .order_by("starts_at", "pk")
    )
    return days, sessions


def present_people(edition):
    """The edition's people with at least one check-in (the erased left out: nobody to
    write to), by name."""
    return (
        Registration.objects.filter(edition=edition)
        .filter(Exists(CheckIn.objects.filter(registration=OuterRef("pk"))))
        .exclude(email__endswith=f"@{ERASED_EMAIL_DOMAIN}")
        .select_related("organisation", "edition__venue")
        .order_by("last_name", "first_name", "pk")
    )


def current_certificate(registration):
    return registration.certificates.filter(replaced_at=None).first()


def issue(registration, user=None, reissue=False):
    """The person's current certificate, issued now if they have none, if their check-ins
    changed since, or if an organiser re-issues it (`reissue`: a new reference, the old one
    replaced). None when they have no check-in: no certificate then."""
    days, sessions = attendance(registration)
    if not days:
        return None
    stated = [day.isoformat() for day in days]
    with transaction.atomic():
        # The person's row locked: two clicks at once issue one certificate.
        Registration.objects.select_for_update().filter(pk=registration.pk).first()
        current = current_certificate(registration)
        if (
            current is not None
            and not reissue
            and current.days == stated
            and {session.pk for session in current.sessions.all()}
            == {session.pk for session in sessions}
        ):
            return current
        now = timezone.now()
        if current is not None:
            Certificate.objects.filter(pk=current.pk).update(replaced_at=now)
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    registration=registration, days=stated, issued_at=now, issued_by=user
                )
        except IntegrityError:  # SQLite without the row lock: the other request made it
            return current_certificate(registration)
        certificate.sessions.set(sessions)
        log(
            registration,
            "certificate_reissued" if current is not None else "certificate_issued",
            actor=user,
            certificate=certificate.pk,
        )
    return certificate


def add_check_in_by_hand(edition, registration, day, agent):
    """An organiser records that `registration` came on `day` (a day check-ins are accepted
    on): True when it was not recorded yet. The person's history says who added it."""
    if registration.edition_id != edition.pk or not accepts_check_ins(edition, day):
        raise ValueError("not a check-in day of this edition")
    with transaction.atomic():
        _check_in, created = CheckIn.objects.get_or_create(
            registration=registration,
            day=day,
            session=None,
            defaults={"agent": agent, "door": "by hand", "device": "back-office"},
        )
        if created:
            log(registration, "checked_in_by_hand", actor=agent, day=day.isoformat())
    return created


def verified(reference):
    """The certificate a reference names (the current one or one since replaced), or None
    for a reference we did not issue (forged, altered, mistyped)."""
    if not isinstance(reference, str) or not 10 <= len(reference) <= 40:
        return None
    return (
        Certificate.objects.select_related("registration__organisation", "registration__edition")
        .filter(reference=reference.strip())
        .first()
    )


def is_valid(certificate):
    """Whether the certificate still says what is true: not replaced, the person not erased."""
    return certificate.replaced_at is None and not is_erased(certificate.registration)


def check_url(certificate, language):
    with translation.override(language):
        return absolute(reverse("onsite:certificate_check", args=[certificate.reference]))


def download_link(registration, language):
    with translation.override(language):
        path = reverse("onsite:own_certificate", args=[registration.public_id, registration.secret])
    return absolute(f"{path}?language={language}")


# The PDF --------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 22 * mm
INNER = PAGE_WIDTH - 2 * MARGIN


@functools.cache
def signature_image(path):
    found = finders.find(path) if path else None
    return ImageReader(found) if found else None


def signatory(language):
    return (
        settings.CERTIFICATE_SIGNATORY,
        settings.CERTIFICATE_SIGNATORY_TITLE.get(language, ""),
    )


def session_line(session):
    starts = timezone.localtime(session.starts_at)
    return f"{long_date(starts.date())}, {starts:%H:%M} – {session.title}"


def bullet(pdf, text, y, largest=11, smallest=9):
    """One indented line of a list; returns the y below it."""
    indent = 4 * mm
    return draw_text(pdf, f"•  {text}", MARGIN + indent, y + 1 * mm, INNER - indent, largest,
                     smallest, 1, "left")  # fmt: skip


def grey(pdf, shade="#333333"):
    pdf.setFillColor(colors.HexColor(shade))


def draw_certificate(pdf, certificate, language):
    """One certificate on the page, in `language`."""
    registration = certificate.registration
    edition = registration.edition
    venue = edition.venue
    brand = settings.BRAND
    top = PAGE_HEIGHT
    pdf.setFillColor(colors.HexColor(brand["PRIMARY"]))
    pdf.rect(0, top - 30 * mm, PAGE_WIDTH, 30 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    y = draw_text(pdf, brand["ORGANISER_NAME"], MARGIN, top - 8 * mm, INNER, 16, 10, 1, "left")
    draw_text(pdf, edition.title, MARGIN, y, INNER, 11, 8, 1, "left")
    grey(pdf, "#1b1b1b")
    y = draw_text(pdf, _("Certificate of attendance"), MARGIN, top - 45 * mm, INNER, 26, 16, 1)
    name, title = signatory(language)
    grey(pdf)
    y = draw_text(
        pdf,
        _("The undersigned, %(name)s, %(title)s of %(organiser)s, certifies that")
        % {"name": name, "title": title, "organiser": brand["ORGANISER_NAME"]},
        MARGIN, y - 8 * mm, INNER, 11, 9, 2, "left",
    )  # fmt: skip
    grey(pdf, "#1b1b1b")
    y = draw_text(pdf, registration.full_name, MARGIN, y - 4 * mm, INNER, 22, 12, 2)
    grey(pdf)
    organisation = registration.organisation
    job = ", ".join(filter(None, [registration.job_title, organisation.name]))
    y = draw_text(pdf, job, MARGIN, y, INNER, 12, 8, 2)
    draw_text(pdf, str(organisation.country.name), MARGIN, y, INNER, 10, 8, 1)
    where = ", ".join(filter(None, [venue.name, venue.city])) if venue else ""
    attended = (
        _("took part in the %(title)s (edition %(number)s), held %(dates)s at %(venue)s:")
        if where
        else _("took part in the %(title)s (edition %(number)s), held %(dates)s:")
    ) % {
        "number": edition.number,
        "title": edition.title,
        "dates": date_range_phrase(edition.starts_on, edition.ends_on),
        "venue": where,
    }
    y = draw_text(pdf, attended, MARGIN, y - 10 * mm, INNER, 11, 9, 3, "left")
    days = certificate.day_dates
    y = draw_text(pdf, _("Days attended"), MARGIN, y - 4 * mm, INNER, 12, 10, 1, "left")
    for day in days:
        y = bullet(pdf, long_date(day, weekday=True), y)
    sessions = sorted(
        certificate.sessions.all(), key=lambda session: (session.starts_at, session.pk)
    )
    if sessions:
        y = draw_text(pdf, _("Sessions attended"), MARGIN, y - 3 * mm, INNER, 12, 10, 1, "left")
        shown = sessions if len(sessions) <= MOST_SESSIONS else sessions[: MOST_SESSIONS - 1]
        for session in shown:
            y = bullet(pdf, session_line(session), y, 10, 8)
        if len(shown) < len(sessions):
            more = len(sessions) - len(shown)
            y = bullet(pdf, _("and %(count)s more sessions") % {"count": more}, y, 10, 8)
    issued = timezone.localtime(certificate.issued_at).date()
    place = venue.city if venue else ""
    y = draw_text(
        pdf,
        (_("Issued in %(place)s on %(date)s.") if place else _("Issued on %(date)s."))
        % {"place": place, "date": long_date(issued)},
        MARGIN, min(y - 6 * mm, 92 * mm), INNER, 10, 8, 1, "right",
    )  # fmt: skip
    # The signature block, at the right.
    block_x, block_width = PAGE_WIDTH / 2, INNER / 2
    image = signature_image(settings.CERTIFICATE_SIGNATURE)
    if image is not None:
        pdf.drawImage(image, PAGE_WIDTH - MARGIN - 48 * mm, y - 17 * mm, 48 * mm, 16 * mm,
                      mask="auto", preserveAspectRatio=True, anchor="e")  # fmt: skip
        y -= 18 * mm
    grey(pdf, "#1b1b1b")
    y = draw_text(pdf, name, block_x, y, block_width, 11, 8, 1, "right")
    grey(pdf)
    y = draw_text(pdf, title, block_x, y + 1 * mm, block_width, 10, 8, 1, "right")
    draw_text(pdf, brand["ORGANISER_NAME"], block_x, y + 1 * mm, block_width, 10, 8, 1, "right")
    # Verification, at the foot.
    url = check_url(certificate, language)
    size = 28 * mm
    qr.draw(pdf, url, MARGIN, 14 * mm, size)
    text_x, text_width = MARGIN + size + 5 * mm, INNER - size - 5 * mm
    grey(pdf)
    y = draw_text(pdf, _("Check that this certificate is genuine: scan the code or open"),
                  text_x, 14 * mm + size - 3 * mm, text_width, 9, 7, 2, "left")  # fmt: skip
    y = draw_text(pdf, url, text_x, y, text_width, 9, 6, 2, "left")
    draw_text(pdf, _("Reference: %(ref)s") % {"ref": certificate.reference},
              text_x, y, text_width, 9, 7, 1, "left")  # fmt: skip


def certificates_pdf(certificates, language=None, progress=None):
    """The PDF (bytes) of `certificates`, one page each, in `language` or each person's own;
    `progress(done)` every 50."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setAuthor(settings.BRAND["ORGANISER_NAME"])
    for done, certificate in enumerate(certificates, start=1):
        chosen = language or certificate.registration.language
        chosen = chosen if chosen in LANGUAGES else settings.LANGUAGE_CODE
        with translation.override(chosen):
            if done == 1:
                pdf.setTitle(_("Certificate of attendance"))
            draw_certificate(pdf, certificate, chosen)
        pdf.showPage()
        if progress is not None and done % 50 == 0:
            progress(done)
    pdf.save()
    return buffer.getvalue()


def with_statement(certificates):
    """Certificates with what a page draws, in a fixed number of queries."""
    return certificates.select_related(
        "registration__organisation", "registration__edition__venue"
    ).prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at")))


# For the whole edition ------------------------------------------------------------------------


def start_batch(edition, user):
    batch = CertificateBatch.objects.create(edition=edition, created_by=user)
    background.enqueue_on_commit("rencontres.onsite.tasks.build_certificates", batch.pk)
    return batch


def issue_all(edition, progress=None):
    """The current certificate of every present person (issued where needed)."""
    issued = []
    for done, person in enumerate(present_people(edition), start=1):
        certificate = issue(person)
        if certificate is not None:
            issued.append(certificate.pk)
        if progress is not None and done % 50 == 0:
            progress(done)
    return issued


def build_batch(batch):
    """The batch's work: issue, draw with progress (the issuing counts as the first half),
    store the file."""
    try:
        edition = batch.edition
        people = present_people(edition).count()
        batch.start(total=2 * people)
        issued = issue_all(edition, progress=batch.advance)
        batch.advance(people)
        certificates = with_statement(Certificate.objects.filter(pk__in=issued)).order_by(
            "registration__last_name", "registration__first_name", "registration__pk"
        )
        content = certificates_pdf(
            list(certificates), progress=lambda done: batch.advance(people + done)
        )
        batch.file.save(
            f"certificates-{edition.number}-{batch.pk}.pdf", ContentFile(content), save=False
        )
        batch.succeed(file=batch.file.name)
    except Exception as error:
        logger.exception("certificate batch %s failed", batch.pk)
        batch.fail(error)
    batch.refresh_from_db()
    return batch


def email_all(edition):
    """One e-mail to each present person with the link to their certificate: a certificate
    already e-mailed is not sent again (a double submit, or two organisers at once, send each
    once: the conditional update below lets one request through). Returns how many were
    queued."""
    sent = 0
    for person in present_people(edition):
        certificate = issue(person)
        if certificate is None:
            continue
        with transaction.atomic():
            claimed = Certificate.objects.filter(pk=certificate.pk, emailed_at=None).update(
                emailed_at=timezone.now()
            )
            if not claimed:
                continue
            queue_email(
                person.email,
                "certificate_ready",
                {
                    **mail_context(person),
                    "certificate_link": download_link(person, person.language),
                },
                person.language,
                registration=person,
            )
        sent += 1
    return sent


def day_choices(edition):
    """The days an organiser may add a check-in on, as (ISO date, date in words)."""
    return [(day.isoformat(), long_date(day, weekday=True)) for day in check_in_days(edition)]


def parse_day(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
