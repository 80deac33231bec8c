"""Background work of the project exchange: a scheduler run."""

from django_tasks import task


@task()
def run_scheduler(run_id):
    from .models import ScheduleRun
    from .services import execute

    run = ScheduleRun.objects.select_related("edition").get(pk=run_id)
    run = execute(run)
    return {"status": run.status}
