"""The participant directory and the networking home (its recommendations) at scale: server
time and queries per request at 10,000 profiles, and the same at a tenth of it, so that the
ratio shows how it scales.

Usage: .venv/bin/python bench/directory.py [--profiles 10000] [--runs 20]
           [--backend postgres|sqlite] [--database rencontres_bench_directory]

Prints, for each size, the median time and the queries of: the directory's first page, a text
search that finds everyone, a search for one name, a filtered search (theme + country + text),
a far page (the last), and the networking home of a person with a cold cache (recommendations
scored) and a warm one (read back), and the recommendations alone, cold and warm; then the
ratio of the large size to the small one (1.0 would be perfectly flat; 10.0 would be linear),
and as a multiple of a bare request (the health check) at the large size: on a machine shared
with other work, that multiple holds better than the milliseconds. The requests take turns,
run after run. The last lines say whether every directory page is under 100 ms at the large
size with as many queries as at the small one (the design's target), and whether the warm home
is under 20 ms; exit 1 when one is not.
"""

import argparse
import pathlib
import random
import statistics
import subprocess
import sys
import time

import _local

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = ["FR", "SN", "ML", "MA", "TN", "BF", "VN", "UA", "PL", "BR", "MG", "AM", "LB"]
KINDS = ["commune", "region", "departement", "epci", "foreign_authority", "association"]
DIRECTORY_MS, WARM_HOME_MS = 100, 20
DIRECTORY_PAGES = ["first_page", "search_all", "search_name", "filtered", "far_page"]


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


def measure(requests, runs):
    """{name: (median ms, queries of the last run)} of `requests` ({name: (function, before)},
    `before` run untimed each time, or None). They take turns, run after run, so that another
    process's burst of work on a shared machine weighs on all of them alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = {name: [] for name in requests}
    counts = {}
    for _ in range(runs):
        for name, (function, before) in requests.items():
            if before:
                before()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                function()
                times[name].append((time.perf_counter() - start) * 1000)
            counts[name] = len(queries)
    return {name: (statistics.median(times[name]), counts[name]) for name in requests}


def run_size(count, runs, rng):
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from rencontres.editions.models import Edition
    from rencontres.editions.tests.factories import make_edition
    from rencontres.networking import selectors
    from rencontres.networking.models import Theme
    from rencontres.registration.models import Category

    edition = make_edition()
    Category.objects.create(edition=edition, code="c", name_fr="C", name_en="C")
    people = populate(edition, count, rng)
    if connection.vendor == "postgresql":
        # The planner's statistics, as a database that lived a while has them (bulk inserts
        # leave them for autovacuum to gather, later).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    me = people[0]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    directory = reverse("networking:directory", args=[me.public_id, me.secret])
    home = reverse("networking:home", args=[me.public_id, me.secret])
    water = Theme.objects.get(code="water").pk
    last_page = (count + 23) // 24

    def something_changed():
        # What a profile's change does: a new version, so the home scores again; the
        # directory's countries, read again here, stay warm for the pages' next turn.
        Edition.networking_changed(pk=edition.pk)
        selectors.directory_countries(edition)

    def get(url, params=None):
        def call():
            response = client.get(url, params or {})
            assert response.status_code == 200, response.status_code

        return call

    return measure(
        {
            # The app server's own health check (one query): what any request costs here.
            "bare": (get("/healthz", {"scope": "web"}), None),
            "first_page": (get(directory), None),
            "search_all": (get(directory, {"q": "eau jeunesse"}), None),
            "search_name": (get(directory, {"q": f"Nom{count // 3:05d}"}), None),
            "filtered": (get(directory, {"theme": water, "country": "SN", "q": "eau"}), None),
            "far_page": (get(directory, {"page": last_page}), None),
            "home_cold": (get(home), something_changed),
            "home_warm": (get(home), None),
            # The recommendations alone (the home's other parts cost the same at any size).
            "recs_cold": (lambda: selectors.recommendations(me), something_changed),
            "recs_warm": (lambda: selectors.recommendations(me), None),
        },
        runs,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--database", default="rencontres_bench_directory",
                        help="PostgreSQL database to create, fill and drop")  # fmt: skip
    args = parser.parse_args()

    database_url = ""
    if args.backend == "postgres":
        postgres = ["-h", "127.0.0.1", "-U", "postgres", args.database]
        subprocess.run(["dropdb", "--if-exists", "--force", *postgres], check=True)
        subprocess.run(["createdb", *postgres], check=True)
        database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    try:
        _local.fresh_django(database_url)
        failures = report(args)
    finally:
        if args.backend == "postgres":
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", "--if-exists", "--force", *postgres], check=True)
    sys.exit(1 if failures else 0)


def report(args):
    rng = random.Random(1)
    small_count = args.profiles // 10
    small = run_size(small_count, args.runs, rng)
    large = run_size(args.profiles, args.runs, rng)
    print(f"{args.backend}: {'request':<12} {small_count:>7} profiles    {args.profiles:>7} "
          f"profiles   ratio  x bare")  # fmt: skip
    bare = large["bare"][0]
    for name in small:
        (small_ms, small_q), (large_ms, large_q) = small[name], large[name]
        print(f"{' ' * len(args.backend)}  {name:<12} {small_ms:8.1f} ms {small_q:3d} q "
              f"{large_ms:8.1f} ms {large_q:3d} q {large_ms / small_ms:6.2f} "
              f"{large_ms / bare:7.1f}")  # fmt: skip
    failures = []
    for name in DIRECTORY_PAGES:
        (large_ms, large_q), small_q = large[name], small[name][1]
        if large_ms >= DIRECTORY_MS or large_q != small_q:
            failures.append(f"{name} {large_ms:.1f} ms {large_q} q (at {small_count}: {small_q} q)")
    if large["home_warm"][0] >= WARM_HOME_MS:
        failures.append(f"home_warm {large['home_warm'][0]:.1f} ms")
    print(
        f"directory pages under {DIRECTORY_MS} ms at {args.profiles} profiles with the queries of "
        f"{small_count}, warm home under {WARM_HOME_MS} ms: "
        + ("yes" if not failures else "NO: " + "; ".join(failures))
    )
    print(
        f"backend={args.backend} profiles={args.profiles} "
        + " ".join(f"{name}_ms={large[name][0]:.1f}" for name in large)
    )
    return failures


if __name__ == "__main__":
    main()
