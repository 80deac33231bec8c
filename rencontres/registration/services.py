"""What happens to a registration: submit, confirm the address, take places or wait, change,
cancel, approve or reject. Views, the admin and tasks all call these functions.

Capacity rule: every write that takes or frees a place runs in one transaction that first locks
the edition's row (select_for_update on PostgreSQL; SQLite's immediate transactions lock the
whole database). The edition row is the one lock for all counts of that edition (overall,
category and sessions), so places are never given twice and locks are always taken in the
same order.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rencontres.editions.models import Edition, Session
from rencontres.mail.services import queue_email

from .calendar import registration_calendar
from .identifiers import name_key, normalise_identifier
from .models import Organisation, Registration, RegistrationEvent, SessionChoice

Status = Registration.Status
Choice = SessionChoice.Status
CONFIRM_SALT = "registration.confirm-address"


class RegistrationClosed(Exception):
    """A write outside the registration window."""

    def __init__(self, edition, now=None):
        self.status = edition.registration_status(now)
        super().__init__(self.message)

    @property
    def message(self):
        if self.status.state == "not_yet_open":
            return _("Registrations are not open yet.")
        closes_at = timezone.localtime(self.status.closes_at)
        return _(
            "Registrations closed on %(date)s. Registrations can no longer be made or changed "
            "online: please write to the organisers."
        ) % {"date": formats.date_format(closes_at, "DATETIME_FORMAT")}


def check_window(edition, now=None):
    if not edition.registration_status(now).is_open:
        raise RegistrationClosed(edition, now)


def log(registration, action, actor=None, **details):
    RegistrationEvent.objects.create(
        registration=registration, action=action, actor=actor, details=details
    )


def lock_edition(edition):
    """Take the edition's lock (see the module's docstring); return the locked row."""
    return Edition.objects.select_for_update().get(pk=edition.pk)


# Organisations ---------------------------------------------------------------------------


def find_or_create_organisation(name, kind, country, identifier=""):
    """The organisation these details describe: found by its official identifier, or by its
    name compared loosely within its country; created only when none matches."""
    identifier = normalise_identifier(identifier)
    if identifier:
        found = Organisation.objects.filter(identifier=identifier).first()
        if found:
            return found
    key = name_key(name)
    same_country = Organisation.objects.filter(country=country)
    found = same_country.filter(name_key=key).first()
    if found is None:
        import difflib

        keys = list(same_country.values_list("name_key", flat=True).distinct()[:5000])
        close = difflib.get_close_matches(key, keys, n=1, cutoff=0.92)
        if close:
            found = same_country.filter(name_key=close[0]).first()
    if found:
        if identifier and not found.identifier:
            found.identifier = identifier
            found.save(update_fields=["identifier", "name_key"])
        return found
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=" ".join(name.split()), kind=kind, country=country, identifier=identifier
            )
    except IntegrityError:  # the same identifier, created by a concurrent registration
        return Organisation.objects.get(identifier=identifier)


# Links -----------------------------------------------------------------------------------


def confirmation_token(registration):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(registration.public_id))


def registration_from_confirmation_token(token):
    """The registration, or None when the token is forged; raises SignatureExpired when old."""
    max_age = datetime.timedelta(hours=settings.REGISTRATION_CONFIRMATION_HOURS)
    try:
        public_id = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return Registration.objects.filter(public_id=public_id).first()


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def private_link(registration):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(registration.language):
        return absolute(
            reverse("registration:private", args=[registration.public_id, registration.secret])
        )


def confirmation_link(registration):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(registration.language):
        return absolute(reverse("registration:confirm", args=[confirmation_token(registration)]))


# E-mails ---------------------------------------------------------------------------------


def mail_context(registration):
    edition = registration.edition
    return {
        "name": registration.full_name,
        "first_name": registration.first_name,
        "edition_number": edition.number,
        "edition_title": getattr(edition, f"title_{registration.language}") or edition.title_fr,
        "status": registration.status,
        "private_link": private_link(registration),
    }


def send(registration, template, attach_calendar=False, **extra):
    context = {**mail_context(registration), **extra}
    attachments = []
    if attach_calendar:
        attachments.append(
            {
                "filename": f"rencontres-{registration.edition.number}.ics",
                "content": registration_calendar(registration).decode(),
                "mimetype": "text/calendar",
            }
        )
    if template == "registration_confirmed":
        context["sessions"] = session_summary(registration)
    return queue_email(
        registration.email,
        template,
        context,
        registration.language,
        registration=registration,
        attachments=attachments,
    )


def session_summary(registration):
    from django.utils import translation

    lines = []
    with translation.override(registration.language):
        for choice in registration.choices.select_related("session").order_by("session__starts_at"):
            start = timezone.localtime(choice.session.starts_at)
            lines.append(
                {
                    "title": choice.session.title,
                    "when": formats.date_format(start, "l j F, H:i"),
                    "waitlisted": choice.status == Choice.WAITLISTED,
                }
            )
    return lines


# Submit ----------------------------------------------------------------------------------


def submit(edition, details, sessions=(), members=(), nonce=None, now=None):
    """Record a registration (and its delegation's members) awaiting e-mail confirmation.

    `details`: Registration fields plus "organisation" (an Organisation). Returns
    (registration, created). A second submit of the same form (`nonce`) returns the first
    one; an address already registered gets its private link again, and nothing is created.
    """
    now = now or timezone.now()
    check_window(edition, now)
    if nonce:
        earlier = Registration.objects.filter(form_nonce=nonce).first()
        if earlier:
            return earlier, False
    existing = Registration.objects.filter(edition=edition, email__iexact=details["email"]).first()
    if existing:
        resend_link(existing)
        return existing, False
    try:
        with transaction.atomic():
            registration = create_registration(edition, details, sessions, now, nonce)
            if members:
                add_delegation(registration, members, sessions, now)
            send(
                registration,
                "confirm_address",
                confirmation_link=confirmation_link(registration),
                hours=settings.REGISTRATION_CONFIRMATION_HOURS,
                members=[member.full_name for member in delegation_members(registration)],
            )
    except IntegrityError:
        # A double click or a second tab: the first request created it.
        earlier = (
            Registration.objects.filter(Q(form_nonce=nonce) if nonce else Q(pk=None)).first()
            or Registration.objects.filter(edition=edition, email__iexact=details["email"]).first()
        )
        if earlier is None:
            raise
        return earlier, False
    return registration, True


def create_registration(edition, details, sessions, now, nonce=None, status=None):
    registration = Registration.objects.create(
        edition=edition,
        form_nonce=nonce,
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        privacy_accepted_at=now,
        directory_consent_at=now if details.get("directory_opt_in") else None,
        photo_consent_at=now if details.get("photo_opt_in") else None,
        status=status or Status.AWAITING_CONFIRMATION,
        created_at=now,
        **details,
    )
    SessionChoice.objects.bulk_create(
        SessionChoice(registration=registration, session=session, created_at=now)
        for session in sessions
    )
    log(registration, "submitted", sessions=[session.pk for session in sessions])
    return registration


def add_delegation(head, members, sessions, now):
    from .models import Delegation

    delegation = Delegation.objects.create(
        edition=head.edition,
        name=_("Delegation of %(organisation)s") % {"organisation": head.organisation.name},
        organisation=head.organisation,
    )
    head.delegation = delegation
    head.is_delegation_head = True
    head.save(update_fields=["delegation", "is_delegation_head", "updated_at"])
    for member in members:
        details = {
            **member,
            "organisation": head.organisation,
            "days": head.days,
            "delegation": delegation,
        }
        create_registration(head.edition, details, sessions, now)


def delegation_members(registration):
    if not registration.is_delegation_head:
        return []
    return list(registration.delegation.members.exclude(pk=registration.pk))


def resend_link(registration):
    """The e-mail a person gets when they ask again: to confirm, or their private link."""
    if registration.status == Status.AWAITING_CONFIRMATION:
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
    registration = Registration.objects.filter(edition=edition, email__iexact=email).first()
    if registration is not None:
        resend_link(registration)


# Confirm and admit -----------------------------------------------------------------------


def confirm_address(registration, now=None):
    """The person clicked the link in the confirmation e-mail: admit them (and their
    delegation's members) as capacity allows. Returns the registration, refreshed."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_edition(registration.edition)
        registration.refresh_from_db()
        if registration.status != Status.AWAITING_CONFIRMATION:
            return registration
        people = [registration, *delegation_members(registration)]
        for person in people:
            if person.status != Status.AWAITING_CONFIRMATION:
                continue
            person.email_confirmed_at = now
            person.save(update_fields=["email_confirmed_at", "updated_at"])
            log(person, "address_confirmed")
            admit(person, now)
    registration.refresh_from_db()
    return registration


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


def admit(registration, now, approved=False):
    """With the edition locked: confirm, wait for approval, or wait for a place."""
    if registration.category.needs_approval and not approved:
        set_status(registration, Status.AWAITING_APPROVAL)
        send(registration, "awaiting_approval")
        return
    if not has_room(registration):
        registration.waitlisted_at = registration.waitlisted_at or now
        set_status(registration, Status.WAITLISTED, "waitlisted_at")
        send(registration, "waitlisted")
        return
    set_status(registration, Status.CONFIRMED)
    allocate_sessions(registration, now)
    send(registration, "registration_confirmed", attach_calendar=True)


def set_status(registration, status, *fields, actor=None):
    previous = registration.status
    registration.status = status
    registration.save(update_fields=["status", "updated_at", *fields])
    log(registration, "status", actor=actor, previous=previous, status=status)


def confirmed_counts(sessions):
    counts = (
        SessionChoice.objects.filter(
            session__in=sessions,
            status=Choice.CONFIRMED,
            registration__status=Status.CONFIRMED,
        )
        .values("session")
        .annotate(taken=Count("pk"))
    )
    return {row["session"]: row["taken"] for row in counts}


def allocate_sessions(registration, now):
    """With the edition locked: give each requested session a place, or a waiting list rank."""
    choices = list(registration.choices.filter(status=Choice.REQUESTED).select_related("session"))
    taken = confirmed_counts([choice.session for choice in choices])
    for choice in choices:
        capacity = choice.session.capacity
        if capacity is None or taken.get(choice.session_id, 0) < capacity:
            choice.status = Choice.CONFIRMED
            taken[choice.session_id] = taken.get(choice.session_id, 0) + 1
        else:
            choice.status = Choice.WAITLISTED
        choice.created_at = now
        choice.save(update_fields=["status", "created_at"])


# Organisers' decisions -------------------------------------------------------------------


def approve(registration, actor, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        lock_edition(registration.edition)
        registration.refresh_from_db()
        if registration.status != Status.AWAITING_APPROVAL:
            return registration
        log(registration, "approved", actor=actor)
        admit(registration, now, approved=True)
    return registration


def reject(registration, actor):
    with transaction.atomic():
        lock_edition(registration.edition)
        registration.refresh_from_db()
        if registration.status not in {Status.AWAITING_APPROVAL, Status.WAITLISTED}:
            return registration
        set_status(registration, Status.REJECTED, actor=actor)
        registration.choices.all().delete()
        send(registration, "rejected")
    return registration


# Changes by the registrant ---------------------------------------------------------------


def update_details(registration, changes, actor=None, now=None):
    """Change a registration's details (not its places); organisers (`actor`) may do it
    after the deadline."""
    if actor is None:
        check_window(registration.edition, now)
    changed = {
        field: [str(getattr(registration, field)), str(value)]
        for field, value in changes.items()
        if getattr(registration, field) != value
    }
    if not changed:
        return registration
    for field, value in changes.items():
        setattr(registration, field, value)
    registration.save()
    log(registration, "details_changed", actor=actor, changes=changed)
    return registration


def change_sessions(registration, sessions, actor=None, now=None):
    """Keep, add or drop session choices; new ones take a place if one is left, else wait.

    Returns the sessions that are waitlisted after the change.
    """
    now = now or timezone.now()
    if actor is None:
        check_window(registration.edition, now)
    wanted = {session.pk: session for session in sessions}
    with transaction.atomic():
        lock_edition(registration.edition)
        registration.refresh_from_db()
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
            log(registration, "sessions_changed", actor=actor,
                added=[s.pk for s in added], dropped=[c.session_id for c in dropped])  # fmt: skip
    return list(
        Session.objects.filter(
            choices__registration=registration, choices__status=Choice.WAITLISTED
        )
    )


def cancel(registration, actor=None, now=None):
    """Cancel a registration, free its places and give them to the first who wait."""
    now = now or timezone.now()
    if actor is None:
        check_window(registration.edition, now)
    with transaction.atomic():
        lock_edition(registration.edition)
        registration.refresh_from_db()
        if not registration.is_active:
            return registration
        held_place = registration.status == Status.CONFIRMED
        sessions = [choice.session for choice in registration.choices.select_related("session")]
        registration.choices.all().delete()
        set_status(registration, Status.CANCELLED, actor=actor)
        send(registration, "cancelled")
        if held_place:
            promote_sessions(sessions, now)
            promote_registrations(registration.edition, now)
    return registration


# Waiting lists ---------------------------------------------------------------------------


def promote_sessions(sessions, now):
    """With the edition locked: give freed session places to the first on each waiting list."""
    sessions = [session for session in sessions if session.capacity is not None]
    taken = confirmed_counts(sessions)
    for session in sessions:
        free = session.capacity - taken.get(session.pk, 0)
        if free <= 0:
            continue
        waiting = (
            SessionChoice.objects.filter(
                session=session,
                status=Choice.WAITLISTED,
                registration__status=Status.CONFIRMED,
            )
            .select_related("registration")
            .order_by("created_at", "pk")[:free]
        )
        for choice in waiting:
            choice.status = Choice.CONFIRMED
            choice.save(update_fields=["status"])
            log(choice.registration, "session_promoted", session=session.pk)
            title = getattr(session, f"title_{choice.registration.language}") or session.title_fr
            send(choice.registration, "session_promoted", session_title=title,
                 attach_calendar=True)  # fmt: skip


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
