"""Invitations: the e-mail with its private link, declining, and finding one by its link."""

from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats, timezone, translation

from rencontres.mail.services import queue_email

from ..models import Category, Invitation, Registration
from ..selectors import secret_matches
from .messages import absolute, edition_facts

# E-mails queued per transaction: a long list is sent in steps, each one committed.
CHUNK = 200


def invitation_by_link(public_id, secret):
    """The invitation a link opens, or None."""
    invitation = (
        Invitation.objects.select_related(
            "edition", "category", "previous_registration__organisation"
        )
        .filter(public_id=public_id)
        .first()
    )
    if invitation is None or not secret_matches(invitation.secret, secret):
        return None
    return invitation


def invitation_link(invitation):
    with translation.override(invitation.language):
        return absolute(
            reverse("registration:invited", args=[invitation.public_id, invitation.secret])
        )


def send_invitations(edition_id, returning=None):
    """Queue the invitation e-mail of every invitation of the edition not sent yet (with
    `returning`, only the past participants' or only the imported ones); returns how many were
    queued. Two runs at once never send one twice (rows are locked and skipped)."""
    sent = 0
    which = {} if returning is None else {"returning": returning}
    while True:
        with transaction.atomic():
            batch = list(
                Invitation.objects.filter(edition_id=edition_id, **which)
                .in_state("not_sent")
                # Only the invitations' rows: the edition's, joined in, may be locked by a
                # registration at that moment, and skipping it would skip every invitation.
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("edition", "previous_registration")
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


def returning_participants(edition):
    """The last registration of each past participant who asked to hear about the next
    editions and is neither registered for `edition` nor invited to it yet: for each address
    proven by its owner (a stranger could type anyone's address and tick the box), the
    latest registration of an earlier edition decides: a consent withdrawn there, an erasure
    or a refusal by the organisers means no invitation."""
    taken = {
        *Registration.objects.filter(edition=edition).values_list(Lower("email"), flat=True),
        *Invitation.objects.filter(edition=edition).values_list(Lower("email"), flat=True),
    }
    latest = {}
    rows = (
        Registration.objects.filter(edition__number__lt=edition.number)
        .exclude(email_confirmed_at=None)
        .annotate(address=Lower("email"))
        .order_by("-edition__number", "-created_at")
        .values_list("pk", "address", "next_editions_opt_in", "status")
    )
    for pk, address, agreed, status in rows:
        if address not in latest:
            latest[address] = (pk, agreed and status != Registration.Status.REJECTED)
    return (
        Registration.objects.filter(
            pk__in=[
                pk for address, (pk, invite) in latest.items() if invite and address not in taken
            ]
        )
        .select_related("organisation", "category")
        .order_by("pk")
    )


def invites_returning(edition, now=None):
    """Whether past participants are invited to `edition` now: published, registration open."""
    return edition.is_published and edition.registration_status(now).is_open


def invite_returning_participants(edition, now=None):
    """When `edition`'s registration is open: an invitation for each past participant who
    asked for one (returning_participants), e-mailed at once; returns how many were sent. Run
    every day while registration is open (a consent given since, an invitation never sent
    because of an outage), it invites nobody twice: one invitation per address and edition."""
    if not invites_returning(edition, now):
        return 0
    now = now or timezone.now()
    categories = dict(Category.objects.filter(edition=edition).values_list("code", "pk"))
    invitations = [
        Invitation(
            edition=edition,
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            organisation_name=person.organisation.name,
            organisation_kind=person.organisation.kind,
            country=person.organisation.country,
            category_id=categories.get(person.category.code) if person.category_id else None,
            language=person.language,
            returning=True,
            previous_registration=person,
            created_at=now,
        )
        for person in returning_participants(edition)
    ]
    # An address invited meanwhile (an import, another run) keeps the invitation it has.
    Invitation.objects.bulk_create(invitations, batch_size=CHUNK, ignore_conflicts=True)
    return send_invitations(edition.pk, returning=True)


def mail_context(invitation):
    edition = invitation.edition
    with translation.override(invitation.language):
        closes = formats.date_format(timezone.localtime(edition.registration_closes_at), "j F Y")
    previous = invitation.previous_registration if invitation.returning else None
    if previous is not None:  # where they withdraw the consent this e-mail comes from
        with translation.override(invitation.language):
            withdraw = absolute(reverse("privacy:private", args=[previous.public_id,
                                                                 previous.secret]))  # fmt: skip
        returning = {"returning": True, "withdraw_link": withdraw}
    else:
        returning = {}
    return {
        **returning,
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


# What a past participant's form takes from their last registration: who they are and where
# they work, never their needs, diet or passport (rencontres.privacy.registry's sensitive
# fields), nor a consent (given anew each time), nor the days and sessions of another edition.
CARRIED_OVER = ("phone", "job_title")


def form_initial(invitation):
    """The registration form's fields as the list gave them, or as the past participant's last
    registration holds them (CARRIED_OVER)."""
    previous = invitation.previous_registration
    initial = {
        "first_name": invitation.first_name,
        "last_name": invitation.last_name,
        "email": invitation.email,
        "language": invitation.language,
        "organisation_name": invitation.organisation_name,
        "organisation_kind": invitation.organisation_kind,
        "organisation_country": invitation.country.code or "",
    }
    if previous is not None:
        initial.update({field: getattr(previous, field) for field in CARRIED_OVER})
        initial["organisation_identifier"] = previous.organisation.identifier
    if invitation.category_id:
        initial["category"] = invitation.category_id
    return {key: value for key, value in initial.items() if value}
