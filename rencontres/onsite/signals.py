"""A batch of badges deleted (in the admin, or with its edition) takes its PDF with it: no
file with names stays in PRIVATE_ROOT that no row leads to."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import BadgeBatch


@receiver(post_delete, sender=BadgeBatch, dispatch_uid="onsite_badge_batch_file")
def delete_batch_file(sender, instance, **kwargs):
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    # Once the deletion is committed: a rolled-back one keeps its row, and its file.
    transaction.on_commit(lambda: storage.delete(name), robust=True)
