"""Builders for registrations: an open edition with categories, people, and a form to post."""

import datetime
import itertools
import time

from django.utils import timezone

from rencontres.editions.tests.factories import make_edition, make_session, paris
from rencontres.registration import services
from rencontres.registration.forms import form_signer
from rencontres.registration.models import Category, Organisation

counter = itertools.count(1)


def open_edition(**fields):
    now = timezone.now()
    edition = make_edition(
        number=fields.pop("number", 15),
        registration_opens_at=now - datetime.timedelta(days=30),
        registration_closes_at=now + datetime.timedelta(days=30),
        **fields,
    )
    Category.objects.create(edition=edition, code="elected", name_fr="Élu·e",
                            name_en="Elected official")  # fmt: skip
    Category.objects.create(edition=edition, code="press", name_fr="Presse", name_en="Press",
                            needs_approval=True)  # fmt: skip
    return edition


def category(edition, code="elected"):
    return Category.objects.get(edition=edition, code=code)


def workshop(edition, capacity=2, hour=14, **fields):
    fields.setdefault("starts_at", paris(2027, 11, 4, hour))
    return make_session(edition, capacity=capacity, registration_required=True, **fields)


def organisation(name="Ville de Lyon", country="FR", kind="commune"):
    return services.find_or_create_organisation(name, kind, country)


def details(edition, **fields):
    number = next(counter)
    return {
        "first_name": "Awa",
        "last_name": f"Ndiaye {number}",
        "email": f"person{number}@example.org",
        "phone": "",
        "job_title": "Mayor",
        "category": category(edition),
        "language": "en",
        "access_needs": "",
        "diet": "",
        "diet_details": "",
        "passport_name": "",
        "directory_opt_in": False,
        "photo_opt_in": False,
        "days": [day.isoformat() for day in edition.days],
        "organisation": organisation(),
        **fields,
    }


def registered(edition, sessions=(), confirm=True, **fields):
    registration, _ = services.submit(edition, details(edition, **fields), sessions=sessions)
    if confirm:
        registration = services.confirm_address(registration)
    return registration


def form_token(age=10, client=None):
    """A form token issued `age` seconds ago (people take a while to fill the form in), to
    the test `client` once it has the form's CSRF cookie (none: a client without cookies)."""
    key = client.cookies["csrftoken"].value if client and "csrftoken" in client.cookies else ""
    return form_signer(key).sign(f"nonce{next(counter)}:{time.time() - age:.3f}")


def form_data(edition, **fields):
    data = {
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "email": "awa.ndiaye@example.sn",
        "phone": "+221 77 123 45 67",
        "job_title": "Deputy mayor",
        "category": category(edition).pk,
        "language": "en",
        "organisation_name": "Ville de Thiès",
        "organisation_kind": Organisation.Kind.FOREIGN_AUTHORITY,
        "organisation_country": "SN",
        "organisation_identifier": "",
        "days": [day.isoformat() for day in edition.days],
        "access_needs": "",
        "diet": "",
        "diet_details": "",
        "passport_name": "NDIAYE Awa",
        "privacy": "on",
        "website": "",
        "form_token": form_token(),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def delivered():
    """Send what the outbox holds (the worker's job) and return the messages sent so far.

    Tests run inside a transaction that never commits, so the sending task queued on commit
    does not run by itself."""
    from django.core import mail

    from rencontres.mail.services import send_due_emails

    send_due_emails()
    return mail.outbox


def member_rows(edition, people, rows=None):
    """The delegation form's member rows for `people` [(first name, last name, e-mail)], in
    `rows` rows (empty ones after them)."""
    rows = rows or max(len(people), 2)
    data = {
        "members-TOTAL_FORMS": str(rows), "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1", "members-MAX_NUM_FORMS": "15",
    }  # fmt: skip
    for index, (first_name, last_name, email) in enumerate(people):
        data.update({
            f"members-{index}-first_name": first_name, f"members-{index}-last_name": last_name,
            f"members-{index}-email": email, f"members-{index}-job_title": "Adviser",
            f"members-{index}-category": category(edition).pk, f"members-{index}-language": "en",
        })  # fmt: skip
    return data


def delegation(edition, members=2, sessions=(), head=None):
    """A head (awaiting confirmation) with `members` members, through the service."""
    people = [
        {
            "first_name": "Membre",
            "last_name": f"N°{next(counter)}",
            "email": f"member{next(counter)}@example.org",
            "job_title": "Adviser",
            "category": category(edition),
            "language": "fr",
        }
        for _ in range(members)
    ]
    registration, _ = services.submit(
        edition, head or details(edition), sessions=sessions, members=people
    )
    return registration
