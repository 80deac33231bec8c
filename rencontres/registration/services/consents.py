"""Consents: given or withdrawn, with the wording's version and the time. Every change of a
consent, whoever makes it (the form, the private page, the project exchange, the door, an
organiser), goes through here: the registration's field and its time, the consent record
(rencontres.privacy.models) and the line of history, together."""

from django.db import transaction
from django.utils import timezone

from rencontres.privacy.consents import REGISTRATION_FIELDS, wording_version
from rencontres.privacy.models import ConsentRecord

from .common import log

Consent = ConsentRecord.Consent


def record(registration, consent, given, source, version=None, at=None):
    return ConsentRecord.objects.create(
        registration=registration,
        consent=consent,
        given=given,
        source=source,
        wording_version=version or wording_version(),
        at=at or timezone.now(),
    )


def consent_times(details, now):
    """The times a new registration's optional consents are given (None: not given), for the
    fields `details` holds."""
    return {when: now if details.get(flag) else None for flag, when in REGISTRATION_FIELDS.values()}


def record_consents_on_registering(registration, source, at=None):
    """A new registration's consents (`source`: where it was made): the notice read, in the
    version it was registered with, and each optional consent it holds."""
    version = registration.privacy_notice_version.split(":")[-1]
    at = at or timezone.now()
    record(registration, Consent.PRIVACY_NOTICE, True, source, version=version, at=at)
    for consent, (flag, _when) in REGISTRATION_FIELDS.items():
        if getattr(registration, flag):
            record(registration, consent, True, source, version=version, at=at)


def set_consent(registration, consent, given, source, actor=None, now=None):
    """Give or withdraw an optional consent, at any time (not only while registrations are
    open): the field and its time, a consent record and a line of history, or nothing when it
    does not change. Withdrawing the directory's hides the profile at once: the directory
    lists only registrations that hold the opt-in."""
    flag, when = REGISTRATION_FIELDS[consent]
    now = now or timezone.now()
    with transaction.atomic():
        registration.refresh_from_db(fields=[flag, when])
        if getattr(registration, flag) == given:
            return registration
        setattr(registration, flag, given)
        setattr(registration, when, now if given else None)
        registration.save(update_fields=[flag, when, "updated_at"])
        record(registration, consent, given, source, at=now)
        log(
            registration,
            "consent_given" if given else "consent_withdrawn",
            actor=actor,
            consent=str(consent),
            source=str(source),
        )
    return registration
