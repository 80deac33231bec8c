"""Load the demo edition once; running it again keeps the data as it is (see
rencontres/backoffice/demo for its two scales)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from rencontres.backoffice.demo import DOMAIN, SCALES, load
from rencontres.registration.services import private_link


class Command(BaseCommand):
    help = (
        "Create the demo edition (15th) with its programme, two archived editions, and its "
        "participants: about 800 from some 35 countries (--scale event, the default), or two "
        "dozen in the project exchange (--scale small)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="event")
        parser.add_argument(
            "--seed", type=int, default=15, help="The same seed makes the same people."
        )

    def handle(self, *args, scale, seed, **options):
        started = time.monotonic()
        with transaction.atomic():  # all or nothing: a demo half loaded is never "there"
            edition, made = load(scale, seed)
        if made["created"]:
            self.stdout.write(f"Demo loaded: edition {edition.number}, {edition.starts_on}.")
        else:
            self.stdout.write(f"Demo already there: edition {edition.number}; nothing changed.")
        if made["fees"]:
            self.stdout.write("Fees: the demo's grid, the partners' dinner and a member list.")
        if made["people"]:
            self.stdout.write(
                f"Project exchange: {made['people']} demo participants with profiles."
            )
        event = made["event"]
        if event:
            self.stdout.write(
                f"At the event's scale (seed {seed}): {event['registrations']} more "
                f"registrations, {event['profiles']} profiles, {event['posts']} posts, "
                f"{event['requests']} meeting requests ({event['meetings']} accepted); past "
                f"editions: {event['past']} registrations with their check-ins."
            )
        if made["past"]:
            self.stdout.write(
                f"Past editions: {made['past']} registrations, for the overview's curves."
            )
        if made["created"]:
            self.stdout.write(f"In {time.monotonic() - started:.1f} s.")
        someone = edition.registrations.filter(email__endswith=f"@{DOMAIN}").order_by("pk").first()
        if someone is not None:
            self.stdout.write(f"A demo participant's private page: {private_link(someone)}")
