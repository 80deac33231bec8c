"""The participant directory and the recommendations with 2,000 profiles: server time and
queries per request, and the same for 200 profiles, so that the ratio shows how it scales.

Usage: .venv/bin/python bench/directory.py [--profiles 2000] [--runs 20]
Prints, for each size, the median time of: the directory's first page, a filtered search
(theme + country + text), the last page, and a person's recommendations; then the ratio of the
large size to the small one (1.0 would be perfectly flat; 10.0 would be linear).
"""

import argparse
import pathlib
import random
import statistics
import sys
import time

import _local

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = ["FR", "SN", "ML", "MA", "TN", "BF", "VN", "UA", "PL", "BR", "MG", "AM", "LB"]
KINDS = ["commune", "region", "departement", "epci", "foreign_authority", "association"]


def populate(edition, count, rng):
    from django.utils import timezone

    from rencontres.networking.models import CooperationPost, Profile, Theme
    from rencontres.registration.models import Category, Organisation, Registration

    now = timezone.now()
    themes = list(Theme.objects.all())
    category = Category.objects.filter(edition=edition).first()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Collectivité {i}", name_key=f"collectivite {i}",
                     kind=KINDS[i % len(KINDS)], country=COUNTRIES[i % len(COUNTRIES)])
        for i in range(count // 2)
    )  # fmt: skip
    registrations = Registration.objects.bulk_create(
        Registration(
            edition=edition, first_name=f"Prénom{i}", last_name=f"Nom{i:05d}",
            email=f"p{i}@bench.example.org", job_title="Chargé de mission",
            organisation=organisations[i % len(organisations)], category=category,
            status="confirmed", privacy_notice_version="bench", privacy_accepted_at=now,
            directory_opt_in=True, directory_consent_at=now,
        )
        for i in range(count)
    )  # fmt: skip
    profiles = Profile.objects.bulk_create(
        Profile(registration=registration, about="Coopération décentralisée, eau, jeunesse.",
                languages=",fr,en,", countries=rng.sample(COUNTRIES, 3))
        for registration in registrations
    )  # fmt: skip
    through = Profile.themes.through
    through.objects.bulk_create(
        through(profile=profile, theme=theme)
        for profile in profiles
        for theme in rng.sample(themes, 3)
    )
    posts = CooperationPost.objects.bulk_create(
        CooperationPost(profile=profile, kind=rng.choice(["offer", "request"]),
                        title=f"Projet {profile.pk}", text="Nous cherchons un partenaire.",
                        countries=rng.sample(COUNTRIES, 2))
        for profile in profiles[: count // 2]
    )  # fmt: skip
    post_through = CooperationPost.themes.through
    post_through.objects.bulk_create(
        post_through(cooperationpost=post, theme=theme)
        for post in posts
        for theme in rng.sample(themes, 2)
    )
    return registrations


def measure(function, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries)


def run_size(count, runs, rng):
    from django.test import Client

    from rencontres.editions.tests.factories import make_edition
    from rencontres.networking import selectors
    from rencontres.networking.models import Theme
    from rencontres.registration.models import Category

    edition = make_edition()
    Category.objects.create(edition=edition, code="c", name_fr="C", name_en="C")
    people = populate(edition, count, rng)
    client = Client()
    url = f"/en/editions/{edition.number}/directory/"
    water = Theme.objects.get(code="water").pk
    last_page = (count + 23) // 24

    def get(params):
        def call():
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code

        return call

    me = people[0]
    figures = {
        "first_page": measure(get({}), runs),
        "filtered": measure(get({"theme": water, "country": "SN", "q": "eau"}), runs),
        "last_page": measure(get({"page": last_page}), runs),
        "recommendations": measure(lambda: selectors.recommendations(me), max(3, runs // 4)),
    }
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    _local.fresh_django()

    rng = random.Random(1)
    small = run_size(args.profiles // 10, args.runs, rng)
    large = run_size(args.profiles, args.runs, rng)
    print(f"{'request':<16} {args.profiles // 10:>7} profiles {args.profiles:>7} profiles  ratio")
    for name in small:
        (small_ms, small_q), (large_ms, large_q) = small[name], large[name]
        print(f"{name:<16} {small_ms:8.1f} ms {small_q:3d} q {large_ms:8.1f} ms {large_q:3d} q "
              f"{large_ms / small_ms:6.2f}")  # fmt: skip
    print(
        f"profiles={args.profiles} directory_ms={large['first_page'][0]:.1f} "
        f"filtered_ms={large['filtered'][0]:.1f} last_page_ms={large['last_page'][0]:.1f} "
        f"recommendations_ms={large['recommendations'][0]:.1f}"
    )


if __name__ == "__main__":
    main()
