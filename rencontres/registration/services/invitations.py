"""Invitations: the e-mail with its private link, declining, and finding one by its link."""

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from rencontres.mail.services import queue_email

from ..models import Invitation
from ..selectors import secret_matches
from .messages import absolute, edition_facts

# E-mails queued per transaction: a long list is sent in steps, each one committed.
CHUNK = 200


def invitation_by_link(public_id, secret):
    """The invitation a link opens, or None."""
    invitation = (
        Invitation.objects.select_related("edition", "category").filter(public_id=public_id).first()
    )
    if invitation is None or not secret_matches(invitation.secret, secret):
        return None
    return invitation


def invitation_link(invitation):
    with translation.override(invitation.language):
        return absolute(
            reverse("registration:invited", args=[invitation.public_id, invitation.secret])
        )


def send_invitations(edition_id):
    """Queue the invitation e-mail of every invitation of the edition not sent yet; returns how
    many were queued. Two runs at once never send one twice (rows are locked and skipped)."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Invitation.objects.filter(edition_id=edition_id)
                .in_state("not_sent")
                # Only the invitations' rows: the edition's, joined in, may be locked by a
                # registration at that moment, and skipping it would skip every invitation.
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("edition")
                .order_by("pk")[:CHUNK]
            )
            if not batch:
                return sent
            now = timezone.now()
            for invitation in batch:
                queue_email(invitation.email, "invitation", mail_context(invitation),
                            invitation.language)  # fmt: skip
                invitation.sent_at = now
            Invitation.objects.bulk_update(batch, ["sent_at"])
            sent += len(batch)


def mail_context(invitation):
    edition = invitation.edition
    with translation.override(invitation.language):
        closes = formats.date_format(timezone.localtime(edition.registration_closes_at), "j F Y")
    return {
        "first_name": invitation.first_name,
        "name": str(invitation),
        "edition_number": edition.number,
        "edition_title": getattr(edition, f"title_{invitation.language}") or edition.title_fr,
        "invitation_link": invitation_link(invitation),
        "closes": closes,
        "edition": edition_facts(edition, invitation.language),
    }


def decline(invitation):
    Invitation.objects.filter(pk=invitation.pk, registration=None, declined_at=None).update(
        declined_at=timezone.now()
    )
    invitation.refresh_from_db()


def form_initial(invitation):
    """The registration form's fields as the list gave them."""
    initial = {
        "first_name": invitation.first_name,
        "last_name": invitation.last_name,
        "email": invitation.email,
        "language": invitation.language,
        "organisation_name": invitation.organisation_name,
        "organisation_kind": invitation.organisation_kind,
        "organisation_country": invitation.country.code or "",
    }
    if invitation.category_id:
        initial["category"] = invitation.category_id
    return {key: value for key, value in initial.items() if value}
