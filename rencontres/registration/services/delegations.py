"""A delegation that manages itself: its head adds a member, replaces one who cannot come (the
place passes on), changes a member's sessions, sends a member their link again or removes
them, while registrations are open; an organiser replaces a member through the same service,
after the deadline too. What the head sees of each member comes from the delegation's own
records (its registrations, and the names whose address was registered already:
models.NamedMember), never from a look-up by address: the head's pages never tell whether
an address is registered."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import NamedMember, Registration, RegistrationEvent, SessionChoice
from .by_hand import AlreadyRegistered
from .common import Choice, Status, check_window, lock_edition, log
from .places import by_head, cancel, change_sessions, hold_place, registration_locked
from .submit import (
    Source,
    create_registration,
    delegation_head,
    name_member,
    resend_link,
    send_member_confirmation,
)


class AlreadyInDelegation(Exception):
    """The address is the head's, or a member's of this delegation (its own records: saying
    so tells nothing about anyone else)."""


class DelegationFull(Exception):
    """The delegation has DELEGATION_MAX_MEMBERS members already (cancelled ones aside)."""


class MemberGone(Exception):
    """The member was cancelled or replaced meanwhile (someone acted first)."""


# What a head reads of each member's state: their own confirmation first, since that is
# what the head waits for.
STATES = {
    "awaiting_confirmation": _("Awaiting their own confirmation"),
    Status.CONFIRMED: Status.CONFIRMED.label,
    Status.AWAITING_APPROVAL: _("Awaiting the organisers' approval"),
    Status.WAITLISTED: Status.WAITLISTED.label,
    Status.CANCELLED: Status.CANCELLED.label,
    "replaced": _("Replaced by someone else"),
    Status.REJECTED: _("Not accepted by the organisers"),
}
# Where a member's sessions can be changed by the head: once they have confirmed their own
# address (before, they take their places when they do).
SESSIONS_CHANGE = {Status.CONFIRMED, Status.WAITLISTED, Status.AWAITING_APPROVAL}


@dataclass
class Member:
    """A member as their head sees them: whom the head named, and where they stand. A name
    whose address was registered already (`registration` None) looks like a member who has
    not confirmed yet, whatever that registration is."""

    public_id: object
    full_name: str
    email: str
    state: str
    created_at: object
    registration: Registration | None = None
    named: NamedMember | None = None

    @property
    def state_label(self):
        return STATES[self.state]

    @property
    def is_active(self):
        return self.state not in (Status.CANCELLED, Status.REJECTED, "replaced")

    @property
    def can_change_sessions(self):
        return self.registration is not None and self.registration.status in SESSIONS_CHANGE

    @property
    def record(self):
        """The registration, or the name: what the services act on."""
        return self.registration if self.registration is not None else self.named


def member_of(registration, replaced=False):
    state = registration.status
    if replaced:
        state = "replaced"
    return Member(
        public_id=registration.public_id, full_name=registration.full_name,
        email=registration.email, state=state, created_at=registration.created_at,
        registration=registration,
    )  # fmt: skip


def named_member(named):
    return Member(
        public_id=named.public_id, full_name=named.full_name, email=named.email,
        state="awaiting_confirmation", created_at=named.created_at, named=named,
    )  # fmt: skip


def roster(head):
    """The head's members, by name, those who are no longer coming last: [Member] (the order
    in which they were named would tell the names apart from the others). Empty for anyone
    who is not a head."""
    if not head.is_delegation_head or head.delegation_id is None:
        return []
    registrations = list(head.delegation.members.exclude(pk=head.pk).order_by("created_at", "pk"))
    replaced = set(
        RegistrationEvent.objects.filter(
            registration__in=[r for r in registrations if r.status == Status.CANCELLED],
            action="delegation_member_replaced",
        ).values_list("registration_id", flat=True)
    )
    members = [member_of(r, replaced=r.pk in replaced) for r in registrations]
    members += [named_member(named) for named in head.named_members.all()]
    return sorted(members, key=lambda member: (not member.is_active, member.full_name.casefold()))


def find_member(head, public_id):
    """The head's member whose public id this is, or None (someone else's, or nobody's)."""
    if not head.is_delegation_head or head.delegation_id is None:
        return None
    registration = (
        head.delegation.members.exclude(pk=head.pk)
        .select_related("edition", "category", "organisation")
        .filter(public_id=public_id)
        .first()
    )
    if registration is not None:
        replaced = RegistrationEvent.objects.filter(
            registration=registration, action="delegation_member_replaced"
        ).exists()
        return member_of(registration, replaced=replaced)
    named = head.named_members.filter(public_id=public_id).first()
    return named_member(named) if named is not None else None


def member_count(head):
    """The members who count against DELEGATION_MAX_MEMBERS: all but those cancelled or
    refused."""
    active = head.delegation.members.exclude(pk=head.pk).filter(status__in=Registration.ACTIVE)
    return active.count() + head.named_members.count()


def made_with(nonce):
    """What a form sent before with this page nonce made (a double click), or None."""
    if not nonce:
        return None
    return (
        Registration.objects.filter(form_nonce=nonce).first()
        or NamedMember.objects.filter(form_nonce=nonce).first()
    )


def check_new_address(head, email):
    """Refuse the head's own address and those of the delegation's own records."""
    own = (
        head.delegation.members.with_email(email).exists()
        or head.named_members.filter(email__iexact=email).exists()
    )
    if own or head.email.lower() == email.lower():
        raise AlreadyInDelegation(email)


def add_member(head, details, sessions=(), nonce=None, now=None):
    """The head adds a member while registrations are open, within DELEGATION_MAX_MEMBERS:
    registered awaiting their own confirmation, with their own e-mail to confirm it (and a
    place held, as for the first members) once the head has confirmed theirs. An address
    registered already is left as it is, told nothing, and only named (models.NamedMember).
    `details`: first_name, last_name, email, job_title, category, language. The same form
    sent twice (`nonce`) returns what the first one made. Returns the new Registration or
    NamedMember."""
    now = now or timezone.now()
    check_window(head.edition, now)
    with registration_locked(head, Registration.ACTIVE, release_holds_at=now) as locked:
        earlier = made_with(nonce)
        if earlier is not None:
            return earlier
        if locked is None or not head.is_delegation_head:
            raise MemberGone
        if member_count(head) >= settings.DELEGATION_MAX_MEMBERS:
            raise DelegationFull
        check_new_address(head, details["email"])
        member = take_in(head, details, sessions, nonce, now)
        if isinstance(member, Registration) and head.email_confirmed_at:
            hold_place(member, head, now)
    return member


def take_in(head, details, sessions, nonce, now, replaces=None, actor=None):
    """With the edition locked: the new member's registration (or only their name, for an
    address registered already), in the head's organisation and delegation, with the first
    lines of their history. Not e-mailed yet. For the team (`actor`), an address registered
    already raises AlreadyRegistered instead: they may know, and choose someone else."""
    edition = head.edition
    person = {field: details[field] for field in
              ("first_name", "last_name", "email", "job_title", "language")}  # fmt: skip
    category = replaces.category if replaces is not None else details["category"]
    existing = Registration.objects.filter(edition=edition).with_email(person["email"]).first()
    if existing is not None and actor is not None:  # the team sees who is registered
        raise AlreadyRegistered(existing)
    if existing is not None:
        return name_member(head, {**person, "category": category}, nonce, now)
    source = Source.ORGANISER if actor is not None else Source.FORM
    member_details = {
        **person,
        "category": category,
        "organisation": head.organisation,
        "days": (replaces or head).days,
        "delegation": head.delegation,
    }
    try:
        with transaction.atomic():
            member = create_registration(
                edition, member_details, source, sessions=sessions, nonce=nonce, now=now,
                actor=actor,
            )  # fmt: skip
    except IntegrityError:  # the address was registered this very moment, by someone else
        return name_member(head, {**person, "category": category}, nonce, now)
    if replaces is not None:
        member.replaces = replaces
        if replaces.status == Status.WAITLISTED:  # their turn on the waiting list
            member.waitlisted_at = replaces.waitlisted_at
        member.save(update_fields=["replaces", "waitlisted_at", "updated_at"])
    log(member, "delegation_member_added", actor=actor, **by_head(None if actor else head),
        **({"replaces": replaces.pk} if replaces is not None else {}))  # fmt: skip
    return member


def replace_member(member, details, head=None, actor=None, nonce=None, now=None):
    """A member who cannot come gives their place to someone else, at their head's request
    (`head`, while registrations are open) or an organiser's (`actor`, at any time). The
    member's registration is cancelled; the new person's, awaiting their own confirmation
    (their own e-mail, their own link), takes over its place: the place held for them
    (DELEGATION_HOLD_HOURS, as for any member, then it goes to those who wait), its confirmed
    sessions without going through the waiting lists, its turn on a waiting list, and no new
    approval to wait for. An address registered already is left as it is and only named
    (models.NamedMember), and the member's places go to those who wait (for an organiser,
    AlreadyRegistered is raised instead, and nothing changes). `member`: a
    Registration or a NamedMember; `details` as for add_member, without the category (the
    place's). The same form sent twice (`nonce`) returns what the first one made: the
    edition's lock and the member's row, locked, let one request through at a time. Returns
    the new Registration or NamedMember."""
    now = now or timezone.now()
    if actor is None:
        check_window(member_edition(member), now)
    if isinstance(member, NamedMember):
        return replace_named(member, details, head, actor, nonce, now)
    head = head or delegation_head(member)
    with registration_locked(member, Registration.ACTIVE, release_holds_at=now) as locked:
        earlier = made_with(nonce)
        if earlier is not None:
            return earlier
        if locked is None or head is None:
            raise MemberGone
        Registration.objects.select_for_update().filter(pk=member.pk).first()
        check_new_address(head, details["email"])
        replacement = take_in(head, details, (), nonce, now, replaces=member, actor=actor)
        held = member.status == Status.CONFIRMED or member.place_held_until is not None
        taken_over = held and bool(settings.DELEGATION_HOLD_HOURS)
        if isinstance(replacement, Registration):
            SessionChoice.objects.bulk_create(
                SessionChoice(
                    registration=replacement,
                    session_id=choice.session_id,
                    status=Choice.REQUESTED
                    if choice.status == Choice.CONFIRMED and not taken_over
                    else choice.status,
                    created_at=choice.created_at,
                )
                for choice in member.choices.all()
            )
            if held:
                hold_place(replacement, head, now, held=True)
            elif member.status == Status.AWAITING_CONFIRMATION:
                hold_place(replacement, head, now)
            else:  # waiting for a place or for approval: the new person waits as they did
                send_member_confirmation(replacement, head)
        else:
            taken_over = False  # an address registered already: the places go to who waits
        log(member, "delegation_member_replaced", actor=actor, **by_head(None if actor else head),
            **({"replaced_by": replacement.pk} if isinstance(replacement, Registration)
               else {}))  # fmt: skip
        cancel(member, actor=actor, now=now, head=None if actor else head, replaced=True,
               passed_on=taken_over)  # fmt: skip
    return replacement


def replace_named(named, details, head, actor, nonce, now):
    """A name whose address was registered already gives way to someone else: the name goes,
    the new member comes in as one added now."""
    head = head or named.head
    with transaction.atomic():
        lock_edition(head.edition)
        earlier = made_with(nonce)
        if earlier is not None:
            return earlier
        if not NamedMember.objects.select_for_update().filter(pk=named.pk).exists():
            raise MemberGone
        named.delete()
        check_new_address(head, details["email"])
        category = named.category or head.category
        member = take_in(head, {**details, "category": category}, (), nonce, now, actor=actor)
        if isinstance(member, Registration):
            hold_place(member, head, now)
    return member


def member_edition(member):
    return member.head.edition if isinstance(member, NamedMember) else member.edition


def remove_member(member, head=None, actor=None, now=None):
    """A member who cannot come leaves the delegation, at their head's request (`head`, while
    registrations are open) or an organiser's: their registration is cancelled (they are told,
    their places go to those who wait); a name whose address was registered already is only
    struck off. Returns whether anything changed (not for a second click)."""
    now = now or timezone.now()
    if isinstance(member, NamedMember):
        check_window(member.head.edition, now)
        return NamedMember.objects.filter(pk=member.pk).delete()[0] > 0
    if actor is None:
        check_window(member.edition, now)
    with registration_locked(member, Registration.ACTIVE) as locked:
        if locked is None:
            return False
        log(member, "delegation_member_removed", actor=actor, **by_head(head))
        cancel(member, actor=actor, now=now, head=head)
    return True


def change_member_sessions(head, member, sessions, now=None):
    """The head changes a member's sessions, as the member would (capacities, waiting lists,
    history, their e-mail, which says who did it). Returns the waitlisted sessions."""
    return change_sessions(member, sessions, now=now, head=head)


def resend_member_link(member, now=None):
    """The member's e-mail again: the link to confirm their address, or their private link.
    A name whose address was registered already is sent nothing (as when the head named it),
    but counts as sent (delete_never_confirmed)."""
    if isinstance(member, NamedMember):
        NamedMember.objects.filter(pk=member.pk).update(link_sent_at=now or timezone.now())
        return
    resend_link(member)
