"""Invoices for a big edition: the time to issue N invoices, each with its number, its lines
and its Factur-X PDF (the PDF drawn, the EN 16931 XML made and checked against its XSD, both
put together as a PDF/A-3), through the same service the back-office uses; payers in France
(public bodies with SIRET, service code and commitment number) and abroad, names in Latin,
Arabic and Chinese scripts.

Usage: .venv/bin/python bench/invoices.py [--count 2000] [--self-test]

Each invoice is read back: its number must be one of 1..N, given once, and its file must hold
the factur-x.xml whose total is the invoice's. Last line: invoices=N seconds=N; exit 1 when a
number is missing or given twice, a file is wrong, or the time is over its target (2,000
invoices in under 60 s, in proportion beyond).

--self-test (e.g. `--count 20 --self-test`) puts in the faults the bench claims to catch: one
invoice's number given again to a second invoice (what a missing lock would do), and a target
of 0 s. The line before the last says whether each count is exactly what was put in; exit 1
when it is, 2 when one differs.
"""

import argparse
import io
import pathlib
import sys
import time

import _harness as harness
import _local

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAYERS = [
    ("Ville de Lyon", "FR", "21690123100011"), ("Région Bretagne", "FR", "23350001600040"),
    ("جهة الشرق", "MA", ""), ("上海市人民政府", "CN", ""), ("Ville de Thiès", "SN", ""),
]  # fmt: skip


def target_seconds(count):
    return 60 * max(1, count / 2000)


def counts(numbers, refused, files_wrong, seconds, target, count):
    """What the closing line says: numbers missing or given twice (stored twice, or `refused`
    by the database's unique constraint), files wrong, too slow."""
    given = sorted(numbers)
    return {
        "missing": len(set(range(1, count + 1)) - set(given)),
        "duplicated": len(given) - len(set(given)) + refused,
        "files_wrong": files_wrong,
        "slow": int(seconds >= target),
    }


def finish(found, count, seconds, expected=None):
    status = int(any(found.values()))
    if expected is not None:
        status = harness.self_test_verdict(found, expected)
    print(f"missing={found['missing']} duplicated={found['duplicated']} "
          f"files_wrong={found['files_wrong']} slow={found['slow']}")  # fmt: skip
    print(f"invoices={count} seconds={seconds:.1f}")
    return status


def fill(count):
    """An edition with `count` confirmed registrations of an invoiced category, each with its
    payer."""
    from rencontres.invoicing.models import Payer
    from rencontres.registration.models import Category, Organisation, Registration
    from rencontres.registration.tests.factories import open_edition

    edition = open_edition()
    Category.objects.filter(edition=edition).update(invoiced=True)
    category = Category.objects.filter(edition=edition).first()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=name, name_key=name.lower(), country=country,
                     kind="commune" if country == "FR" else "foreign_authority")
        for name, country, _siret in PAYERS
    )  # fmt: skip
    people = Registration.objects.bulk_create(
        Registration(
            edition=edition, first_name=["Awa", "سلمى", "小明", "Claire"][i % 4],
            last_name=f"Ndiaye {i}", email=f"i{i}@bench.example.org", job_title="Maire",
            organisation=organisations[i % len(PAYERS)], category=category, status="confirmed",
            privacy_notice_version="bench", privacy_accepted_at=edition.registration_opens_at,
        )
        for i in range(count)
    )  # fmt: skip
    Payer.objects.bulk_create(
        Payer(
            registration=person, kind="own_organisation", name=PAYERS[i % len(PAYERS)][0],
            address="1 place de l'Hôtel de Ville", postcode="69001", city="Lyon",
            country=PAYERS[i % len(PAYERS)][1], siret=PAYERS[i % len(PAYERS)][2],
            public_body=PAYERS[i % len(PAYERS)][1] == "FR", service_code="SERV-RI",
            commitment_number=f"ENG-{i}", language="fr" if i % 2 else "en",
        )
        for i, person in enumerate(people)
    )  # fmt: skip
    return edition


def checked(invoice):
    """Whether the invoice's file is a Factur-X PDF whose XML says the invoice's total."""
    from facturx import get_xml_from_pdf
    from lxml import etree

    from rencontres.invoicing.lines import decimal

    with invoice.file.open("rb") as handle:
        content = handle.read()
    _name, xml = get_xml_from_pdf(io.BytesIO(content).getvalue(), check_xsd=False)
    grand = etree.fromstring(xml).findtext(
        ".//{*}SpecifiedTradeSettlementHeaderMonetarySummation/{*}GrandTotalAmount"
    )
    return content.startswith(b"%PDF") and grand == decimal(invoice.gross_cents)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--self-test", action="store_true",
                        help="give one number twice and cut the target to 0 s: the bench "
                        "must report both and exit non-zero")  # fmt: skip
    args = parser.parse_args()

    _local.fresh_django()
    from django.db import IntegrityError

    from rencontres.invoicing import services
    from rencontres.invoicing.lines import LineItem
    from rencontres.invoicing.models import Invoice, Payer, Sequence

    edition = fill(args.count)
    lines = [LineItem("REG", "Inscription aux Rencontres", "Registration to the Meetings", 1,
                      15000, 0),
             LineItem("DIN", "Dîner des partenaires", "Partners' dinner", 1, 4500, 0)]  # fmt: skip
    payers = list(Payer.objects.select_related("registration__edition").order_by("pk"))
    target = 0 if args.self_test else target_seconds(args.count)
    refused = 0
    start = time.perf_counter()
    for index, payer in enumerate(payers):
        if args.self_test and index == len(payers) - 1:
            # The fault: the counter set back by one, as two transactions without the lock
            # would both read it; the last invoice gets the number before it again.
            Sequence.objects.filter(series="F").update(last=index - 1)
            print("self-test: put in one number given twice and a 0 s target")
        try:
            services.issue_invoice(edition, payer, [payer.registration], lines, actor=None)
        except IntegrityError:  # a number given twice, refused by the unique constraint
            refused += 1
    seconds = time.perf_counter() - start
    issued = list(Invoice.objects.filter(edition=edition))
    wrong = sum(1 for invoice in issued if not checked(invoice))
    numbers = [invoice.sequence for invoice in issued]
    found = counts(numbers, refused, wrong, seconds, target, args.count)
    print(f"per_invoice_ms={seconds / max(1, args.count) * 1000:.1f} target_s={target:.0f}")
    expected = None
    if args.self_test:
        expected = {"missing": 1, "duplicated": 1, "files_wrong": 0, "slow": 1}
    return finish(found, args.count, seconds, expected)


if __name__ == "__main__":
    sys.exit(main())
