"""Send the webhooks' deliveries that are due (the worker does it after each change and at each
retry's time; this is for cron, or by hand after an outage)."""

from django.core.management.base import BaseCommand

from rencontres.api.webhooks import deliver_due


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due."

    def handle(self, *args, **options):
        delivered, failed = deliver_due()
        self.stdout.write(f"{delivered} delivered, {failed} failed")
