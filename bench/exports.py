"""Exports of a big registrations list: the time to write N rows as CSV and as XLSX, through
the same functions the back-office uses (filters applied, translated headers), as an organiser
gets them: diets and access needs, and one column per session (12 sessions, 3 chosen each).

Usage: .venv/bin/python bench/exports.py [--rows 10000] [--self-test]

The data rows of each file are counted back (the CSV read by a CSV reader, the XLSX opened by
openpyxl): each must hold --rows, every registration of the list (its default status filter
leaves out people who hold no place and await none: a list that shrinks silently is an export
that lies). Last line: rows=N csv_rows=N xlsx_rows=N csv_s=N xlsx_s=N; exit 1 when a file
holds another number of rows than --rows, or when a time is over its target (5 s up to 10,000
rows, in proportion beyond).

--self-test (e.g. `--rows 50 --self-test`) puts in the faults the bench claims to catch: 3 of
the registrations are cancelled (the list's default filter drops them from both files) and the
time targets are cut to 0 s (both times are over). The line before the last says whether each
count is exactly what was put in; exit 1 when it is, 2 when one differs.
"""

import argparse
import csv
import io
import pathlib
import sys
import time

import _harness as harness
import _local

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CANCELLED = 3  # registrations the self-test cancels


def target_seconds(rows):
    """The design's target: 10,000 rows in under 5 s; as long for fewer, in proportion for more."""
    return 5 * max(1, rows / 10000)


def csv_rows(data, delimiter):
    """Data rows in a CSV export (the header left out), read as a spreadsheet would."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter)
    return max(0, sum(1 for row in reader if row) - 1)


def xlsx_rows(data):
    """Data rows in an XLSX export (the header left out)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return sum(1 for row in workbook.active.iter_rows(min_row=2) if any(
            cell.value is not None for cell in row))  # fmt: skip
    finally:
        workbook.close()


def counts(csv_data, delimiter, xlsx_data, csv_s, xlsx_s, target):
    """What the closing line says of the two files, and whether each was fast enough."""
    return {
        "csv_rows": csv_rows(csv_data, delimiter),
        "xlsx_rows": xlsx_rows(xlsx_data),
        "csv_slow": int(csv_s >= target),
        "xlsx_slow": int(xlsx_s >= target),
    }


def finish(found, rows, csv_s, xlsx_s, expected=None):
    """The closing line and the exit status: 0 when both files hold `rows` data rows and both
    times are on target, 1 otherwise; with `expected` (--self-test), 1 when each count is
    exactly what was put in, 2 when one differs."""
    targets = {"csv_rows": rows, "xlsx_rows": rows, "csv_slow": 0, "xlsx_slow": 0}
    status = int(found != targets)
    if expected is not None:
        status = harness.self_test_verdict(found, expected)
    print(f"rows={rows} csv_rows={found['csv_rows']} xlsx_rows={found['xlsx_rows']} "
          f"csv_s={csv_s:.2f} xlsx_s={xlsx_s:.2f}")  # fmt: skip
    return status


def fill(rows):
    """An edition with `rows` confirmed registrations, 12 sessions, 3 chosen by each."""
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
        for i in range(rows)
    )  # fmt: skip
    sessions = [workshop(edition, capacity=None, hour=9 + i % 8, title_fr=f"Atelier {i}")
                for i in range(12)]  # fmt: skip
    people = list(Registration.objects.filter(edition=edition).values_list("pk", flat=True))
    SessionChoice.objects.bulk_create(
        SessionChoice(registration_id=pk, session=sessions[(n + k * 4) % 12],
                      status="confirmed" if k else "waitlisted")
        for n, pk in enumerate(people) for k in range(3)
    )  # fmt: skip
    return edition


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--self-test", action="store_true",
                        help="cancel 3 registrations and cut the targets to 0 s: the bench "
                        "must report both and exit non-zero")  # fmt: skip
    args = parser.parse_args()

    _local.fresh_django()
    from django.utils import translation

    from rencontres.backoffice import exports
    from rencontres.backoffice.selectors import registrations
    from rencontres.registration.models import Registration

    edition = fill(args.rows)
    target = target_seconds(args.rows)
    if args.self_test:
        cancelled = Registration.objects.filter(edition=edition).order_by("pk")[:CANCELLED]
        Registration.objects.filter(pk__in=list(cancelled.values_list("pk", flat=True))).update(
            status="cancelled"
        )
        target = 0
        print(f"self-test: put in {CANCELLED} cancelled registrations and 0 s targets")
    with translation.override("fr"):
        people = registrations(edition, sort="name")
        start = time.perf_counter()
        csv_bytes = exports.as_csv(people, edition, hidden=set())
        csv_s = time.perf_counter() - start
        start = time.perf_counter()
        xlsx_bytes = exports.as_xlsx(people, edition, hidden=set())
        xlsx_s = time.perf_counter() - start
        delimiter = exports.SEPARATORS[exports.default_separator()]
    found = counts(csv_bytes, delimiter, xlsx_bytes, csv_s, xlsx_s, target)
    print(f"csv_mb={len(csv_bytes) / 1e6:.1f} xlsx_mb={len(xlsx_bytes) / 1e6:.1f} "
          f"target_s={target:.1f} csv_slow={found['csv_slow']} "
          f"xlsx_slow={found['xlsx_slow']}")  # fmt: skip
    expected = None
    if args.self_test:
        missing = args.rows - CANCELLED
        expected = {"csv_rows": missing, "xlsx_rows": missing, "csv_slow": 1, "xlsx_slow": 1}
    return finish(found, args.rows, csv_s, xlsx_s, expected)


if __name__ == "__main__":
    sys.exit(main())
