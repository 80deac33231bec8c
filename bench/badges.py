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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--layout", choices=["a4", "a6"], default="a4")
    args = parser.parse_args()

    _local.fresh_django()

    from rencontres.onsite.badges import badges_pdf
    from rencontres.registration.models import Registration
    from rencontres.registration.tests.factories import open_edition

    edition = open_edition()
    people = _local.people_in_every_script(edition, args.count, "b")
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
