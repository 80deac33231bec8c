"""The retention purge of a big edition: the time to erase N registrations with their
history, e-mails and profiles, through the same function the daily task runs, and the time
of one person's export.

Usage: .venv/bin/python bench/purge.py [--rows 5000]
Last line: rows=N export_s=N purge_s=N (one edition of a few thousand people must purge in
well under a minute: the task runs at night, but holds a transaction while it works).
"""

import argparse
import pathlib
import sys
import time

import _local

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()

    _local.fresh_django()

    from rencontres.mail.models import OutgoingEmail
    from rencontres.networking.models import Profile
    from rencontres.privacy.services import export_data, purge_edition
    from rencontres.registration.models import (
        Category,
        Organisation,
        Registration,
        RegistrationEvent,
    )
    from rencontres.registration.tests.factories import open_edition

    edition = open_edition()
    categories = list(Category.objects.filter(edition=edition))
    organisation = Organisation.objects.create(name="Ville", name_key="ville", kind="commune",
                                               country="FR")  # fmt: skip
    people = Registration.objects.bulk_create(
        Registration(
            edition=edition, first_name=f"Prénom{i}", last_name=f"Nom{i}",
            email=f"r{i}@bench.example.org", phone="+33612345678", job_title="Chargée de mission",
            organisation=organisation, category=categories[i % len(categories)],
            status="confirmed", access_needs="Rampe", passport_name=f"NOM{i} Prénom",
            privacy_notice_version="bench", privacy_accepted_at=edition.registration_opens_at,
        )
        for i in range(args.rows)
    )  # fmt: skip
    RegistrationEvent.objects.bulk_create(
        RegistrationEvent(registration=person, action="details_changed",
                          details={"changes": {"job_title": ["A", f"Nom{i}"]}})
        for i, person in enumerate(people) for _ in range(2)
    )  # fmt: skip
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(registration=person, recipient=person.email, language="fr",
                      template="private_link", subject=f"Bonjour {person.first_name}",
                      body_text=f"Bonjour {person.first_name} {person.last_name}", status="sent")
        for person in people for _ in range(3)
    )  # fmt: skip
    Profile.objects.bulk_create(Profile(registration=person, about="Texte") for person in people)

    started = time.perf_counter()
    export_data(people[0])
    export_seconds = time.perf_counter() - started
    started = time.perf_counter()
    purge_edition(edition)
    purge_seconds = time.perf_counter() - started
    left = Registration.objects.filter(edition=edition).exclude(first_name="").count()
    assert left == 0, left
    print(f"rows={args.rows} export_s={export_seconds:.2f} purge_s={purge_seconds:.2f}")


if __name__ == "__main__":
    main()
