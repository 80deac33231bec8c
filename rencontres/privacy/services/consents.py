"""Consent records: given or withdrawn, with the wording's version and the time."""

from django.db import transaction
from django.utils import timezone

from rencontres.registration.services import log

from ..consents import REGISTRATION_FIELDS, wording_version
from ..models import ConsentRecord

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


def current_consents(registration):
    """[(consent, given, when)] for the optional consents, as the registration holds them."""
    return [
        (consent, getattr(registration, flag), getattr(registration, when))
        for consent, (flag, when) in REGISTRATION_FIELDS.items()
    ]


def set_consent(registration, consent, given, source, now=None):
    """Give or withdraw an optional consent, at any time (not only while registrations are
    open). Withdrawing the directory's hides the profile at once: the directory lists only
    registrations that hold the opt-in."""
    flag, when = REGISTRATION_FIELDS[consent]
    now = now or timezone.now()
    with transaction.atomic():
        registration.refresh_from_db(fields=[flag, when])
        if getattr(registration, flag) == given:
            return registration
        setattr(registration, flag, given)
        setattr(registration, when, now if given else None)
        registration.save(update_fields=[flag, when, "updated_at"])
        # The history line records the consent too (see signals.py).
        log(
            registration,
            "consent_given" if given else "consent_withdrawn",
            consent=str(consent),
            source=str(source),
        )
    return registration
