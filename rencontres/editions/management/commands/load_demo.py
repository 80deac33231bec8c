"""Load the demo edition once; running it again keeps the data as it is."""

from django.core.management.base import BaseCommand

from rencontres.editions.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo edition (15th) with its programme and two archived editions."

    def handle(self, *args, **options):
        edition, created = load_demo()
        if created:
            self.stdout.write(f"Demo loaded: edition {edition.number}, {edition.starts_on}.")
        else:
            self.stdout.write(f"Demo already there: edition {edition.number}; nothing changed.")
