"""Ask the people of the meetings what came of them: how each meeting went, once its slot has
ended, and where the cooperation stands, on the edition's follow-up date (for cron every few
minutes, or by hand: each person is asked once per meeting, so running it twice sends nothing
more).

`--schedule` makes sure the worker's task is queued (bin/serve runs it at start); `--dry-run`
lists who would be asked; `--now` acts as if it were that time."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rencontres.networking.services import outcomes
from rencontres.networking.tasks import ensure_outcomes_scheduled


class Command(BaseCommand):
    help = "E-mail the questions on the meetings' outcomes that are due (through the outbox)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")
        parser.add_argument("--now", help="Act as if it were this time (ISO 8601, Paris time).")
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the worker's task if none is waiting."
        )

    def handle(self, *args, dry_run=False, now=None, schedule=False, **options):
        if schedule:
            queued = ensure_outcomes_scheduled()
            self.stdout.write(f"meeting outcomes {'queued' if queued else 'already queued'}")
            return
        try:
            moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
        except ValueError as error:
            raise CommandError(f"--now: {error}") from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if dry_run:
            for kind, due in (
                ("rating", outcomes.ratings_due(moment)),
                ("follow-up", outcomes.follow_ups_due(moment)),
            ):
                for meeting, registration in due:
                    self.stdout.write(
                        f"{kind}: meeting {meeting.pk}, registration {registration.pk}"
                    )
            return
        ratings, follow_ups = outcomes.ask_due(moment)
        self.stdout.write(f"{ratings} rating requests and {follow_ups} follow-up requests queued")
