"""Background work of invoicing: a run that issues many invoices, and the invoice of a
registration confirmed in a category invoiced on confirmation."""

from django_tasks import task

from .models import InvoiceRun
from .services import execute_run, invoice_confirmed


@task()
def issue_invoices(run_id):
    run = execute_run(InvoiceRun.objects.select_related("edition", "created_by").get(pk=run_id))
    return {"status": run.status, "issued": run.issued}


@task()
def issue_on_confirmation(registration_id):
    invoice = invoice_confirmed(registration_id)
    return {"invoice": invoice.number if invoice else None}
