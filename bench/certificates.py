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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1500)
    args = parser.parse_args()

    _local.fresh_django()

    from rencontres.editions.tests.factories import make_venue
    from rencontres.onsite import certificates
    from rencontres.onsite.models import CheckIn
    from rencontres.registration.tests.factories import open_edition, workshop

    edition = open_edition(venue=make_venue(name="Palais des congrès", city="Lyon"))
    sessions = [workshop(edition, hour=10, checks_entry=True),
                workshop(edition, hour=15, checks_entry=True)]  # fmt: skip
    people = _local.people_in_every_script(edition, args.count, "c", ("en", "fr"))
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
