"""Background work at the venue: a batch of badges."""

from django_tasks import task

from .models import BadgeBatch
from .services import build_batch


@task()
def build_badges(batch_id):
    batch = build_batch(BadgeBatch.objects.select_related("edition").get(pk=batch_id))
    return {"status": batch.status, "count": batch.total}
