"""Badges for a big edition: the time to draw N badges into one PDF (A4 sheets of four, as
organisers print them, and A6), with names in Latin, Cyrillic, Arabic and CJK scripts.

Usage: .venv/bin/python bench/badges.py [--count 2000] [--layout a4|a6]
Last line: badges=N seconds=N pages=N (the target is 2,000 badges in under 30 s).
"""

import argparse
import pathlib
import sys
import time

import _local

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = [
    ("Awa", "Ndiaye"), ("Олена", "Коваленко"), ("فاطمة", "العمراني"), ("王", "小明"),
    ("Nguyễn", "Văn An"), ("Maximilian-Alexander", "von Hohenzollern-Sigmaringen"),
    ("山田", "太郎"), ("김", "민준"), ("Κωνσταντίνος", "Παπαδόπουλος"), ("Claire", "Martin"),
]  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--layout", choices=["a4", "a6"], default="a4")
    args = parser.parse_args()

    _local.fresh_django()

    from rencontres.onsite.badges import badges_pdf
    from rencontres.registration.models import Category, Organisation, Registration
    from rencontres.registration.tests.factories import open_edition

    edition = open_edition()
    categories = list(Category.objects.filter(edition=edition))
    organisations = Organisation.objects.bulk_create(
        Organisation(name=name, name_key=name.lower(), kind="foreign_authority", country=country)
        for name, country in [("Ville de Thiès", "SN"), ("Місто Біла Церква", "UA"),
                              ("جهة الشرق", "MA"), ("上海市", "CN"), ("Thành phố Huế", "VN")]
    )  # fmt: skip
    people = Registration.objects.bulk_create(
        Registration(
            edition=edition, first_name=NAMES[i % len(NAMES)][0],
            last_name=NAMES[i % len(NAMES)][1], email=f"b{i}@bench.example.org",
            job_title="Vice-présidente chargée des relations internationales",
            organisation=organisations[i % len(organisations)],
            category=categories[i % len(categories)], status="confirmed",
            privacy_notice_version="bench", privacy_accepted_at=edition.registration_opens_at,
            language="fr",
        )
        for i in range(args.count)
    )  # fmt: skip
    people = list(
        Registration.objects.filter(pk__in=[p.pk for p in people]).select_related(
            "category", "organisation", "edition"
        )
    )
    start = time.perf_counter()
    content, pages = badges_pdf(people, args.layout)
    seconds = time.perf_counter() - start
    print(f"size_mb={len(content) / 1e6:.1f} per_badge_ms={seconds / args.count * 1000:.2f}")
    print(f"badges={args.count} seconds={seconds:.1f} pages={pages}")


if __name__ == "__main__":
    main()
