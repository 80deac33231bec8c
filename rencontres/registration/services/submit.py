"""Submitting the form: a registration (and its delegation) awaiting confirmation."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from rencontres.mail.models import OutgoingEmail
from rencontres.privacy.models import ConsentRecord

from ..models import Delegation, Invitation, NamedMember, Registration, SessionChoice
from .common import Status, check_window, log
from .consents import consent_times, record_consents_on_registering
from .extras import book_extras
from .messages import confirmation_link, send


def submit(edition, details, sessions=(), members=(), nonce=None, now=None, invitation=None,
           extras=()):  # fmt: skip
    """Record a registration (and its delegation's members) awaiting e-mail confirmation.

    `details`: Registration fields plus "organisation" (an Organisation). Returns
    (registration, created). A second submit of the same form (`nonce`) returns the first
    one; an address already registered gets its private link again, and nothing is created.
    Through an `invitation` sent to the same address, the address is already proven: the
    registration is confirmed at once (and needs no approval).

    `members` (a head of delegation's): each is registered awaiting their own confirmation,
    except an address already registered, which is left as it is and told nothing, so that
    the answer never says who is registered (the head's page lists the name as it lists the
    others: models.NamedMember). They hear from us once the head has confirmed
    (places.hold_places_for_members).

    `extras`: a seat in each (the partners' dinner), or ExtraFull and nothing recorded.
    """
    now = now or timezone.now()
    check_window(edition, now)
    if nonce:
        earlier = Registration.objects.filter(form_nonce=nonce).first()
        if earlier:
            return earlier, False
    existing = Registration.objects.filter(edition=edition).with_email(details["email"]).first()
    if existing:
        resend_link(existing)
        return existing, False
    try:
        with transaction.atomic():
            registration = create_registration(
                edition, details, Source.FORM, sessions=sessions, nonce=nonce, now=now
            )
            book_extras(registration, extras, now=now)
            if members:
                add_delegation(registration, members, sessions, now)
            if invitation is not None and accept_invitation(invitation, registration):
                # places.py imports this module (delegations' members): the one import kept
                # inside a function in registration's services, until those move apart.
                from .places import confirm_address

                confirm_address(registration, now)
                return registration, True
            send(
                registration,
                "confirm_address",
                confirmation_link=confirmation_link(registration),
                hours=settings.REGISTRATION_CONFIRMATION_HOURS,
                members=[f"{member['first_name']} {member['last_name']}" for member in members],
            )
    except IntegrityError:
        # A double click or a second tab: the first request created it.
        earlier = (
            Registration.objects.filter(Q(form_nonce=nonce) if nonce else Q(pk=None)).first()
            or Registration.objects.filter(edition=edition).with_email(details["email"]).first()
        )
        if earlier is None:
            raise
        return earlier, False
    return registration, True


Source = ConsentRecord.Source

# Where a registration is made: the notice's version is stored with where it was accepted
# (the privacy notice shown on the form, read out at the door, or told by an organiser), and
# the first line of its history says how it came.
HOW_REGISTERED = {
    Source.FORM: ("", "submitted"),
    Source.DOOR: ("onsite:", "registered_at_the_door"),
    Source.ORGANISER: ("organiser:", "added_by_organiser"),
}


def create_registration(edition, details, source, sessions=(), nonce=None, now=None, actor=None):
    """The one way a registration is made, awaiting the confirmation of its address, whoever
    makes it (`source`: the form, with its `nonce`; the door; an organiser, `actor`): the
    notice accepted and the optional consents given now, their records, its session choices
    and the first line of its history. Call it in a transaction: an address already
    registered for the edition raises IntegrityError."""
    now = now or timezone.now()
    prefix, action = HOW_REGISTERED[source]
    registration = Registration.objects.create(
        edition=edition,
        form_nonce=nonce,
        privacy_notice_version=f"{prefix}{settings.PRIVACY_NOTICE_VERSION}",
        privacy_accepted_at=now,
        status=Status.AWAITING_CONFIRMATION,
        created_at=now,
        **consent_times(details, now),
        **details,
    )
    SessionChoice.objects.bulk_create(
        SessionChoice(registration=registration, session=session, created_at=now)
        for session in sessions
    )
    log(registration, action, actor=actor, sessions=[session.pk for session in sessions])
    record_consents_on_registering(registration, source, now)
    return registration


def add_delegation(head, members, sessions, now):
    delegation = Delegation.objects.create(
        edition=head.edition,
        name=_("Delegation of %(organisation)s") % {"organisation": head.organisation.name},
        organisation=head.organisation,
    )
    head.delegation = delegation
    head.is_delegation_head = True
    head.save(update_fields=["delegation", "is_delegation_head", "updated_at"])
    registered = set(
        Registration.objects.filter(edition=head.edition)
        .with_email(*(member["email"] for member in members))
        .values_list(Lower("email"), flat=True)
    )
    for member in members:
        if member["email"].lower() in registered:
            name_member(head, member, now=now)
            continue
        details = {
            **member,
            "organisation": head.organisation,
            "days": head.days,
            "delegation": delegation,
        }
        try:
            with transaction.atomic():
                create_registration(head.edition, details, Source.FORM, sessions, now=now)
        except IntegrityError:  # registered at this very moment by someone else: theirs
            name_member(head, member, now=now)


def name_member(head, member, nonce=None, now=None):
    """A member whose address is registered already: only their name, on the head's page
    (models.NamedMember). `member`: what the head typed."""
    now = now or timezone.now()
    return NamedMember.objects.create(
        head=head,
        first_name=member["first_name"],
        last_name=member["last_name"],
        email=member["email"],
        category=member.get("category"),
        form_nonce=nonce,
        link_sent_at=now if head.email_confirmed_at else None,
        created_at=now,
    )


def send_member_confirmation(member, head, held_until=None):
    """A member's own link to confirm their address, saying who registered them and until when
    their place is held (None: no place held, they will take one as capacity allows)."""
    send(member, "member_confirm_address", **member_confirmation(member, head, held_until))


def member_confirmation(member, head, held_until=None):
    """What the e-mail with a member's own link says (send_member_confirmation)."""
    with translation.override(member.language):
        until = (
            formats.date_format(timezone.localtime(held_until), "DATETIME_FORMAT")
            if held_until
            else None
        )
    return dict(
        confirmation_link=confirmation_link(member),
        hours=settings.REGISTRATION_CONFIRMATION_HOURS,
        head_name=head.full_name,
        organisation=head.organisation.name,
        held_until=until,
        replacing=member.replaces_id is not None,
        # A member who took over someone's place holds their sessions too (delegations.py).
        sessions_held=bool(until)
        and member.choices.filter(status=SessionChoice.Status.CONFIRMED).exists(),
    )


def accept_invitation(invitation, registration):
    """Link the invitation to its registration; True when it went to the same address."""
    linked = Invitation.objects.filter(pk=invitation.pk, registration=None).update(
        registration=registration, declined_at=None
    )
    if linked:
        # The invitation's e-mails become the person's own: in their history, export, erasure.
        OutgoingEmail.objects.filter(
            registration=None,
            template="invitation",
            recipient__iexact=invitation.email,
            context__edition_number=invitation.edition.number,
        ).update(registration=registration)
    log(registration, "invitation_accepted", invitation=invitation.pk)
    return bool(linked) and invitation.email.lower() == registration.email.lower()


def delegation_members(registration):
    if not registration.is_delegation_head:
        return []
    return list(registration.delegation.members.exclude(pk=registration.pk))


def delegation_head(registration):
    """The head who registered this member, or None (not a member, or a head)."""
    if registration.delegation_id is None or registration.is_delegation_head:
        return None
    return registration.delegation.members.filter(is_delegation_head=True).first()


def replace_link(registration, actor=None):
    """A private link went astray: give the registration a new secret, so that the old link
    (and any confirmation link sent before) opens nothing, and e-mail the new one."""
    registration.rotate_secret()
    log(registration, "link_replaced", actor=actor)
    resend_link(registration)


def resend_link(registration):
    """The e-mail a person gets when they ask again: to confirm, or their private link."""
    if registration.status == Status.AWAITING_CONFIRMATION:
        head = delegation_head(registration)
        if head is not None:
            send_member_confirmation(registration, head, registration.place_held_until)
            return
        send(
            registration,
            "confirm_address",
            confirmation_link=confirmation_link(registration),
            hours=settings.REGISTRATION_CONFIRMATION_HOURS,
            members=[],
        )
    elif registration.is_active:
        send(registration, "private_link")


def request_link(edition, email):
    """The 'I lost my link' form: answers the same whether or not the address is known."""
    registration = Registration.objects.filter(edition=edition).with_email(email).first()
    if registration is not None:
        resend_link(registration)
