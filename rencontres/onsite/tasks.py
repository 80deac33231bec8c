"""Background work at the venue: a batch of badges, a batch of attendance certificates."""

from django_tasks import task

from .certificates import build_batch as build_certificate_batch
from .models import BadgeBatch, CertificateBatch
from .services import build_batch


@task()
def build_badges(batch_id):
    batch = build_batch(BadgeBatch.objects.select_related("edition").get(pk=batch_id))
    return {"status": batch.status, "count": batch.total}


@task()
def build_certificates(batch_id):
    batch = build_certificate_batch(
        CertificateBatch.objects.select_related("edition").get(pk=batch_id)
    )
    return {"status": batch.status, "count": batch.total}
