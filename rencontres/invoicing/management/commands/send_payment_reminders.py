"""Queue the reminders of overdue invoices that each edition's schedule asks for today (for
cron, or by hand: a step is sent once, so running it twice sends nothing more).

`--schedule` makes sure the worker's daily task is queued (bin/serve runs it at start);
`--dry-run` lists what would be sent."""

from rencontres.background import DailyCommand
from rencontres.invoicing import reminders
from rencontres.invoicing.models import ReminderSchedule
from rencontres.invoicing.tasks import ensure_reminders_scheduled


class Command(DailyCommand):
    help = "Send the reminders of overdue invoices due today (through the outbox)."
    what = "reminders"
    dry_run_help = "List, send nothing."

    def ensure_scheduled(self):
        return ensure_reminders_scheduled()

    def run(self, day, dry_run):
        if dry_run:
            for schedule_row in ReminderSchedule.objects.exclude(days=[]):
                for invoice, step in reminders.due_reminders(schedule_row.edition, day):
                    self.stdout.write(f"{invoice.number}: reminder at {step} days")
            return
        self.stdout.write(f"{reminders.send_due_reminders(day)} reminders queued")
