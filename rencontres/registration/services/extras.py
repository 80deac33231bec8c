"""Extras (the partners' dinner): a seat booked with the registration, never one beyond the
extra's capacity."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rencontres.fees.models import ExtraBooking
from rencontres.fees.selectors import seats_left

from .common import lock_edition, log


class ExtraFull(Exception):
    """No seat left in `extra`: the message says so, for the person."""

    def __init__(self, extra):
        self.extra = extra
        super().__init__(self.message)

    @property
    def message(self):
        return _("“%(extra)s” is full: untick it to register.") % {"extra": self.extra.name}


def book_extras(registration, extras, actor=None, now=None):
    """A seat in each of `extras` for `registration`, counted under the edition's lock (the
    one lock of every count of an edition, see the package's docstring); ExtraFull, and
    nothing booked, when one has no seat left. In the caller's transaction when there is
    one (the registration and its seats are made together or not at all)."""
    extras = [extra for extra in extras if extra.edition_id == registration.edition_id]
    if not extras:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        lock_edition(registration.edition)
        left = seats_left(registration.edition)
        for extra in extras:
            if left.get(extra.pk) is not None and left[extra.pk] < 1:
                raise ExtraFull(extra)
        booked = ExtraBooking.objects.bulk_create(
            ExtraBooking(registration=registration, extra=extra, created_at=now) for extra in extras
        )
        log(registration, "extras_booked", actor=actor, extras=[extra.pk for extra in extras])
    return booked
