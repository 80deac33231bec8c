"""Invitation lists: the time to read and check an uploaded list (CSV and Excel) and to import
it, for the largest list accepted (5,000 rows).

Usage: .venv/bin/python bench/invitations.py [--rows 5000]
Last line: rows=N csv_check_s=N xlsx_check_s=N import_s=N
"""

import argparse
import io
import time

import _local


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    _local.fresh_django()

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from rencontres.backoffice import imports
    from rencontres.registration.models import Invitation
    from rencontres.registration.tests.factories import open_edition

    edition = open_edition()
    countries = ["France", "Sénégal", "MA", "Ukraine", "VN", "Brésil", "Mali", "TN"]
    header = ["Prénom", "Nom", "Courriel", "Organisation", "Pays", "Catégorie", "Langue"]
    rows = [
        [f"Prénom{n}", f"Nom{n}", f"person{n}@example.org", f"Commune {n % 700}",
         countries[n % len(countries)], "elected" if n % 3 else "", "fr" if n % 2 else "en"]
        for n in range(args.rows)
    ]  # fmt: skip
    text = "\n".join(";".join(row) for row in [header, *rows]).encode("utf-8")
    workbook = Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)

    started = time.perf_counter()
    pending = imports.check_file(edition, SimpleUploadedFile("list.csv", text))
    csv_seconds = time.perf_counter() - started
    assert not pending.problems and len(pending.rows) == args.rows, pending.problems[:3]

    started = time.perf_counter()
    imports.check_file(edition, SimpleUploadedFile("list.xlsx", buffer.getvalue()))
    xlsx_seconds = time.perf_counter() - started

    pending.send_emails = False
    pending.save()
    started = time.perf_counter()
    imports.import_invitations(pending)
    import_seconds = time.perf_counter() - started
    assert Invitation.objects.count() == args.rows
    print(f"rows={args.rows} csv_check_s={csv_seconds:.2f} xlsx_check_s={xlsx_seconds:.2f} "
          f"import_s={import_seconds:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
