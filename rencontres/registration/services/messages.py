"""Links in e-mails (private, address confirmation) and the e-mails themselves."""

import datetime
import re

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from rencontres.dates import date_range
from rencontres.editions.models import PARIS
from rencontres.fees import pricing
from rencontres.mail.services import queue_email

from ..calendar import registration_calendar
from ..models import Registration
from .common import (
    CONFIRM_SALT,
    Choice,
)


def secret_fingerprint(registration):
    """Ties a confirmation link to the private link's secret: the confirmation page leads to
    the private page, so a new secret (Registration.rotate_secret) must retire old links too."""
    return salted_hmac(CONFIRM_SALT, registration.secret, algorithm="sha256").hexdigest()[:32]


def confirmation_token(registration):
    value = f"{registration.public_id}:{secret_fingerprint(registration)}"
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(value)


def registration_from_confirmation_token(token):
    """The registration, or None when the token is forged or its registration's secret has
    changed since; raises SignatureExpired when old."""
    max_age = datetime.timedelta(hours=settings.REGISTRATION_CONFIRMATION_HOURS)
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    public_id, _, fingerprint = value.partition(":")
    try:
        registration = Registration.objects.filter(public_id=public_id).first()
    except ValidationError:  # not a UUID: a token of another shape signed with our key
        return None
    if registration is None or not constant_time_compare(
        fingerprint, secret_fingerprint(registration)
    ):
        return None
    return registration


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def private_link(registration):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(registration.language):
        return absolute(
            reverse("registration:private", args=[registration.public_id, registration.secret])
        )


def confirmation_link(registration):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(registration.language):
        return absolute(reverse("registration:confirm", args=[confirmation_token(registration)]))


def carries_an_old_link(registration, *texts):
    """Whether one of `texts` holds a link of this registration made with a secret it no
    longer has (rotate_secret): its private page, its project exchange, or an address
    confirmation. Such a link opens nothing now; a message with one is composed again
    before it goes, or not sent. (A calendar feed's address, r/<id>/feed/<token>/, is not
    one: its token stands in for the secret.)"""
    public_id = re.escape(str(registration.public_id))
    fingerprint = secret_fingerprint(registration)
    for text in texts:
        for part in re.findall(rf"/r/{public_id}/([\w-]+)/", text or ""):
            if part != "feed" and not constant_time_compare(part, registration.secret):
                return True
        for signed in re.findall(rf"{public_id}:(\w+)", text or ""):
            if not constant_time_compare(signed, fingerprint):
                return True
    return False


def mail_context(registration):
    edition = registration.edition
    return {
        "name": registration.full_name,
        "first_name": registration.first_name,
        "edition_number": edition.number,
        "edition_title": getattr(edition, f"title_{registration.language}") or edition.title_fr,
        "status": registration.status,
        "private_link": private_link(registration),
    }


# The e-mails that tell a person where they stand: each one carries the edition's dates and
# venue, the sessions the person holds or waits for, and (but the address confirmation, whose
# link leads there) the private link.
WITH_FACTS = {
    "confirm_address", "member_confirm_address", "registration_confirmed", "awaiting_approval",
    "waitlisted", "session_promoted", "private_link", "registration_changed",
}  # fmt: skip


# The e-mails that say what the person owes (when the edition charges): the one confirming
# their place, and the one that sends their link again.
WITH_PRICE = {"registration_confirmed", "private_link"}


def owed_summary(registration):
    """What the registration owes, in its language, as plain values (kept in the outbox);
    None when the edition charges nothing."""
    if not pricing.Grid.of(registration.edition).charges:
        return None
    return pricing.shown(pricing.quote(registration), registration.language)


def edition_facts(edition, language):
    """When and where, in `language`: plain values, kept with the e-mail in the outbox."""
    from django.utils import translation

    venue = edition.venue
    with translation.override(language):
        facts = {
            "dates": date_range(edition.starts_on, edition.ends_on),
            "venue_name": venue.name if venue else "",
            "venue_address": " ".join(venue.address.split()) if venue else "",
            "venue_city": venue.city if venue else "",
            "venue_country": str(venue.country.name) if venue and venue.country else "",
            "map_url": venue.map_url if venue else "",
        }
    return facts


def send(registration, template, attach_calendar=False, **extra):
    return queue_email(**compose(registration, template, attach_calendar, **extra))


def compose(registration, template, attach_calendar=False, **extra):
    """What `send` queues for `registration`: queue_email's arguments (the demo writes such
    messages as sent, rencontres/backoffice/demo)."""
    context = {**mail_context(registration), **extra}
    if template in WITH_FACTS:
        context["edition"] = edition_facts(registration.edition, registration.language)
        context["sessions"] = session_summary(registration)
    if template in WITH_PRICE:
        context["owed"] = owed_summary(registration)
    attachments = []
    if attach_calendar:
        attachments.append(
            {
                "filename": f"rencontres-{registration.edition.number}.ics",
                "content": registration_calendar(registration).decode(),
                "mimetype": "text/calendar",
            }
        )
    return {
        "recipient": registration.email,
        "template": template,
        "context": context,
        "language": registration.language,
        "registration": registration,
        "attachments": attachments,
    }


def session_summary(registration, choices=None):
    """The sessions a person holds or waits for, in their language, Paris time."""
    from django.utils import translation

    if choices is None:
        choices = registration.choices.select_related("session", "session__room").order_by(
            "session__starts_at"
        )
    with translation.override(registration.language):
        return [
            session_line(choice.session, waitlisted=choice.status == Choice.WAITLISTED)
            for choice in choices
        ]


def session_line(session, waitlisted=False):
    """One session as an e-mail lists it (in the active language)."""
    start = timezone.localtime(session.starts_at, PARIS)
    end = timezone.localtime(session.ends_at, PARIS)
    return {
        "title": session.title,
        "when": f"{formats.date_format(start, 'l j F')}, "
        f"{formats.time_format(start, 'TIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')}",
        "room": session.room.name if session.room_id else "",
        "waitlisted": waitlisted,
    }
