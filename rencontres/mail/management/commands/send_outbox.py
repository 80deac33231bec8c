"""Send the e-mails that are due (for cron, or by hand after a mail server outage)."""

from django.core.management.base import BaseCommand

from rencontres.mail.services import send_due_emails


class Command(BaseCommand):
    help = "Send every e-mail of the outbox that is due."

    def handle(self, *args, **options):
        total_sent = total_failed = 0
        while True:
            sent, failed = send_due_emails()
            total_sent, total_failed = total_sent + sent, total_failed + failed
            if sent + failed == 0 or sent == 0:
                break
        self.stdout.write(f"sent={total_sent} failed={total_failed}")
