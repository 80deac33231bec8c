"""Background work of invoicing: a run that issues many invoices, the invoice of a
registration confirmed in a category invoiced on confirmation, and the daily reminders of
overdue invoices (it queues its own next run, at 09:00 Paris time: rencontres.background)."""

import logging

from django_tasks import task

from rencontres import background

from . import reminders
from .models import InvoiceRun
from .services import execute_run, invoice_confirmed

logger = logging.getLogger(__name__)
REMINDER_HOUR = 9


@task()
def issue_invoices(run_id):
    run = execute_run(InvoiceRun.objects.select_related("edition", "created_by").get(pk=run_id))
    return {"status": run.status, "issued": run.issued}


@task()
def issue_on_confirmation(registration_id):
    invoice = invoice_confirmed(registration_id)
    return {"invoice": invoice.number if invoice else None}


@task()
def send_payment_reminders():
    # Tomorrow's run first, unless one is waiting (a run interrupted by an outage runs again).
    ensure_reminders_scheduled()
    sent = reminders.send_due_reminders()
    logger.info("payment reminders queued: %s", sent)
    return {"sent": sent}


def ensure_reminders_scheduled():
    """Queue the next daily run unless one is waiting. Returns True when it queued one."""
    return background.ensure_daily(send_payment_reminders, REMINDER_HOUR)
