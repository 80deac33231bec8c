"""Many people at once for the last seats of an extra, on PostgreSQL: never one seat too many.
Seats are counted under the edition's lock, in the transaction that makes the registration:
those refused are not registered at all, and may register again without the extra."""

import pytest

from rencontres.fees.models import Extra, ExtraBooking
from rencontres.registration import services
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import details, open_edition, registered
from rencontres.registration.tests.test_concurrency import all_at_once

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def dinner(edition, capacity):
    return Extra.objects.create(edition=edition, name_fr="Dîner", name_en="Dinner",
                                price_cents=4500, capacity=capacity)  # fmt: skip


def test_sixty_registrations_at_once_for_ten_seats_book_ten():
    edition = open_edition()
    extra = dinner(edition, 10)
    people = [details(edition) for _ in range(60)]

    def register(person):
        try:
            services.submit(edition, person, extras=[extra])
        except services.ExtraFull:
            return "full"
        return "booked"

    results = all_at_once(register, people)
    assert results.count("booked") == 10 and results.count("full") == 50
    assert ExtraBooking.objects.filter(extra=extra).count() == 10
    # Those refused left nothing behind: no registration without its seat.
    assert Registration.objects.count() == 10


def test_cancellations_and_bookings_at_once_keep_the_count():
    edition = open_edition()
    extra = dinner(edition, 5)
    holders = [registered(edition) for _ in range(5)]
    for person in holders:
        services.book_extras(person, [extra])
    newcomers = [registered(edition) for _ in range(30)]
    jobs = [("cancel", person) for person in holders] + [("book", p) for p in newcomers]

    def act(job):
        action, person = job
        if action == "cancel":
            services.cancel(person)
            return "cancelled"
        try:
            services.book_extras(person, [extra])
        except services.ExtraFull:
            return "full"
        return "booked"

    results = all_at_once(act, jobs)
    taking = ExtraBooking.objects.taking_a_seat().filter(extra=extra)
    assert taking.count() <= 5
    assert results.count("booked") == taking.count()
