"""Background work of the project exchange: a scheduler run, and the questions on what came of
the meetings (every few minutes: it queues its own next run, see rencontres.background)."""

import datetime
import logging

from django_tasks import task

from rencontres import background

from .models import ScheduleRun
from .services import execute, outcomes

logger = logging.getLogger(__name__)
# How often the questions due are sent: a meeting's people hear from us within this long of
# its end.
OUTCOMES_EVERY = datetime.timedelta(minutes=10)


@task()
def run_scheduler(run_id):
    run = ScheduleRun.objects.select_related("edition").get(pk=run_id)
    run = execute(run)
    return {"status": run.status}


@task()
def ask_meeting_outcomes():
    # The next run first, unless one is waiting (a run interrupted by an outage runs again).
    ensure_outcomes_scheduled()
    ratings, follow_ups = outcomes.ask_due()
    logger.info("meeting outcomes asked: %s ratings, %s follow-ups", ratings, follow_ups)
    return {"ratings": ratings, "follow_ups": follow_ups}


def ensure_outcomes_scheduled():
    """Queue the next run unless one is waiting. Returns True when it queued one."""
    return background.ensure_every(ask_meeting_outcomes, OUTCOMES_EVERY)
