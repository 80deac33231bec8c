"""Erase personal data that reached their retention date, and the rate-limit counters and
sessions past their time (for cron, or by hand).

`--dry-run` lists what would be erased and changes nothing; `--schedule` makes sure the
worker's daily purge task is queued (bin/serve runs it at start)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rencontres.privacy.services import purge, purge_timed
from rencontres.privacy.tasks import ensure_scheduled


class Command(BaseCommand):
    help = "Erase the personal data whose retention period is over (sensitive fields first)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the daily task if none is waiting."
        )

    def handle(self, *args, dry_run=False, today=None, schedule=False, **options):
        if schedule:
            queued = ensure_scheduled()
            self.stdout.write("daily purge queued" if queued else "daily purge already queued")
            return
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        steps = purge(today=day, dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        for step in steps:
            what = "sensitive fields" if step.kind == "sensitive" else "personal data"
            self.stdout.write(
                f"edition {step.edition.number}: {verb} {what} of {step.registrations} "
                f"registrations (due {step.due_on.isoformat()})"
            )
        if not steps:
            self.stdout.write("nothing to purge")
        for label, count in purge_timed(dry_run=dry_run).items():
            self.stdout.write(f"{label}: {verb} {count} past their time")
