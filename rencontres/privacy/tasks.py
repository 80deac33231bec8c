"""The daily retention purge as a background task (editions past their dates, and the
records kept only for a while: rate-limit counters, expired sessions).

django-tasks has no periodic schedule, so the task queues its own next run (tomorrow at
03:00, Paris time) before it works; `ensure_scheduled` queues a first run when none is
waiting, and `bin/serve` calls it (through `manage.py purge_personal_data --schedule`) each
time the worker starts. Without the worker, cron can run `manage.py purge_personal_data`
instead: the purge is idempotent, so both may run."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from .services import purge, purge_timed

logger = logging.getLogger(__name__)
HOUR = 3


def next_run(now=None):
    now = timezone.localtime(now or timezone.now())
    run = now.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    return run if run > now else run + datetime.timedelta(days=1)


@task()
def purge_personal_data():
    # Not schedule_next(): a run interrupted by a database outage runs again (rencontres/worker.py)
    # and must not queue a second run for tomorrow.
    ensure_scheduled()
    steps = purge()
    for step in steps:  # ids only
        logger.info("purge %s done for edition %s", step.kind, step.edition.number)
    timed = purge_timed()
    logger.info("purge of timed records: %s", timed)
    return {"steps": [[step.edition.number, step.kind] for step in steps], "timed": timed}


def schedule_next():
    backend = purge_personal_data.get_backend()
    if not backend.supports_defer:
        return None
    return purge_personal_data.using(run_after=next_run()).enqueue()


def waiting_run_exists():
    """Whether a run is already queued (database backend only: others cannot be asked)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover
        return False
    from django_tasks import TaskResultStatus

    # Queued for later counts too (the database backend's ready() means "due now").
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=purge_personal_data.module_path
    ).exists()


def ensure_scheduled():
    """Queue the next daily run unless one is waiting. Returns True when it queued one."""
    if waiting_run_exists():
        return False
    return schedule_next() is not None
