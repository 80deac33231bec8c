"""Background work of registrations: releasing the places held for delegation members who did
not confirm their address in time (queued for the moment the holds expire), and the daily
invitations of past participants to an edition whose registration is open (it queues its own
next run, at 10:00 Paris time: rencontres.background)."""

import logging

from django_tasks import task

from rencontres import background
from rencontres.editions.models import Edition

from .services.invitations import invite_returning_participants
from .services.places import release_expired_holds_of

logger = logging.getLogger(__name__)
RETURNING_HOUR = 10


@task()
def release_held_places(edition_id):
    return {"released": release_expired_holds_of(edition_id)}


def invite_returning_everywhere(now=None):
    """The past participants' invitations of every published edition open now."""
    return sum(
        invite_returning_participants(edition, now)
        for edition in Edition.objects.published().order_by("number")
    )


@task()
def invite_returning():
    ensure_returning_scheduled()
    sent = invite_returning_everywhere()
    logger.info("past participants invited: %s", sent)
    return {"sent": sent}


def ensure_returning_scheduled():
    """Queue the next daily run unless one is waiting. Returns True when it queued one."""
    return background.ensure_daily(invite_returning, RETURNING_HOUR)
