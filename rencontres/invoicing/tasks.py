"""Background work of invoicing: a run that issues many invoices."""

from django_tasks import task

from .models import InvoiceRun
from .services import execute_run


@task()
def issue_invoices(run_id):
    run = execute_run(InvoiceRun.objects.select_related("edition", "created_by").get(pk=run_id))
    return {"status": run.status, "issued": run.issued}
