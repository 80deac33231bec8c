"""Certificates of attendance for a big edition: the time to issue N certificates (from the
check-ins: two days, two sessions each) and draw them into one PDF, as the organisers' batch
does, with names in Latin, Cyrillic, Arabic and CJK scripts.

Usage: .venv/bin/python bench/certificates.py [--count 1500]
Last line: certificates=N seconds=N (the target is 1,500 certificates in under 30 s).
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
    parser.add_argument("--count", type=int, default=1500)
    args = parser.parse_args()

    _local.fresh_django()

    from rencontres.editions.tests.factories import make_venue
    from rencontres.onsite import certificates
    from rencontres.onsite.models import CheckIn
    from rencontres.registration.models import Category, Organisation, Registration
    from rencontres.registration.tests.factories import open_edition, workshop

    edition = open_edition(venue=make_venue(name="Palais des congrès", city="Lyon"))
    sessions = [workshop(edition, hour=10, checks_entry=True),
                workshop(edition, hour=15, checks_entry=True)]  # fmt: skip
    categories = list(Category.objects.filter(edition=edition))
    organisations = Organisation.objects.bulk_create(
        Organisation(name=name, name_key=name.lower(), kind="foreign_authority", country=country)
        for name, country in [("Ville de Thiès", "SN"), ("Місто Біла Церква", "UA"),
                              ("جهة الشرق", "MA"), ("上海市", "CN"), ("Thành phố Huế", "VN")]
    )  # fmt: skip
    people = Registration.objects.bulk_create(
        Registration(
            edition=edition, first_name=NAMES[i % len(NAMES)][0],
            last_name=NAMES[i % len(NAMES)][1], email=f"c{i}@bench.example.org",
            job_title="Vice-présidente chargée des relations internationales",
            organisation=organisations[i % len(organisations)],
            category=categories[i % len(categories)], status="confirmed",
            privacy_notice_version="bench", privacy_accepted_at=edition.registration_opens_at,
            language="fr" if i % 2 else "en",
        )
        for i in range(args.count)
    )  # fmt: skip
    CheckIn.objects.bulk_create(
        CheckIn(registration=person, day=day, session=session)
        for person in people
        for day in edition.days
        for session in [None, *sessions]
        if session is None or session.starts_at.date() == day
    )
    batch = certificates.CertificateBatch.objects.create(edition=edition)
    start = time.perf_counter()
    batch = certificates.build_batch(batch)
    seconds = time.perf_counter() - start
    assert batch.status == "done", batch.error
    print(
        f"size_mb={batch.file.size / 1e6:.1f} per_certificate_ms={seconds / args.count * 1000:.2f}"
    )
    print(f"certificates={args.count} seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
