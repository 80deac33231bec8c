"""Queue the reminders of overdue invoices that each edition's schedule asks for today (for
cron, or by hand: a step is sent once, so running it twice sends nothing more).

`--schedule` makes sure the worker's daily task is queued (bin/serve runs it at start);
`--dry-run` lists what would be sent."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rencontres.invoicing import reminders
from rencontres.invoicing.models import ReminderSchedule
from rencontres.invoicing.tasks import ensure_reminders_scheduled


class Command(BaseCommand):
    help = "Send the reminders of overdue invoices due today (through the outbox)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the daily task if none is waiting."
        )

    def handle(self, *args, dry_run=False, today=None, schedule=False, **options):
        if schedule:
            queued = ensure_reminders_scheduled()
            self.stdout.write(
                "daily reminders queued" if queued else "daily reminders already queued"
            )
            return
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        if dry_run:
            for schedule_row in ReminderSchedule.objects.exclude(days=[]):
                for invoice, step in reminders.due_reminders(schedule_row.edition, day):
                    self.stdout.write(f"{invoice.number}: reminder at {step} days")
            return
        self.stdout.write(f"{reminders.send_due_reminders(day)} reminders queued")
