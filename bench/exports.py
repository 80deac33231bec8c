"""Exports of a big registrations list: the time to write N rows as CSV and as XLSX, through
the same functions the back-office uses (filters applied, translated headers), as an organiser
gets them: diets and access needs, and one column per session (12 sessions, 3 chosen each).

Usage: .venv/bin/python bench/exports.py [--rows 10000]
Last line: rows=N csv_s=N xlsx_s=N (the target is 10,000 rows in under 5 s each).
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
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()

    _local.fresh_django()
    from django.utils import translation

    from rencontres.backoffice import exports
    from rencontres.backoffice.selectors import registrations
    from rencontres.registration.models import Category, Organisation, Registration, SessionChoice
    from rencontres.registration.tests.factories import open_edition, workshop

    edition = open_edition()
    categories = list(Category.objects.filter(edition=edition))
    countries = ["FR", "SN", "MA", "UA", "VN", "BR", "ML", "TN"]
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Collectivité {i}", name_key=f"collectivite {i}",
                     kind="commune" if i % 3 else "foreign_authority",
                     country=countries[i % len(countries)])
        for i in range(1500)
    )  # fmt: skip
    Registration.objects.bulk_create(
        Registration(
            edition=edition, first_name=f"Prénom{i}", last_name=f"Nom{i}",
            email=f"r{i}@bench.example.org", phone="+33612345678",
            job_title="Chargée de mission coopération décentralisée",
            organisation=organisations[i % len(organisations)],
            category=categories[i % len(categories)], status="confirmed",
            privacy_notice_version="bench", privacy_accepted_at=edition.registration_opens_at,
            diet="vegetarian" if i % 7 == 0 else "", access_needs="Fauteuil" if i % 50 == 0 else "",
        )
        for i in range(args.rows)
    )  # fmt: skip
    sessions = [workshop(edition, capacity=None, hour=9 + i % 8, title_fr=f"Atelier {i}")
                for i in range(12)]  # fmt: skip
    people = list(Registration.objects.filter(edition=edition).values_list("pk", flat=True))
    SessionChoice.objects.bulk_create(
        SessionChoice(registration_id=pk, session=sessions[(n + k * 4) % 12],
                      status="confirmed" if k else "waitlisted")
        for n, pk in enumerate(people) for k in range(3)
    )  # fmt: skip
    with translation.override("fr"):
        people = registrations(edition, sort="name")
        start = time.perf_counter()
        csv_bytes = exports.as_csv(people, edition, hidden=set())
        csv_s = time.perf_counter() - start
        start = time.perf_counter()
        xlsx_bytes = exports.as_xlsx(people, edition, hidden=set())
        xlsx_s = time.perf_counter() - start
    print(f"csv_mb={len(csv_bytes) / 1e6:.1f} xlsx_mb={len(xlsx_bytes) / 1e6:.1f}")
    print(f"rows={args.rows} csv_s={csv_s:.2f} xlsx_s={xlsx_s:.2f}")


if __name__ == "__main__":
    main()
