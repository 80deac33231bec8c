"""The frame of the meetings: slots and tables (organisers), and each person's unavailability."""

from django.db import transaction
from django.utils.translation import gettext as _

from rencontres.registration.services import lock_edition

from ..models import Slot, Table
from .common import NetworkingError


def add_slots(edition, periods):
    """Create slots for the (start, end) periods that overlap no existing slot; returns how
    many were created and how many were skipped."""
    with transaction.atomic():
        lock_edition(edition)
        existing = list(Slot.objects.filter(edition=edition).values_list("starts_at", "ends_at"))
        created = 0
        for start, end in periods:
            if any(start < other_end and other_start < end for other_start, other_end in existing):
                continue
            Slot.objects.create(edition=edition, starts_at=start, ends_at=end)
            existing.append((start, end))
            created += 1
    return created, len(periods) - created


def delete_slot(slot):
    with transaction.atomic():
        lock_edition(slot.edition)
        if slot.meetings.filter(cancelled_at__isnull=True).exists():
            raise NetworkingError(_("Meetings are placed in this slot: it cannot be deleted."))
        slot.delete()


def set_tables(edition, count, location=""):
    """Make the edition have `count` tables numbered 1..count; new ones get `location`.
    Tables that hold a meeting are never removed: returns how many were kept for that."""
    with transaction.atomic():
        lock_edition(edition)
        numbers = set(Table.objects.filter(edition=edition).values_list("number", flat=True))
        Table.objects.bulk_create(
            Table(edition=edition, number=number, location=location)
            for number in range(1, count + 1)
            if number not in numbers
        )
        extra = Table.objects.filter(edition=edition, number__gt=count)
        busy = extra.filter(meetings__cancelled_at__isnull=True, meetings__isnull=False)
        kept = busy.distinct().count()
        extra.exclude(pk__in=busy.values("pk")).delete()
    return kept


def set_unavailable(registration, slots):
    registration.unavailable_slots.set(
        [slot for slot in slots if slot.edition_id == registration.edition_id]
    )
