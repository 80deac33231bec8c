"""Past editions' registrations for the demo, so that the overview's curves can be compared
from the first run: a few hundred people per past edition, coming in faster as the deadline
nears, from France and abroad. Created without e-mails."""

import datetime
import random

from django.utils import timezone

from rencontres.editions.demo import add_categories
from rencontres.editions.models import Edition
from rencontres.registration.models import Category, Organisation, Registration

COUNTRIES = ["FR"] * 7 + ["SN", "MA", "TN", "BF", "ML", "UA", "VN", "MG", "BR", "AM", "LB", "PL"]
KINDS = ["commune", "region", "departement", "epci", "association"]


def load_history(current, seed=14):
    """Registrations for the editions before `current` that have none; returns how many."""
    rng = random.Random(seed)
    made = 0
    for edition in Edition.objects.filter(number__lt=current.number).order_by("number"):
        if edition.registrations.exists():
            continue
        if not Category.objects.filter(edition=edition).exists():
            add_categories(edition)
        categories = list(Category.objects.filter(edition=edition))
        organisations = [
            Organisation.objects.get_or_create(
                name_key=f"demo historique {index}",
                defaults={
                    "name": f"Collectivité partenaire {index}",
                    "kind": KINDS[index % len(KINDS)]
                    if COUNTRIES[index % len(COUNTRIES)] == "FR"
                    else "foreign_authority",
                    "country": COUNTRIES[index % len(COUNTRIES)],
                },
            )[0]
            for index in range(60)
        ]
        count = 380 + 60 * (edition.number % 3)
        deadline = edition.registration_closes_at
        people = []
        for index in range(count):
            # Most people register in the last weeks: a skewed draw of days before the deadline.
            days = int(150 * rng.random() ** 2.2)
            created = deadline - datetime.timedelta(days=days, minutes=rng.randint(0, 1400))
            organisation = organisations[index % len(organisations)]
            people.append(
                Registration(
                    edition=edition,
                    first_name="Participant",
                    last_name=f"{edition.number}-{index}",
                    email=f"past{edition.number}-{index}@demo.example.org",
                    job_title="Élu·e",
                    organisation=organisation,
                    category=categories[index % len(categories)],
                    status="confirmed" if rng.random() > 0.08 else "cancelled",
                    privacy_notice_version="demo",
                    privacy_accepted_at=created,
                    created_at=created,
                    language="fr",
                )
            )
        Registration.objects.bulk_create(people)
        made += len(people)
    return made


def spread_current(current, seed=15):
    """Give the current edition's demo registrations dates since the opening, not all today."""
    rng = random.Random(seed)
    now = timezone.now()
    start = max(current.registration_opens_at, now - datetime.timedelta(days=120))
    span = max((now - start).total_seconds(), 1)
    for registration in current.registrations.filter(email__endswith="@demo.example.org"):
        moment = start + datetime.timedelta(seconds=span * rng.random() ** 0.7)
        Registration.objects.filter(pk=registration.pk).update(created_at=moment)
