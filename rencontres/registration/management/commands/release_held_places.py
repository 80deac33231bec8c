"""Release the places held for delegation members who did not confirm in time, and give them
to the waiting list. The worker does it when holds expire; run this from cron (every few
minutes) where no worker runs, or by hand: it is idempotent."""

from django.core.management.base import BaseCommand

from rencontres.editions.models import Edition
from rencontres.registration.models import Registration
from rencontres.registration.services.places import release_expired_holds_of


class Command(BaseCommand):
    help = "Give the expired held places of delegation members to the waiting list."

    def handle(self, *args, **options):
        editions = (
            Registration.objects.filter(place_held_until__isnull=False)
            .values_list("edition", flat=True)
            .distinct()
        )
        released = 0
        for edition in Edition.objects.filter(pk__in=editions):
            released += release_expired_holds_of(edition.pk)
        self.stdout.write(f"{released} held places released")
