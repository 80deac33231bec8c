"""Places: confirmation, capacities, waiting lists, approvals, changes and cancellations."""

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from rencontres import background
from rencontres.editions.models import Edition, Session
from rencontres.privacy.consents import REGISTRATION_FIELDS
from rencontres.privacy.models import ConsentRecord
from rencontres.privacy.registry import SENSITIVE_REGISTRATION_FIELDS

from ..models import Delegation, NamedMember, Registration, SessionChoice
from ..selectors import waiting_list
from ..signals import registration_cancelled, registration_confirmed
from .common import Choice, Status, check_window, lock_edition, log
from .consents import set_consent
from .messages import send, session_line
from .submit import delegation_members, send_member_confirmation


@contextmanager
def registration_locked(registration, allowed=None, release_holds_at=None):
    """What every action on places starts with: one transaction, the edition's lock (see the
    package's docstring), then `registration` refreshed as it is now. Yields it, or None when
    its status is not one of `allowed` (someone acted first: nothing to do). With
    `release_holds_at`, holds past that time go first, to those who wait, before the action
    takes a place (and before the refresh: the registration may be one of them)."""
    with transaction.atomic():
        lock_edition(registration.edition)
        if release_holds_at is not None:
            release_expired_holds(registration.edition, release_holds_at)
        registration.refresh_from_db()
        yield registration if allowed is None or registration.status in allowed else None


def confirm_address(registration, now=None, notify=True):
    """The person clicked the link in the confirmation e-mail: admit them as capacity allows.
    A head of delegation confirms only their own address: their members' places are held
    for a while, and each member gets their own link to confirm theirs
    (hold_places_for_members). Without `notify` (an organiser who tells the person
    themselves), the person is sent nothing. Returns the registration, refreshed."""
    now = now or timezone.now()
    allowed = {Status.AWAITING_CONFIRMATION}
    with registration_locked(registration, allowed, release_holds_at=now) as locked:
        if locked is None:
            return registration
        registration.email_confirmed_at = now
        registration.save(update_fields=["email_confirmed_at", "updated_at"])
        log(registration, "address_confirmed")
        # The organisers chose whom they invited (not a past participant who asked to hear
        # of the next editions), and a member who took over someone's place in time keeps it
        # as it was: no approval to wait for.
        invitation = getattr(registration, "invitation", None)
        approved = (invitation is not None and invitation.chosen_by_organisers) or (
            takes_over_a_place(registration)
        )
        admit(registration, now, approved=approved, notify=notify)
        if registration.is_delegation_head:
            hold_places_for_members(registration, now)
    registration.refresh_from_db()
    return registration


def takes_over_a_place(registration):
    """Whether this member took over, and still holds or waits for, the place of a member
    who could not come (services.delegations.replace_member)."""
    return registration.replaces_id is not None and (
        registration.place_held_until is not None or registration.waitlisted_at is not None
    )


def hold_places_for_members(head, now):
    """With the edition locked: the head proved their own address, not their members'. Each
    member still awaiting confirmation gets their own link by e-mail and, where a place is
    left, a place held for DELEGATION_HOLD_HOURS; a member who does not confirm in time loses
    it to the waiting list (release_expired_holds). Their sessions' places are given when they
    confirm: a place held in a session would show in its public "places left", and an address
    already registered (left as it is, submit.add_delegation) holds none, so the count would
    tell whether it is registered."""
    until = None
    for member in delegation_members(head):
        if member.status != Status.AWAITING_CONFIRMATION or member.email_confirmed_at:
            continue
        if hold_place(member, head, now, schedule=False):
            until = member.place_held_until
    if until is not None:  # one release for them all: they expire together
        transaction.on_commit(lambda: schedule_release(head.edition_id, until))
    # The names whose address was registered already: "sent" when the others are, and gone
    # when the others' links expire (delete_never_confirmed).
    NamedMember.objects.filter(head=head).update(link_sent_at=now)


def hold_place(member, head, now, held=None, schedule=True):
    """With the edition locked: a member awaiting their own confirmation gets their link by
    e-mail and, for DELEGATION_HOLD_HOURS, a place held where one is left (`held`: whether to
    hold one whatever is left, the place of a member they replace), released by the worker
    when it expires (`schedule`). Returns whether one is held."""
    hours = settings.DELEGATION_HOLD_HOURS
    until = now + datetime.timedelta(hours=hours)
    if held is None:
        held = not member.category.needs_approval and has_room(member)
    held = held and bool(hours)
    if held:
        member.place_held_until = until
        member.save(update_fields=["place_held_until", "updated_at"])
        log(member, "place_held", until=until.isoformat())
        if schedule:
            transaction.on_commit(lambda: schedule_release(head.edition_id, until))
    send_member_confirmation(member, head, until if held else None)
    return held


def release_expired_holds(edition, now=None):
    """With the edition locked: members who did not confirm their address in time lose their
    held place and session places, which go to the first who wait. They can still confirm
    (by asking for their link again) and then take a place as capacity allows. Returns how
    many holds were released."""
    now = now or timezone.now()
    expired = list(
        Registration.objects.filter(
            edition=edition, status=Status.AWAITING_CONFIRMATION, place_held_until__lte=now
        )
    )
    if not expired:
        return 0
    freed = []
    for member in expired:
        held = member.choices.filter(status=Choice.CONFIRMED).select_related("session")
        freed.extend(choice.session for choice in held)
        held.update(status=Choice.REQUESTED)
        member.place_held_until = None
        member.save(update_fields=["place_held_until", "updated_at"])
        log(member, "hold_released")
    promote_sessions(list({session.pk: session for session in freed}.values()), now)
    promote_registrations(edition, now)
    return len(expired)


def release_expired_holds_of(edition_id, now=None):
    """Release the expired holds of one edition (the task and the command's entry point)."""
    edition = Edition.objects.get(pk=edition_id)
    with transaction.atomic():
        lock_edition(edition)
        return release_expired_holds(edition, now)


# The e-mails that carry a link to confirm an address (submit.py): a link lives
# REGISTRATION_CONFIRMATION_HOURS from the e-mail that carries it.
CONFIRMATION_TEMPLATES = ("confirm_address", "member_confirm_address")


def never_confirmed(now=None):
    """Registrations whose address was never confirmed and can no longer be: the last link
    sent to them has expired. A delegation member is kept while their head's own link still
    works (the head's confirmation is what sends the members theirs)."""
    from django.db.models import Exists, OuterRef

    from rencontres.mail.models import OutgoingEmail

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.REGISTRATION_CONFIRMATION_HOURS)
    link_alive = OutgoingEmail.objects.filter(
        template__in=CONFIRMATION_TEMPLATES, created_at__gt=cutoff
    )
    head_can_still_confirm = Registration.objects.filter(
        delegation=OuterRef("delegation"),
        is_delegation_head=True,
        status=Status.AWAITING_CONFIRMATION,
    ).filter(Q(created_at__gt=cutoff) | Exists(link_alive.filter(registration=OuterRef("pk"))))
    return (
        Registration.objects.filter(
            status=Status.AWAITING_CONFIRMATION,
            email_confirmed_at__isnull=True,
            created_at__lte=cutoff,
        )
        .exclude(Exists(link_alive.filter(registration=OuterRef("pk"))))
        .exclude(Exists(head_can_still_confirm.exclude(pk=OuterRef("pk"))))
    )


def expired_named_members(now=None):
    """The names a head gave with an address registered already (models.NamedMember), due to
    go when the link of a member in their place would have expired: the head's page then
    shows them as it shows such a member, deleted."""
    from django.db.models import Exists, OuterRef

    from rencontres.mail.models import OutgoingEmail

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.REGISTRATION_CONFIRMATION_HOURS)
    head_can_still_confirm = Registration.objects.filter(
        pk=OuterRef("head"), status=Status.AWAITING_CONFIRMATION
    ).filter(
        Q(created_at__gt=cutoff)
        | Exists(
            OutgoingEmail.objects.filter(
                template__in=CONFIRMATION_TEMPLATES,
                created_at__gt=cutoff,
                registration=OuterRef("pk"),
            )
        )
    )
    return (
        NamedMember.objects.filter(created_at__lte=cutoff)
        .exclude(link_sent_at__gt=cutoff)
        .exclude(Exists(head_can_still_confirm))
    )


def delete_never_confirmed(now=None, dry_run=False):
    """The confirmation e-mail promises that nothing is kept of a registration nobody
    confirmed: once its link has expired, delete it (with its choices, history and e-mails),
    give any place it still held to those who wait, and drop delegations left empty. Run by
    the daily purge (privacy.services.retention.purge_timed). Returns how many."""
    from rencontres.editions.models import Edition

    now = now or timezone.now()
    if dry_run:
        return never_confirmed(now).count()
    expired_named_members(now).delete()
    deleted = 0
    editions = never_confirmed(now).values_list("edition", flat=True).distinct()
    for edition in Edition.objects.filter(pk__in=list(editions)):
        with transaction.atomic():
            lock_edition(edition)
            release_expired_holds(edition, now)
            gone = never_confirmed(now).filter(edition=edition)
            freed = list(
                Session.objects.filter(
                    choices__registration__in=gone.filter(place_held_until__isnull=False),
                    choices__status=Choice.CONFIRMED,
                ).distinct()
            )
            held = gone.filter(place_held_until__isnull=False).exists()
            delegations = list(gone.exclude(delegation=None).values_list("delegation", flat=True))
            deleted += gone.count()
            Registration.objects.filter(pk__in=list(gone.values_list("pk", flat=True))).delete()
            Delegation.objects.filter(pk__in=delegations, members=None).delete()
            if held:
                promote_sessions(freed, now)
                promote_registrations(edition, now)
    return deleted


def schedule_release(edition_id, at):
    """Have the worker release the holds when they expire; without a worker that can wait
    (the immediate backend), `manage.py release_held_places` from cron does it, and so does
    the next confirmation of the edition."""
    background.enqueue(
        "rencontres.registration.tasks.release_held_places",
        edition_id,
        after=at + datetime.timedelta(seconds=1),
    )


def places_taken(edition, category=None):
    registrations = Registration.objects.filter(edition=edition).holding_a_place()
    if category is not None:
        registrations = registrations.filter(category=category)
    return registrations.count()


def has_room(registration):
    edition, category = registration.edition, registration.category
    if edition.capacity is not None and places_taken(edition) >= edition.capacity:
        return False
    return category.capacity is None or places_taken(edition, category) < category.capacity


def admit(registration, now, approved=False, notify=True):
    """With the edition locked: confirm, wait for approval, or wait for a place, and tell the
    person where they stand (unless not `notify`). A member whose place was held takes it (it
    is counted already)."""
    if registration.category.needs_approval and not approved:
        set_status(registration, Status.AWAITING_APPROVAL)
        template, options = "awaiting_approval", {}
    elif registration.place_held_until is None and not has_room(registration):
        registration.waitlisted_at = registration.waitlisted_at or now
        set_status(registration, Status.WAITLISTED, "waitlisted_at")
        template, options = "waitlisted", {}
    else:
        registration.place_held_until = None
        set_status(registration, Status.CONFIRMED, "place_held_until")
        allocate_sessions(registration, now)
        template, options = "registration_confirmed", {"attach_calendar": True}
    if notify:
        send(registration, template, **options)


def set_status(registration, status, *fields, actor=None):
    previous = registration.status
    registration.status = status
    registration.save(update_fields=["status", "updated_at", *fields])
    log(registration, "status", actor=actor, previous=previous, status=status)
    if status == Status.CONFIRMED and previous != Status.CONFIRMED:
        registration_confirmed.send(sender=Registration, registration=registration, actor=actor)


def confirmed_counts(sessions):
    """{session id: places taken}, held places included."""
    counts = (
        SessionChoice.objects.filter(session__in=sessions)
        .taking_a_place()
        .values("session")
        .annotate(taken=Count("pk"))
    )
    return {row["session"]: row["taken"] for row in counts}


def allocate_sessions(registration, now, waitlist=True):
    """With the edition locked: give each requested session a place, or a waiting list rank
    (or, without `waitlist`, leave it requested: a held place does not queue)."""
    choices = list(registration.choices.filter(status=Choice.REQUESTED).select_related("session"))
    taken = confirmed_counts([choice.session for choice in choices])
    for choice in choices:
        capacity = choice.session.capacity
        if capacity is None or taken.get(choice.session_id, 0) < capacity:
            choice.status = Choice.CONFIRMED
            taken[choice.session_id] = taken.get(choice.session_id, 0) + 1
        elif waitlist:
            choice.status = Choice.WAITLISTED
        else:
            continue
        choice.created_at = now
        choice.save(update_fields=["status", "created_at"])


def approve(registration, actor, now=None):
    now = now or timezone.now()
    with registration_locked(registration, {Status.AWAITING_APPROVAL}) as locked:
        if locked is None:
            return registration
        log(registration, "approved", actor=actor)
        admit(registration, now, approved=True)
    return registration


def confirm_from_waiting_list(registration, actor, now=None):
    """An organiser gives a waiting person a place, beyond the capacity if need be."""
    now = now or timezone.now()
    with registration_locked(registration, {Status.WAITLISTED}) as locked:
        if locked is None:
            return registration
        log(registration, "moved_from_waiting_list", actor=actor)
        set_status(registration, Status.CONFIRMED, actor=actor)
        allocate_sessions(registration, now)
        send(registration, "registration_confirmed", attach_calendar=True)
    return registration


def reject(registration, actor):
    allowed = {Status.AWAITING_APPROVAL, Status.WAITLISTED}
    with registration_locked(registration, allowed) as locked:
        if locked is None:
            return registration
        set_status(registration, Status.REJECTED, actor=actor)
        registration.choices.all().delete()
        send(registration, "rejected")
    return registration


def update_details(registration, changes, actor=None, now=None, any_time=False):
    """Change a registration's details (not its places); organisers (`actor`) may do it
    after the deadline, and so may the person for what an invitation letter needs
    (`any_time`: visas are asked for after registrations close)."""
    now = now or timezone.now()
    if actor is None and not any_time:
        check_window(registration.edition, now)
    # The history says that a sensitive field changed, never its value: the history is shown
    # to roles that may not see those fields, and kept after they are purged.
    changed = {
        field: ["…", "…"]
        if field in SENSITIVE_REGISTRATION_FIELDS
        else [str(getattr(registration, field)), str(value)]
        for field, value in changes.items()
        if getattr(registration, field) != value
    }
    if not changed:
        return registration
    # A consent given or withdrawn has its own record and line of history (set_consent).
    consents = {flag: consent for consent, (flag, _when) in REGISTRATION_FIELDS.items()}
    source = ConsentRecord.Source.ORGANISER if actor else ConsentRecord.Source.PRIVATE_PAGE
    details = {field: change for field, change in changed.items() if field not in consents}
    with transaction.atomic():
        if details:
            for field, value in changes.items():
                if field not in consents:
                    setattr(registration, field, value)
            registration.save()
            log(registration, "details_changed", actor=actor, changes=details)
        for field in changed:
            if field in consents:
                set_consent(registration, consents[field], changes[field], source, actor, now)
        if actor is None:  # the person, through their link: they hear of it (and would of a
            # stranger holding the link), in the same transaction as the change
            send(registration, "registration_changed", details=changed_details(registration,
                                                                             changed))  # fmt: skip
    return registration


def changed_details(registration, changed):
    """What an e-mail says of changed details, in the person's language: each field's name and
    its new value; for the sensitive ones (needs, diet, passport name) only that they changed,
    since e-mails are kept longer than those fields."""
    from django.utils import translation
    from django.utils.translation import gettext

    lines = []
    with translation.override(registration.language):
        for field in changed:
            model_field = Registration._meta.get_field(field)
            if field in SENSITIVE_REGISTRATION_FIELDS:
                value = gettext("changed")
            elif model_field.get_internal_type() == "BooleanField":
                value = gettext("yes") if getattr(registration, field) else gettext("no")
            elif model_field.choices:
                value = str(getattr(registration, f"get_{field}_display")())
            else:
                value = str(getattr(registration, field)) or gettext("(empty)")
            lines.append({"label": str(model_field.verbose_name).capitalize(), "value": value})
    return lines


def change_sessions(registration, sessions, actor=None, now=None, notify=None, head=None):
    """Keep, add or drop session choices; new ones take a place if one is left, else wait.
    The person is e-mailed what changed when they made the change, when their head of
    delegation did it for them (`head`, within the registration window too), or when the team
    did it for them (`notify`); not when the team tidies up (moving the waiting lists).

    Returns the sessions that are waitlisted after the change.
    """
    now = now or timezone.now()
    if actor is None:
        check_window(registration.edition, now)
    wanted = {session.pk: session for session in sessions}
    with registration_locked(registration):
        current = {choice.session_id: choice for choice in registration.choices.all()}
        dropped = [choice for pk, choice in current.items() if pk not in wanted]
        added = [session for pk, session in wanted.items() if pk not in current]
        for choice in dropped:
            choice.delete()
        for session in added:
            SessionChoice.objects.create(registration=registration, session=session, created_at=now)
        if registration.status == Status.CONFIRMED:
            allocate_sessions(registration, now)
            promote_sessions([choice.session for choice in dropped], now)
        if dropped or added:
            log(registration, "sessions_changed", actor=actor, **by_head(head),
                added=[s.pk for s in added], dropped=[c.session_id for c in dropped])  # fmt: skip
            if actor is None if notify is None else notify:
                send_sessions_changed(registration, added, [choice.session for choice in dropped],
                                      by_team=actor is not None, head=head)  # fmt: skip
    return list(
        Session.objects.filter(
            choices__registration=registration, choices__status=Choice.WAITLISTED
        )
    )


def by_head(head):
    """The detail of a history line that says the head of delegation did it (`head`, or None:
    someone else did)."""
    return {"by_head": head.pk} if head is not None else {}


def send_sessions_changed(registration, added, dropped, by_team=False, head=None):
    """The e-mail after a person (or, `by_team`, the organisers, or their `head` of
    delegation) changed their sessions: what was added (with a place or on the waiting list),
    what was dropped, and all they hold now (see send)."""
    from django.utils import translation

    statuses = dict(registration.choices.values_list("session_id", "status"))
    with translation.override(registration.language):
        context = {
            "added": [
                session_line(session, waitlisted=statuses.get(session.pk) == Choice.WAITLISTED)
                for session in sorted(added, key=lambda s: s.starts_at)
            ],
            "dropped": [session_line(s) for s in sorted(dropped, key=lambda s: s.starts_at)],
        }
    send(
        registration, "registration_changed",
        attach_calendar=registration.status == Status.CONFIRMED, by_team=by_team,
        by_head=head.full_name if head is not None else "", **context,
    )  # fmt: skip


def cancel(registration, actor=None, now=None, head=None, replaced=False, passed_on=False):
    """Cancel a registration, free its places and give them to the first who wait; or, when
    they are `passed_on` to the member who replaces this one (services.delegations), give
    them to nobody. A head of delegation (`head`) cancels a member's registration within the
    registration window, as the person would; the person is told who did it, and whether
    someone takes their place (`replaced`: the same words whatever became of the place, so
    that they tell nothing of the new person)."""
    now = now or timezone.now()
    if actor is None:
        check_window(registration.edition, now)
    with registration_locked(registration, Registration.ACTIVE) as locked:
        if locked is None:
            return registration
        held_place = (
            registration.status == Status.CONFIRMED or registration.place_held_until is not None
        )
        sessions = [choice.session for choice in registration.choices.select_related("session")]
        registration.choices.all().delete()
        registration.place_held_until = None
        set_status(registration, Status.CANCELLED, "place_held_until", actor=actor)
        send(registration, "cancelled", replaced=replaced, by_team=actor is not None,
             by_head=head.full_name if head is not None else "")  # fmt: skip
        registration_cancelled.send(sender=Registration, registration=registration, actor=actor)
        if held_place and not passed_on:
            promote_sessions(sessions, now)
            promote_registrations(registration.edition, now)
    return registration


def promote_sessions(sessions, now, actor=None):
    """With the edition locked: give freed session places to the first on each waiting list.
    Returns the choices that got a place, in the order they got it."""
    sessions = [session for session in sessions if session.capacity is not None]
    taken = confirmed_counts(sessions)
    promoted = []
    for session in sessions:
        free = session.capacity - taken.get(session.pk, 0)
        if free <= 0:
            continue
        for choice in waiting_list(session)[:free]:
            give_session_place(choice, actor)
            promoted.append(choice)
    return promoted


def give_session_place(choice, actor=None):
    """With the edition locked: a waiting choice takes its place; the person hears of it."""
    choice.status = Choice.CONFIRMED
    choice.save(update_fields=["status"])
    session = choice.session
    log(choice.registration, "session_promoted", actor=actor, session=session.pk)
    title = getattr(session, f"title_{choice.registration.language}") or session.title_fr
    send(choice.registration, "session_promoted", session_title=title, attach_calendar=True)


class SessionFull(Exception):
    """A place asked for in a session with none left, without saying "beyond the capacity"."""


def promote_from_session_waiting_list(registration, session, actor, beyond_capacity=False):
    """An organiser gives a waiting person their place in `session` now, out of turn and,
    when `beyond_capacity` says so, beyond the capacity (else SessionFull). Returns whether
    a place was given: False when someone acted first (a second click gives nothing)."""
    with transaction.atomic():
        lock_edition(registration.edition)
        choice = (
            waiting_list(session)
            .filter(registration=registration)
            .select_related("session")
            .first()
        )
        if choice is None:
            return False
        session = choice.session  # as it is now, under the lock
        taken = confirmed_counts([session]).get(session.pk, 0)
        full = session.capacity is not None and taken >= session.capacity
        if full and not beyond_capacity:
            raise SessionFull
        give_session_place(choice, actor)
    return True


def set_session_capacity(session, capacity, actor, now=None):
    """An organiser raises (or lowers) a session's capacity: the places it frees go at once to
    the first on its waiting list, in order, each e-mailed; lowering it takes no place from
    anyone. Returns the choices that got a place (none for the same capacity sent twice)."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_edition(session.edition)
        session.capacity = capacity
        session.save(update_fields=["capacity"])
        return promote_sessions([session], now, actor=actor)


def change_sessions_for(registration, sessions, actor, now=None):
    """An organiser changes someone's sessions (moves them, takes a place away), after the
    deadline too: as change_sessions does, and the person is e-mailed what was added and
    dropped, as when they change their sessions themselves. Returns the waitlisted sessions."""
    return change_sessions(registration, sessions, actor=actor, now=now, notify=True)


def promote_registrations(edition, now):
    """With the edition locked: admit those waiting for a place, in order, while room lasts."""
    waiting = (
        Registration.objects.filter(edition=edition, status=Status.WAITLISTED)
        .select_related("category", "edition")
        .order_by("waitlisted_at", "pk")
    )
    for registration in waiting:
        if has_room(registration):
            set_status(registration, Status.CONFIRMED)
            allocate_sessions(registration, now)
            send(registration, "registration_confirmed", attach_calendar=True, promoted=True)
