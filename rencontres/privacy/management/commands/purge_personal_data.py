"""Erase personal data that reached their retention date, and the rate-limit counters and
sessions past their time (for cron, or by hand).

`--dry-run` lists what would be erased and changes nothing; `--schedule` makes sure the
worker's daily purge task is queued (bin/serve runs it at start)."""

from rencontres.background import DailyCommand
from rencontres.privacy.services import purge, purge_timed
from rencontres.privacy.tasks import ensure_scheduled


class Command(DailyCommand):
    help = "Erase the personal data whose retention period is over (sensitive fields first)."
    what = "purge"
    dry_run_help = "List, change nothing."

    def ensure_scheduled(self):
        return ensure_scheduled()

    def run(self, day, dry_run):
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
