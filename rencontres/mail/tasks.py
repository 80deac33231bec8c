"""The background task that empties the outbox."""

from django_tasks import task

from .services import send_due_emails


@task()
def send_outbox():
    sent, failed = send_due_emails()
    return {"sent": sent, "failed": failed}
