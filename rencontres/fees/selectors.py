"""The queries the fee pages need: seats left in the extras, and what the overview expects to
be paid, by category."""

from django.db.models import Count, Q

from rencontres.registration.models import Category, Registration

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


def expected_by_category(edition):
    """What the registrations holding a place are expected to pay, by category: rows of
    (category, people, exempt, total cents) in the categories' order, and the currency; an
    empty list when the edition charges nothing."""
    grid = Grid.of(edition)
    if not grid.charges:
        return [], grid.currency
    people = list(
        Registration.objects.holding_a_place()
        .filter(edition=edition)
        .select_related("category", "organisation")
    )
    owed = quotes(edition, people)
    rows = {
        category.pk: [category, 0, 0, 0] for category in Category.objects.filter(edition=edition)
    }
    for person in people:
        row = rows[person.category_id]
        row[1] += 1
        row[2] += owed[person.pk].exempt
        row[3] += owed[person.pk].total_cents
    return [tuple(row) for row in rows.values() if row[1]], grid.currency
