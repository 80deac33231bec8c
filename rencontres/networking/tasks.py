"""Background work of the project exchange: a scheduler run."""

from django_tasks import task

from .models import ScheduleRun
from .services import execute


@task()
def run_scheduler(run_id):
    run = ScheduleRun.objects.select_related("edition").get(pk=run_id)
    run = execute(run)
    return {"status": run.status}
