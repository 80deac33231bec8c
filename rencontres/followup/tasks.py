"""Background work of the surveys: every few minutes, the invitations to the open surveys (it
queues its own next run, see rencontres.background)."""

import datetime
import logging

from django_tasks import task

from rencontres import background

from . import services

logger = logging.getLogger(__name__)
# A survey reaches its people within this long of its opening (and of a late check-in).
INVITE_EVERY = datetime.timedelta(minutes=10)


@task()
def invite_to_surveys():
    ensure_invitations_scheduled()
    sent = services.invite_due()
    logger.info("survey invitations queued: %s", sent)
    return {"sent": sent}


def ensure_invitations_scheduled():
    """Queue the next run unless one is waiting. Returns True when it queued one."""
    return background.ensure_every(invite_to_surveys, INVITE_EVERY)
