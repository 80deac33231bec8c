"""Erasure: personal fields emptied or replaced in every model that points at a registration
(registry.py says which), while what statistics count stays (category, organisation, status,
dates, check-ins). The same function serves a person's request and the retention purge."""

from django.db import transaction
from django.utils import timezone

from rencontres.backoffice.models import InvitationImport
from rencontres.editions.models import Edition
from rencontres.mail.models import OutgoingEmail
from rencontres.networking.services.common import person_summary
from rencontres.onsite.models import BadgeBatch, CertificateBatch
from rencontres.privacy.models import ConsentRecord
from rencontres.registration.models import Invitation, NamedMember, Registration
from rencontres.registration.services import cancel, log
from rencontres.registration.services.consents import Consent, set_consent

from ..models import ErasedId, ErasureRequest
from ..registry import (
    InDatabase,
    erased_value,
    personal_fields,
    registration_graph,
    stop_sending,
)
from .export import rows_of

BATCH = 500


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
    log(registration, "erasure_requested", channel=channel)
    return created, True


def confirm_erasure(erasure_request, actor, now=None):
    """Erase the person's data. A registration for an edition still to come is cancelled
    first, so that their places go to the people waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        erasure_request = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
        if erasure_request.status != ErasureRequest.Status.PENDING:
            return erasure_request
        registration = erasure_request.registration
        if registration.is_active and registration.edition.ends_on >= timezone.localdate(now):
            cancel(registration, actor=actor, now=now)
        stop_inviting(registration, actor, now)
        erase_registrations(Registration.objects.filter(pk=registration.pk))
        erasure_request.status = ErasureRequest.Status.DONE
        erasure_request.decided_at, erasure_request.decided_by = now, actor
        erasure_request.save(update_fields=["status", "decided_at", "decided_by"])
    return erasure_request


def stop_inviting(registration, actor, now):
    """Whoever asks to be forgotten is not invited to the next editions by an older
    registration of theirs: the latest registration of an address decides the invitations
    (registration.services.invitations.returning_participants), and the erased one no longer
    holds the address. The consent is withdrawn on the others, recorded as the erasure's."""
    others = Registration.objects.filter(
        email__iexact=registration.email, next_editions_opt_in=True
    ).exclude(pk=registration.pk)
    for other in others:
        set_consent(other, Consent.NEXT_EDITIONS, False, ConsentRecord.Source.ERASURE, actor, now)


def forget_in_webhooks(editions_and_ids):
    """Delete the webhook deliveries, sent or waiting, whose payload shows one of these
    registrations (or names it, as an invoice or a check-in does): an erased person's data
    neither stays in them nor goes out. Read by label: the API sits beside privacy."""
    import json

    from django.apps import apps

    pairs = list(editions_and_ids)
    ids = {str(public_id) for _edition, public_id in pairs}
    if not ids:
        return 0
    delivery = apps.get_model("api", "WebhookDelivery")
    rows = delivery.objects.filter(subscription__edition__in={edition for edition, _id in pairs})
    doomed = [
        pk
        for pk, payload in rows.values_list("pk", "payload").iterator(chunk_size=BATCH)
        if any(public_id in json.dumps(payload) for public_id in ids)
    ]
    return delivery.objects.filter(pk__in=doomed).delete()[0] if doomed else 0


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
        erased = list(registrations.values_list("pk", flat=True))
        changed["api.WebhookDelivery"] = forget_in_webhooks(
            registrations.values_list("edition_id", "public_id")
        )
        ErasedId.objects.bulk_create(
            [ErasedId(edition_id=edition, public_id=public_id) for edition, public_id in
             registrations.values_list("edition_id", "public_id")],
            ignore_conflicts=True,
        )  # fmt: skip
        editions = set(registrations.values_list("edition_id", flat=True))
        forget_in_invitation_lists(editions, registrations.values_list("email", flat=True))
        changed["registration.NamedMember (by others)"] = forget_named_members(registrations)
        changed["mail.OutgoingEmail (to others)"] = forget_in_others_mail(registrations)
        for model, paths in registration_graph().items():
            rows = model._default_manager.filter(
                pk__in=rows_of(model, paths, registrations).values("pk")
            )
            count = erase_rows(model, rows)
            if count:
                changed[model._meta.label] = count
        # The rows changed by bulk updates, which send no signal: the exchanges' caches (the
        # recommendations, the directory's countries) are told here.
        Edition.networking_changed(pk__in=editions)
        changed["onsite.BadgeBatch"] = delete_badge_files(editions)
        changed["onsite.CertificateBatch"] = delete_badge_files(editions, CertificateBatch)
        # Changed: an incremental sync (the API's modified_since) learns of the erasure.
        Registration.objects.filter(pk__in=erased).update(updated_at=timezone.now())
    return changed


def erase_rows(model, rows):
    """Erase the personal fields of `rows` (a queryset of `model`) as the registry says;
    returns how many rows there were."""
    for field, _action in personal_fields(model):
        if field.many_to_many:  # the links go (a registration's starred sessions)
            through = field.remote_field.through
            through.objects.filter(**{f"{field.m2m_field_name()}__in": rows.values("pk")}).delete()
    fields = [(f, a) for f, a in personal_fields(model) if not f.many_to_many]
    if not fields:
        return 0
    manager = model._default_manager
    # Constants and database expressions in one UPDATE; what Python must compute row by row
    # (a new random id, history details) in batches.
    per_row = [(f, a) for f, a in fields if callable(a)]
    in_one_go = {
        field.attname: action.expression()
        if isinstance(action, InDatabase)
        else erased_value(field, action, None)
        for field, action in fields
        if not callable(action)
    }
    count = rows.update(**in_one_go) if in_one_go else rows.count()
    forget_in_admin_log(model, rows)
    if per_row:
        names = [field.attname for field, _action in per_row]
        batch = []
        for row in rows.only("pk", *names).iterator(chunk_size=BATCH):
            for field, action in per_row:
                setattr(row, field.attname, erased_value(field, action, row))
            batch.append(row)
            if len(batch) == BATCH:
                manager.bulk_update(batch, names)
                batch = []
        if batch:
            manager.bulk_update(batch, names)
    return count


def forget_in_others_mail(registrations):
    """E-mails to other participants that name these people (a meeting request, an answer, a
    cancellation) lose their contents; one not sent yet is not sent."""
    from django.db.models import Q

    summaries = [person_summary(person) for person in registrations.select_related("organisation")]
    if not summaries:
        return 0
    return (
        OutgoingEmail.objects.filter(template__startswith="meeting_")
        .filter(Q(context__sender__in=summaries) | Q(context__other__in=summaries))
        .exclude(registration__in=registrations)
        .update(
            subject="",
            body_text="",
            body_html="",
            context={},
            attachments=[],
            status=stop_sending.expression(),
        )
    )


def forget_in_admin_log(model, rows):
    """Django's admin log names each object it records ("Awa Ndiaye"): an id instead."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in rows.values_list("pk", flat=True)],
    ).update(object_repr=Concat(Value("#"), F("object_id")))


def forget_in_invitation_lists(edition_ids, emails):
    """Imported invitation lists keep their rows for the record: a person erased leaves them."""
    gone = {email.lower() for email in emails}
    for imported in InvitationImport.objects.filter(edition_id__in=edition_ids):
        rows = [row for row in imported.rows if row.get("email") not in gone]
        skipped = [row for row in imported.skipped if row.get("email") not in gone]
        if (rows, skipped) != (imported.rows, imported.skipped):
            imported.rows, imported.skipped = rows, skipped
            imported.save(update_fields=["rows", "skipped"])


def forget_named_members(registrations):
    """A head of delegation may have named one of these people with the address they had
    registered with already (models.NamedMember): what the head typed about them goes too
    (the names a head erased typed are erased with the head, through the registry). Returns
    how many such names were deleted."""
    gone = {
        (edition_id, email.lower())
        for edition_id, email in registrations.values_list("edition_id", "email")
    }
    others = NamedMember.objects.filter(
        head__edition_id__in={edition_id for edition_id, _email in gone}
    ).exclude(head__in=registrations)
    named = [
        pk
        for pk, edition_id, email in others.values_list("pk", "head__edition_id", "email")
        if (edition_id, email.lower()) in gone
    ]
    return NamedMember.objects.filter(pk__in=named).delete()[0]


def erase_invitations(edition):
    """Invitations of people who never registered, their e-mails and the imported lists: no
    registration points at them, so the edition's purge erases them here."""
    with transaction.atomic():
        invitations = Invitation.objects.filter(edition=edition)
        emails = OutgoingEmail.objects.filter(
            registration=None,
            template="invitation",
            context__edition_number=edition.number,  # not next year's invitation
            recipient__in=list(invitations.values_list("email", flat=True)),
        )
        changed = {"mail.OutgoingEmail": erase_rows(OutgoingEmail, emails)}
        changed["registration.Invitation"] = erase_rows(Invitation, invitations)
        InvitationImport.objects.filter(edition=edition).update(
            filename="", rows=[], problems=[], skipped=[], ignored_columns=[]
        )
    return changed


def delete_badge_files(edition_ids, model=BadgeBatch):
    """Batches of badges (or of certificates, `model`) are PDFs with names on them: they go
    (organisers build new ones)."""
    batches = model.objects.filter(edition_id__in=edition_ids).exclude(file="")
    count = 0
    for batch in batches:
        batch.file.delete(save=False)
        model.objects.filter(pk=batch.pk).update(file="")
        count += 1
    return count
