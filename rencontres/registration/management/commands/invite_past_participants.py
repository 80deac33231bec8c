"""Invite the past participants who asked to hear about the next editions to every published
edition whose registration is open (for cron, or by hand: nobody is invited twice to one
edition, so running it again sends only what is new).

`--schedule` makes sure the worker's daily task is queued (bin/serve runs it at start);
`--dry-run` lists who would be invited."""

import datetime

from django.utils import timezone

from rencontres.background import DailyCommand
from rencontres.editions.models import Edition
from rencontres.registration.services.invitations import invites_returning, returning_participants
from rencontres.registration.tasks import ensure_returning_scheduled, invite_returning_everywhere


class Command(DailyCommand):
    help = "Invite past participants who agreed to the editions whose registration is open."
    what = "invitations of past participants"
    dry_run_help = "List, send nothing."

    def ensure_scheduled(self):
        return ensure_returning_scheduled()

    def run(self, day, dry_run):
        # The day at noon, Paris time: whether an edition's registration is open then.
        now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        if day == timezone.localdate():
            now = timezone.now()
        if dry_run:
            for edition in Edition.objects.order_by("number"):
                if invites_returning(edition, now):
                    for person in returning_participants(edition):
                        self.stdout.write(f"{edition.number}: {person.email}")
            return
        self.stdout.write(f"{invite_returning_everywhere(now)} past participants invited")
