"""The daily retention purge as a background task (editions past their dates, and the
records kept only for a while: rate-limit counters, expired sessions).

django-tasks has no periodic schedule, so the task queues its own next run (tomorrow at
03:00, Paris time) before it works (rencontres.background.ensure_daily); `ensure_scheduled`
queues a first run when none is waiting, and `bin/serve` calls it (through
`manage.py purge_personal_data --schedule`) each time the worker starts. Without the worker,
cron can run `manage.py purge_personal_data` instead: the purge is idempotent, so both may
run."""

import logging

from django_tasks import task

from rencontres import background

from .services import purge, purge_timed

logger = logging.getLogger(__name__)
HOUR = 3


@task()
def purge_personal_data():
    # Unless one is waiting: a run interrupted by a database outage runs again
    # (rencontres/worker.py) and must not queue a second run for tomorrow.
    ensure_scheduled()
    steps = purge()
    for step in steps:  # ids only
        logger.info("purge %s done for edition %s", step.kind, step.edition.number)
    timed = purge_timed()
    logger.info("purge of timed records: %s", timed)
    return {"steps": [[step.edition.number, step.kind] for step in steps], "timed": timed}


def ensure_scheduled():
    """Queue the next daily run unless one is waiting. Returns True when it queued one."""
    return background.ensure_daily(purge_personal_data, HOUR)
