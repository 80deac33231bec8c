"""The queries the fee pages need: seats left in the extras, and what the overview expects to
be paid."""

from django.db.models import Count, Q

from rencontres.registration.models import Registration

from .models import Extra
from .pricing import Grid, quotes


def seats_left(edition):
    """{extra id: seats left (None: no limit)} for the edition's extras."""
    extras = Extra.objects.filter(edition=edition).annotate(
        taken=Count("bookings", filter=Q(bookings__registration__status__in=Registration.ACTIVE))
    )
    return {
        extra.pk: None if extra.capacity is None else max(0, extra.capacity - extra.taken)
        for extra in extras
    }


def expected(edition):
    """What the registrations holding a place are expected to pay: [(registration, Quote)]
    (its category and organisation read), and the currency; an empty list when the edition
    charges nothing."""
    grid = Grid.of(edition)
    if not grid.charges:
        return [], grid.currency
    people = list(
        Registration.objects.holding_a_place()
        .filter(edition=edition)
        .select_related("category", "organisation")
        .order_by("category__order", "pk")
    )
    owed = quotes(edition, people)
    return [(person, owed[person.pk]) for person in people], grid.currency
