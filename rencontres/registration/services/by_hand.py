"""A registration added by an organiser (someone who phoned or wrote), after the deadline too."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Registration
from .extras import book_extras
from .places import confirm_address
from .submit import Source, create_registration


class AlreadyRegistered(Exception):
    """The address is already registered for the edition: `registration` holds it."""

    def __init__(self, registration):
        self.registration = registration
        super().__init__(registration.email)


def add_by_hand(edition, details, actor, sessions=(), nonce=None, notify=True, now=None,
                extras=()):  # fmt: skip
    """Register someone for an organiser (`actor`), whatever the registration window: made as
    every registration is made (create_registration, the notice's version recorded as told by
    the organiser, no optional consent: those are the person's to give), the address counting
    as confirmed, places as capacity allows (waiting list or approval as usual). With
    `notify`, the person gets the e-mail saying where they stand, with their private link;
    without it, nothing at all. The same form sent twice (`nonce`) returns the registration
    made first; an address already registered raises AlreadyRegistered. `extras`: a seat in
    each, or ExtraFull and nothing recorded."""
    now = now or timezone.now()

    def made_first():
        if not nonce:
            return None
        return Registration.objects.filter(edition=edition, form_nonce=nonce).first()

    def registered():
        return Registration.objects.filter(edition=edition).with_email(details["email"]).first()

    earlier = made_first()
    if earlier is not None:
        return earlier
    if (existing := registered()) is not None:
        raise AlreadyRegistered(existing)
    try:
        with transaction.atomic():
            registration = create_registration(
                edition, details, Source.ORGANISER, sessions=sessions, nonce=nonce, now=now,
                actor=actor,
            )  # fmt: skip
            book_extras(registration, extras, actor=actor, now=now)
    except IntegrityError:  # a double click: the first request made it, or someone else did
        earlier = made_first()
        if earlier is not None:
            return earlier
        if (existing := registered()) is not None:
            raise AlreadyRegistered(existing) from None
        raise
    return confirm_address(registration, now, notify=notify)
