"""Background work of the back-office: sending an e-mail to a segment."""

from django_tasks import task


@task()
def send_mailing(mailing_id):
    from .mailings import send
    from .models import Mailing

    mailing = send(Mailing.objects.select_related("edition").get(pk=mailing_id))
    return {"status": mailing.status, "queued": mailing.done}


@task()
def send_invitations(edition_id):
    from rencontres.registration.services import send_invitations as send

    return {"queued": send(edition_id)}
