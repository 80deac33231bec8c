"""Past editions' registrations for the demo, so that the overview's curves can be compared
from the first run: a few hundred people per past edition (more at the event's scale, with
their check-ins at the door), coming in faster as the deadline nears, from France and abroad.
Created without e-mails."""

import datetime
import random

from django.utils import timezone

from rencontres.editions.demo import add_categories
from rencontres.editions.models import PARIS, Edition
from rencontres.onsite.models import CheckIn
from rencontres.registration.models import Category, Registration

from .people import (
    Organisations,
    category_for,
    culture_of,
    email_for,
    foreign_organisation,
    french_organisation,
    job_title,
    name_in,
)
from .places import ABROAD

# Kinds of the French organisations of past editions, by weight.
PAST_KINDS = {"commune": 40, "epci": 10, "departement": 16, "region": 16, "association": 10,
              "state_service": 3, "research": 2, "other": 3}  # fmt: skip
DOORS = ["Entrée principale", "Hall B"]


def past_size(edition):
    """How many registered for a past edition of the small demo."""
    return 380 + 60 * (edition.number % 3)


def load_history(current, seed=14, sizes=None, check_ins=False):
    """Registrations for the editions before `current` that have none; returns how many.
    `sizes`: {edition number: registrations} (else a few hundred each); with `check_ins`, who
    came in at the door on each day."""
    rng = random.Random(seed)
    made = 0
    for edition in Edition.objects.filter(number__lt=current.number).order_by("number"):
        if edition.registrations.exists():
            continue
        if not Category.objects.filter(edition=edition).exists():
            add_categories(edition)
        categories = {category.code: category for category in edition.categories.all()}
        count = (sizes or {}).get(edition.number) or past_size(edition)
        people = plan_past(rng, edition, count)
        organisations = Organisations()
        for person in people:
            person["organisation"] = organisations.want(*person["organisation"])
        organisations.create()
        rows = Registration.objects.bulk_create(
            Registration(
                edition=edition,
                first_name=person["first_name"],
                last_name=person["last_name"],
                email=person["email"],
                job_title=person["job_title"],
                organisation=organisations[person["organisation"]],
                category=categories.get(person["category"]) or categories["other"],
                status=person["status"],
                email_confirmed_at=person["created_at"],
                privacy_notice_version="demo",
                privacy_accepted_at=person["created_at"],
                created_at=person["created_at"],
                language=person["language"],
                days=[day.isoformat() for day in edition.days],
            )
            for person in people
        )
        if check_ins:
            add_check_ins(rng, edition, rows)
        made += len(rows)
    return made


def plan_past(rng, edition, count):
    """The people of a past edition, as dicts (their organisation as (name, kind, country))."""
    deadline = edition.registration_closes_at
    abroad = list(ABROAD)
    weights = [ABROAD[code][0] for code in abroad]
    taken = set()
    people = []
    for _index in range(count):
        if rng.random() < 0.55:
            country = "FR"
            name, kind = french_organisation(rng, PAST_KINDS)
        else:
            country = rng.choices(abroad, weights=weights)[0]
            name, kind = foreign_organisation(rng, country)
        gender = rng.choice("fm")
        first, last, latin_first, latin_last = name_in(rng, culture_of(rng, country), gender, taken)
        language = "fr" if country == "FR" or ABROAD[country][2] == "fr" else "en"
        category = category_for(rng, kind)
        # Most people register in the last weeks: a skewed draw of days before the deadline.
        days = int(150 * rng.random() ** 2.2)
        people.append({
            "first_name": first, "last_name": last,
            "email": email_for(rng, latin_first, latin_last, taken),
            "job_title": job_title(rng, category, kind, language, gender),
            "organisation": (name, kind, country), "category": category,
            "status": "confirmed" if rng.random() > 0.08 else "cancelled",
            "created_at": deadline - datetime.timedelta(days=days, minutes=rng.randint(0, 1400)),
            "language": language,
        })  # fmt: skip
    return people


def add_check_ins(rng, edition, registrations):
    """Most of those confirmed came in on the first day, fewer on the second, through one of
    two doors, mostly in the hour before the opening plenary."""
    check_ins = []
    for registration in registrations:
        if registration.status != Registration.Status.CONFIRMED:
            continue
        for index, day in enumerate(edition.days):
            if rng.random() > (0.9, 0.74)[min(index, 1)]:
                continue
            start = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=PARIS)
            at = start + datetime.timedelta(minutes=int(150 * rng.random() ** 1.6))
            check_ins.append(
                CheckIn(registration=registration, day=day, at=at, received_at=at,
                        door=rng.choice(DOORS), device=f"desk-{rng.randint(1, 4)}")
            )  # fmt: skip
    CheckIn.objects.bulk_create(check_ins)


def spread_current(current, seed=15):
    """Give the current edition's demo registrations dates since the opening, not all today."""
    rng = random.Random(seed)
    now = timezone.now()
    start = max(current.registration_opens_at, now - datetime.timedelta(days=120))
    span = max((now - start).total_seconds(), 1)
    for registration in current.registrations.filter(email__endswith="@demo.example.org"):
        moment = start + datetime.timedelta(seconds=span * rng.random() ** 0.7)
        Registration.objects.filter(pk=registration.pk).update(created_at=moment)
