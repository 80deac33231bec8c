"""Erasure: personal fields emptied or replaced in every model that points at a registration
(registry.py says which), while what statistics count stays (category, organisation, status,
dates, check-ins). The same function serves a person's request and the retention purge."""

from django.db import transaction
from django.utils import timezone

from ..models import ErasureRequest
from ..registry import ERASED_EMAIL_DOMAIN, erased_value, personal_fields, registration_graph
from .export import rows_of

BATCH = 500


def is_erased(registration):
    return registration.email.endswith(f"@{ERASED_EMAIL_DOMAIN}")


def request_erasure(registration, channel, now=None):
    """Record a request (one pending at a time); an organiser confirms it."""
    existing = ErasureRequest.objects.filter(
        registration=registration, status=ErasureRequest.Status.PENDING
    ).first()
    if existing:
        return existing, False
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            created = ErasureRequest.objects.create(
                registration=registration, channel=channel, requested_at=now or timezone.now()
            )
    except IntegrityError:  # the same request sent twice at once
        return ErasureRequest.objects.get(
            registration=registration, status=ErasureRequest.Status.PENDING
        ), False
    from rencontres.registration.services import log

    log(registration, "erasure_requested", channel=channel)
    return created, True


def confirm_erasure(erasure_request, actor, now=None):
    """Erase the person's data. A registration for an edition still to come is cancelled
    first, so that their places go to the people waiting."""
    from rencontres.registration.models import Registration
    from rencontres.registration.services import cancel

    now = now or timezone.now()
    with transaction.atomic():
        erasure_request = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
        if erasure_request.status != ErasureRequest.Status.PENDING:
            return erasure_request
        registration = erasure_request.registration
        if registration.is_active and registration.edition.ends_on >= timezone.localdate(now):
            cancel(registration, actor=actor, now=now)
        erase_registrations(Registration.objects.filter(pk=registration.pk))
        erasure_request.status = ErasureRequest.Status.DONE
        erasure_request.decided_at, erasure_request.decided_by = now, actor
        erasure_request.save(update_fields=["status", "decided_at", "decided_by"])
    return erasure_request


def refuse_erasure(erasure_request, actor, now=None):
    ErasureRequest.objects.filter(
        pk=erasure_request.pk, status=ErasureRequest.Status.PENDING
    ).update(status=ErasureRequest.Status.REFUSED, decided_at=now or timezone.now(),
             decided_by=actor)  # fmt: skip
    erasure_request.refresh_from_db()
    return erasure_request


def erase_registrations(registrations):
    """Erase the personal fields of `registrations` (a queryset) and of every row that points
    at them. Returns {model label: rows changed}."""
    changed = {}
    with transaction.atomic():
        editions = set(registrations.values_list("edition_id", flat=True))
        for model, paths in registration_graph().items():
            fields = personal_fields(model)
            if not fields:
                continue
            rows = list(rows_of(model, paths, registrations))
            for row in rows:
                for field, action in fields:
                    setattr(row, field.attname, erased_value(field, action, row))
            names = [field.attname for field, _action in fields if not field.many_to_many]
            for start in range(0, len(rows), BATCH):
                model._default_manager.bulk_update(rows[start : start + BATCH], names)
            if rows:
                changed[model._meta.label] = len(rows)
        changed["onsite.BadgeBatch"] = delete_badge_files(editions)
    return changed


def delete_badge_files(edition_ids):
    """Batches of badges are PDFs with names on them: they go (organisers build new ones)."""
    from rencontres.onsite.models import BadgeBatch

    batches = BadgeBatch.objects.filter(edition_id__in=edition_ids).exclude(file="")
    count = 0
    for batch in batches:
        batch.file.delete(save=False)
        BadgeBatch.objects.filter(pk=batch.pk).update(file="")
        count += 1
    return count
