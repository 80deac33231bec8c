"""Background work of the back-office: sending an e-mail to a segment."""

from django_tasks import task

from rencontres.editions.models import Edition
from rencontres.registration.services import invite_returning_participants
from rencontres.registration.services import send_invitations as send_invitations_of

from .mailings import send
from .models import Mailing


@task()
def send_mailing(mailing_id):
    mailing = send(Mailing.objects.select_related("edition").get(pk=mailing_id))
    return {"status": mailing.status, "queued": mailing.done}


@task()
def send_invitations(edition_id):
    return {"queued": send_invitations_of(edition_id)}


@task()
def invite_returning(edition_id):
    return {"queued": invite_returning_participants(Edition.objects.get(pk=edition_id))}
