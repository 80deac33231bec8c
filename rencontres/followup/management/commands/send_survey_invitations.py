"""E-mail the open surveys to the people they are for who have not had them yet (for cron
every few minutes, or by hand: each person is asked once per survey, so running it twice
sends nothing more).

`--schedule` makes sure the worker's task is queued (bin/serve runs it at start); `--now` acts
as if it were that time."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rencontres.followup import services
from rencontres.followup.tasks import ensure_invitations_scheduled


class Command(BaseCommand):
    help = "E-mail the open surveys to the present people not asked yet (through the outbox)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Act as if it were this time (ISO 8601, Paris time).")
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the worker's task if none is waiting."
        )

    def handle(self, *args, now=None, schedule=False, **options):
        if schedule:
            queued = ensure_invitations_scheduled()
            self.stdout.write(f"survey invitations {'queued' if queued else 'already queued'}")
            return
        try:
            moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
        except ValueError as error:
            raise CommandError(f"--now: {error}") from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        sent = services.invite_due(moment)
        self.stdout.write(f"{sent} survey invitations queued")
