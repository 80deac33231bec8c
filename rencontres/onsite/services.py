"""Check in a person (by badge token or by hand), build badge batches, and the figures of the
doors. Views, the offline sync and tasks call these functions."""

import datetime
import logging
from collections import Counter

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rencontres import background
from rencontres.privacy.models import ConsentRecord
from rencontres.registration import services as registration_services
from rencontres.registration.models import Category, Registration
from rencontres.registration.selectors import choices_of

from .badges import badges_pdf
from .models import BadgeBatch, BadgePrinting, CheckIn, ExtraCheckInDay
from .selectors import accepts_check_ins, entry_sessions, entry_sessions_by_key
from .tokens import public_id_from_token

logger = logging.getLogger(__name__)

OK, ALREADY, NOT_CONFIRMED, UNKNOWN = "ok", "already", "not_confirmed", "unknown"
NOT_ON_LIST, OUTSIDE_DAYS = "not_on_list", "outside_days"
# A device's clock may run ahead: a check-in is never dated after it was received, nor
# earlier than an offline queue could plausibly have kept it.
CLOCK_SLACK = datetime.timedelta(minutes=5)
OLDEST_OFFLINE = datetime.timedelta(hours=48)


def device_text(value, length=60):
    """A short text a device sent (door, device name): without NUL or other control characters,
    which PostgreSQL refuses or lists cannot show."""
    return "".join(character for character in str(value) if character.isprintable())[:length]


def registration_for_token(edition, token):
    public_id = public_id_from_token(token)
    if public_id is None:
        return None
    return (
        Registration.objects.select_related("category", "organisation")
        .filter(edition=edition, public_id=public_id)
        .first()
    )


def describe(registration):
    return {
        "name": registration.full_name,
        "organisation": registration.organisation.name,
        "category": registration.category.name,
        "colour": registration.category.colour,
        "sessions": [
            choice.session.title
            for choice in choices_of(registration)
            if choice.status == "confirmed"
        ],
    }


def accept_check_ins_on(edition, day, user):
    """Accept check-ins on `day`, outside the edition's days. True when it was off."""
    if edition.starts_on <= day <= edition.ends_on:
        return False
    _switch, created = ExtraCheckInDay.objects.get_or_create(
        edition=edition, day=day, defaults={"switched_on_by": user}
    )
    return created


def refuse_check_ins_on(edition, day):
    """Back to the rule: no check-in on `day` (outside the edition's days). True when it
    was on."""
    deleted, _rows = ExtraCheckInDay.objects.filter(edition=edition, day=day).delete()
    return bool(deleted)


def edition_dates(edition):
    """ "4 – 5 November 2027", as the site writes an edition's dates."""
    first, last = edition.starts_on, edition.ends_on
    if first == last:
        return formats.date_format(first, "j F Y")
    return f"{formats.date_format(first, 'j F')} – {formats.date_format(last, 'j F Y')}"


def outside_days_reason(edition):
    return _("Check-ins are accepted on the days of the edition only (%(dates)s).") % {
        "dates": edition_dates(edition)
    }


def on_list(registration, session):
    """A session with registration admits those holding a confirmed place; any other session
    admits every confirmed participant."""
    if not session.registration_required:
        return True
    return registration.choices.filter(session=session, status="confirmed").exists()


def check_in(edition, registration, door="", agent=None, device="", at=None, offline=False,
             session=None):  # fmt: skip
    """Record that `registration` came in (once per day, whatever the number of scans and
    doors), at the venue or, with `session`, at that session's door, on the edition's days
    (and those an organiser opened). Returns (status, details) with status OK, ALREADY,
    OUTSIDE_DAYS, NOT_CONFIRMED, NOT_ON_LIST or UNKNOWN."""
    now = timezone.now()
    at = at or now
    door, device = device_text(door), device_text(device)
    if not (now - OLDEST_OFFLINE <= at <= now + CLOCK_SLACK):
        at = now
    if registration is None or registration.edition_id != edition.pk:
        return UNKNOWN, {"reason": _("Unknown badge: not a badge of this edition.")}
    details = describe(registration)
    day = timezone.localtime(at).date()
    if not accepts_check_ins(edition, day):
        details["reason"] = outside_days_reason(edition)
        return OUTSIDE_DAYS, details
    if registration.status != Registration.Status.CONFIRMED:
        details["reason"] = _("Registration %(status)s.") % {
            "status": registration.get_status_display().lower()
        }
        return NOT_CONFIRMED, details
    if session is not None and not on_list(registration, session):
        details["reason"] = _("Not on the list of “%(session)s”.") % {"session": session.title}
        return NOT_ON_LIST, details
    try:
        with transaction.atomic():
            CheckIn.objects.create(
                registration=registration,
                day=day,
                at=at,
                door=door,
                agent=agent,
                device=device,
                offline=offline,
                session=session,
            )
    except IntegrityError:
        first = CheckIn.objects.get(registration=registration, day=day, session=session)
        if offline and at < first.at:
            # The same person scanned offline earlier than the check-in we have: keep the first.
            CheckIn.objects.filter(pk=first.pk).update(at=at, door=door, offline=True)
            first.refresh_from_db()
        details["first_at"] = timezone.localtime(first.at).strftime("%H:%M")
        details["first_door"] = first.door
        return ALREADY, details
    return OK, details


def check_in_token(edition, token, **kwargs):
    return check_in(edition, registration_for_token(edition, token), **kwargs)


def check_in_scan(edition, token, session_key=None, sessions=None, scan_id="", **kwargs):
    """A badge scanned at the venue's door or, with `session_key`, at the door of that
    session, which must be one whose door scans badges (`sessions`: those by key, when the
    caller already has them). Returns the result the desk shows, with the device's `scan_id`."""
    session = None
    if session_key not in (None, ""):
        if sessions is None:
            sessions = entry_sessions_by_key(edition)
        session = sessions.get(str(session_key))
        if session is None:
            return {"status": UNKNOWN, "reason": _("This session does not scan badges.")}
    status, details = check_in_token(edition, token, session=session, **kwargs)
    return {"status": status, "id": scan_id, **details}


def register_at_the_door(edition, details, agent, nonce=None):
    """Staff register someone who came without a registration (if the edition allows it):
    the address counts as given in person, places as capacity allows; then they are checked
    in when confirmed. The same form sent twice (its `nonce`) or an address already
    registered finds the registration made first. Returns (registration, check-in status)."""
    if not edition.allows_onsite_registration:
        raise PermissionError("registration at the door is off for this edition")

    def made_first():
        by_nonce = Registration.objects.filter(form_nonce=nonce).first() if nonce else None
        by_address = Registration.objects.filter(edition=edition).with_email(details["email"])
        return by_nonce or by_address.first()

    existing = made_first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = registration_services.create_registration(
                    edition,
                    {**details, "days": [timezone.localdate().isoformat()]},
                    ConsentRecord.Source.DOOR,
                    nonce=nonce,
                    actor=agent,
                )
        except IntegrityError:  # the same form sent twice at once: the first one made it
            existing = made_first()
            if existing is None:
                raise
    # In person, the address counts as confirmed: someone who never clicked the link is in.
    existing = registration_services.confirm_address(existing)
    status, _details = check_in(edition, existing, door="desk", agent=agent, device="desk")
    return existing, status


# Badge batches ------------------------------------------------------------------------------


def badge_queryset(edition, categories=(), countries=(), not_printed=False):
    people = Registration.objects.filter(
        edition=edition, status=Registration.Status.CONFIRMED
    ).select_related("category", "organisation", "edition")
    if categories:
        people = people.filter(category__in=categories)
    if isinstance(countries, str):  # a batch started before several could be chosen
        countries = [countries] if countries else []
    if countries:
        people = people.filter(organisation__country__in=countries)
    if not_printed:
        people = people.filter(badge_printings__isnull=True)
    return people.order_by("last_name", "first_name", "pk")


def start_batch(edition, user, layout, categories=(), countries=(), not_printed=False):
    batch = BadgeBatch.objects.create(
        edition=edition,
        created_by=user,
        layout=layout,
        filters={
            "categories": [c.pk for c in categories],
            "countries": list(countries),
            "not_printed": not_printed,
        },
    )
    background.enqueue_on_commit("rencontres.onsite.tasks.build_badges", batch.pk)
    return batch


def build_batch(batch):
    """The batch's work: select, draw with progress, store the file, mark who was printed."""
    try:
        filters = batch.filters
        people = list(
            badge_queryset(
                batch.edition,
                filters.get("categories") or (),
                filters.get("countries") or filters.get("country", ""),
                filters.get("not_printed", False),
            )
        )
        batch.start(total=len(people))
        content, _pages = badges_pdf(people, batch.layout, progress=batch.advance)
        batch.file.save(
            f"badges-{batch.edition.number}-{batch.pk}.pdf", ContentFile(content), save=False
        )
        BadgePrinting.objects.bulk_create(
            BadgePrinting(registration=person, batch=batch) for person in people
        )
        batch.succeed(file=batch.file.name)
    except Exception as error:
        logger.exception("badge batch %s failed", batch.pk)
        batch.fail(error)
    batch.refresh_from_db()
    return batch


# Figures ------------------------------------------------------------------------------------


def figures(edition, day):
    """Arrivals per quarter hour, present against expected per category, arrivals per door."""
    check_ins = CheckIn.objects.filter(registration__edition=edition, day=day, session=None)
    quarters = Counter()
    for at in check_ins.values_list("at", flat=True):
        local = timezone.localtime(at)
        quarters[
            local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
        ] += 1
    expected = dict(
        Registration.objects.filter(edition=edition, status=Registration.Status.CONFIRMED)
        .values_list("category__pk")
        .annotate(count=Count("pk"))
        .values_list("category__pk", "count")
    )
    present = dict(
        check_ins.values_list("registration__category__pk")
        .annotate(count=Count("pk"))
        .values_list("registration__category__pk", "count")
    )
    categories = [
        (category, present.get(category.pk, 0), expected.get(category.pk, 0))
        for category in Category.objects.filter(edition=edition)
        if expected.get(category.pk) or present.get(category.pk)
    ]
    doors = check_ins.values_list("door").annotate(count=Count("pk")).order_by("-count", "door")
    entries = dict(
        CheckIn.objects.filter(registration__edition=edition, day=day, session__isnull=False)
        .values_list("session")
        .annotate(count=Count("pk"))
        .values_list("session", "count")
    )
    sessions = []
    for session in entry_sessions(edition).filter(starts_at__date=day):
        listed = (
            session.choices.taking_a_place(held=False).count()
            if session.registration_required
            else sum(expected.values())
        )
        sessions.append((session, entries.get(session.pk, 0), listed))
    return {
        "sessions": sessions,
        "quarters": sorted(quarters.items()),
        "categories": categories,
        "doors": list(doors),
        "present": sum(present.values()),
        "expected": sum(expected.values()),
    }
