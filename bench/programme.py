"""Programme page of a 150-session edition: server time per render and query count.

Usage: .venv/bin/python bench/programme.py [--sessions 150] [--runs 30]
Prints the median server time with the programme's cache empty (every request queries and
renders) and filled, their ratios to the 50 ms target, and the queries per request.
"""

import argparse
import datetime
import pathlib
import statistics
import sys
import time

import _local

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=150)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    _local.fresh_django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from rencontres.editions import models

    venue = models.Venue.objects.create(name="Venue", address="1 rue", city="Paris")
    rooms = [models.Room.objects.create(venue=venue, name=f"Room {i}", seats=50) for i in range(12)]
    speakers = [
        models.Speaker.objects.create(first_name="A", last_name=f"S{i}") for i in range(200)
    ]
    edition = models.Edition.objects.create(
        number=99, title_fr="B", title_en="B", theme_fr="T", theme_en="T",
        starts_on=datetime.date(2027, 11, 4), ends_on=datetime.date(2027, 11, 5),
        registration_opens_at=datetime.datetime(2027, 6, 1, tzinfo=models.PARIS),
        registration_closes_at=datetime.datetime(2027, 10, 17, 23, 59, tzinfo=models.PARIS),
        is_published=True,
    )  # fmt: skip
    for index in range(args.sessions):
        start = datetime.datetime(2027, 11, 4 + index % 2, 8 + index % 10, tzinfo=models.PARIS)
        session = models.Session.objects.create(
            edition=edition, kind=models.Session.Kind.values[index % 5], title_fr=f"Séance {index}",
            title_en=f"Session {index}", room=rooms[index % 12], starts_at=start,
            ends_at=start + datetime.timedelta(minutes=90), capacity=40,
            interpretation_languages=["fr", "en"], description_en="Some **text**.",
        )  # fmt: skip
        for offset in range(3):
            models.SessionSpeaker.objects.create(
                session=session, speaker=speakers[(index * 3 + offset) % 200], order=offset
            )

    client = Client()
    url = "/en/editions/99/programme/"
    assert client.get(url).status_code == 200  # warm-up (imports, template compilation)

    def timed(clear_cache):
        timings, queries = [], []
        for _ in range(args.runs):
            if clear_cache:
                cache.clear()
            counted = []

            def count(run, *query, counted=counted):
                counted.append(1)
                return run(*query)

            with connection.execute_wrapper(count):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and b"Session 149" in response.content
            queries.append(len(counted))
        return statistics.median(timings), max(queries)

    cold, cold_queries = timed(clear_cache=True)
    warm, warm_queries = timed(clear_cache=False)
    print(f"sessions={args.sessions} runs={args.runs}")
    print(f"cold (cache empty): median_ms={cold:.1f} queries={cold_queries}")
    print(f"warm (cached):      median_ms={warm:.1f} queries={warm_queries}")
    print(f"ratio_to_50ms_target cold={cold / 50:.2f} warm={warm / 50:.2f}")


if __name__ == "__main__":
    main()
