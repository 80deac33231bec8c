"""E-mails to a segment: placeholders, preview, a test to oneself, and the sending through
the outbox with progress."""

import re
import string
import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from rencontres import background
from rencontres.database import holding_on
from rencontres.editions.models import Session
from rencontres.mail.services import queue_email
from rencontres.registration.models import Category, Organisation, Registration
from rencontres.registration.services import private_link

from .models import Mailing
from .selectors import registrations

PLACEHOLDERS = {
    "first_name": _("first name"),
    "last_name": _("last name"),
    "name": _("full name"),
    "organisation": _("organisation"),
    "private_link": _("link to their registration"),
}


def unknown_placeholders(text):
    """The {words} in `text` that are not placeholders (so a typo is caught before sending)."""
    try:
        names = {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        return ["{"]
    return sorted(names - set(PLACEHOLDERS))


def values_for(registration):
    return {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "name": registration.full_name,
        "organisation": registration.organisation.name,
        "private_link": private_link(registration),
    }


def fill(text, registration):
    values = values_for(registration)
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)


def summary(counts, statuses):
    """The rows (status label, people) and the total the organiser confirms before sending."""
    labels = dict(Registration.Status.choices)
    return {
        "rows": [(labels[status], counts[status]) for status in statuses],
        "total": sum(counts[status] for status in statuses),
    }


def preview(draft, sample):
    """[(language, subject, body)] of the draft as `sample` would get it, in each language."""
    messages = []
    for language in ("fr", "en"):
        sample.language = language
        messages.append((language, *message_for(draft, sample)))
    return messages


def start(edition, user, message, statuses, counts, stored_filters, nonce):
    """The mailing of a confirmed preview, sent in the background once committed; the same
    form sent twice (same nonce) starts nothing more. Returns (mailing, created)."""
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                edition=edition,
                created_by=user,
                filters={**stored_filters, "statuses": statuses},
                counts={status: counts[status] for status in statuses},
                nonce=nonce,
                **message,
            )
    except IntegrityError:
        return Mailing.objects.get(nonce=nonce), False
    background.enqueue_on_commit("rencontres.backoffice.tasks.send_mailing", mailing.pk)
    return mailing, True


def message_for(mailing, registration):
    """(subject, body) in the person's language, placeholders filled."""
    english = registration.language == "en"
    subject = mailing.subject_en if english else mailing.subject_fr
    body = mailing.body_en if english else mailing.body_fr
    return " ".join(fill(subject, registration).split()), fill(body, registration)


def example_person(language):
    """A made-up participant for the test a team member sends to themselves: the outbox then
    keeps no participant's name, nor their private link, under the team member's address."""
    return Registration(
        first_name="Awa", last_name="Exemple", language=language, public_id=uuid.UUID(int=0),
        secret="example", organisation=Organisation(name="Ville de Thiès"),  # noqa: S106
    )  # fmt: skip


def queue_one(mailing, registration, recipient=None):
    if recipient is not None:
        registration = example_person(registration.language)
    subject, body = message_for(mailing, registration)
    # The mailing's id lets a message that failed be filled again (outbox.context_now): its
    # text holds the private link, which may be replaced before it is sent again.
    context = {"subject": subject, "body": body}
    if recipient is None:
        context["mailing"] = mailing.pk
    return queue_email(
        recipient or registration.email,
        "mailing",
        context,
        registration.language,
        registration=registration if recipient is None else None,
    )


def segment(edition, statuses, filters):
    """The registrations with one of `statuses` among those the list's `filters` (values of
    RegistrationFilters, objects or ids, without the status) find; never an erased person,
    who has no address left (the selector leaves them out)."""
    filters = {key: value for key, value in filters.items() if key not in ("status", "sort")}
    if isinstance(filters.get("category"), int):
        filters["category"] = Category.objects.filter(pk=filters["category"]).first()
    if isinstance(filters.get("session"), int):
        filters["session"] = Session.objects.filter(pk=filters["session"]).first()
    return registrations(edition, statuses=list(statuses), **filters)


def counts_by_status(edition, filters):
    """{status: people} for every status, among those the list's filters find: what the
    organiser sees next to each status before choosing whom to write to."""
    from django.db.models import Count

    statuses = [value for value, _label in Registration.Status.choices]
    found = dict(
        segment(edition, statuses, filters)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in statuses}


def fingerprint(message, statuses, filters):
    """What the organiser previewed (the message, whom it goes to): sending needs the
    preview of exactly this."""
    import hashlib
    import json

    fields = ("subject_fr", "body_fr", "subject_en", "body_en")
    chosen = [[message.get(name, "") for name in fields], sorted(statuses), filters]
    return hashlib.sha256(json.dumps(chosen, sort_keys=True, default=str).encode()).hexdigest()


def recipients(mailing):
    """One registration per address, in the segment the mailing's filters describe."""
    filters = dict(mailing.filters)
    statuses = filters.pop("statuses", None)
    if statuses is None:  # a mailing stored before the statuses were ticked: its status filter
        chosen = filters.get("status", "")
        statuses = [chosen] if chosen else Registration.HOLDING_OR_AWAITING_A_PLACE
    seen, people = set(), []
    for person in segment(mailing.edition, statuses, filters).order_by("pk"):
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            people.append(person)
    return people


def send(mailing):
    """The task's work: queue one message per recipient, counting as it goes. Once it has
    begun, a database outage holds it where it is (rencontres.database.holding_on): run again
    from the start, it would write to the first recipients twice."""
    people = recipients(mailing)
    holding_on(mailing.start, total=len(people))
    for index, person in enumerate(people, start=1):
        holding_on(queue_in_transaction, mailing, person)
        if index % 25 == 0:
            holding_on(mailing.advance, index)
    holding_on(mailing.succeed)
    holding_on(mailing.refresh_from_db)
    return mailing


def queue_in_transaction(mailing, person):
    with transaction.atomic():
        queue_one(mailing, person)
