"""The background task that sends the webhooks' deliveries due."""

from django_tasks import task

from .webhooks import deliver_due


@task()
def deliver_webhooks():
    delivered, failed = deliver_due()
    return {"delivered": delivered, "failed": failed}
