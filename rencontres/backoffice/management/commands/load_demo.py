"""Load the demo edition once; running it again keeps the data as it is. It lives in the
back-office app because it fills every app (editions, registration, networking, the overview's
history)."""

from django.core.management.base import BaseCommand

from rencontres.backoffice.demo import load_history, spread_current
from rencontres.editions.demo import load_demo
from rencontres.fees.demo import load_fees_demo
from rencontres.networking.demo import load_networking_demo
from rencontres.registration.services import private_link


class Command(BaseCommand):
    help = (
        "Create the demo edition (15th) with its programme, two archived editions, and a "
        "project exchange with demo participants."
    )

    def handle(self, *args, **options):
        edition, created = load_demo()
        if created:
            self.stdout.write(f"Demo loaded: edition {edition.number}, {edition.starts_on}.")
        else:
            self.stdout.write(f"Demo already there: edition {edition.number}; nothing changed.")
        if load_fees_demo(edition):
            self.stdout.write("Fees: the demo's grid, the partners' dinner and a member list.")
        people = load_networking_demo(edition)
        if people:
            self.stdout.write(f"Project exchange: {people} demo participants with profiles.")
            spread_current(edition)
        past = load_history(edition)
        if past:
            self.stdout.write(f"Past editions: {past} registrations, for the overview's curves.")
        someone = edition.registrations.filter(email__endswith="@demo.example.org").first()
        if someone is not None:
            self.stdout.write(f"A demo participant's private page: {private_link(someone)}")
