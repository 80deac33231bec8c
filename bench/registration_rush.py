"""Registration rush: N concurrent clients through the real form on the production server.

Usage:
  .venv/bin/python bench/registration_rush.py --backend sqlite|postgres --clients 50 --seconds 20
      [--workers 4] [--port 8765] [--database rencontres_bench] [--self-test]

Starts gunicorn on a fresh database (SQLite file, or the PostgreSQL database --database),
loads the demo, then for --seconds: each client GETs the form and POSTs it (ticking the
workshop with the fewest places). Then the same clients hit a bare view (/healthz?scope=web:
one query, no worker to ask about) for --seconds. Then every registration is confirmed
through the link of its confirmation e-mail (read from the outbox, as the person would open
it), concurrently, which is where places are taken. Prints throughput, latencies, the ratio
to the bare view, how many people were confirmed against how many the capacities allow, and
the places given beyond capacity.

Every answer is checked. Errors: a request that failed or did not get its page (the form, the
"check your e-mail" page, the confirmation page, the private page after confirming), a
registration that got its success page but is not in the database or has no confirmation
e-mail, and fewer people confirmed (or fewer workshop places taken) than the capacities allow.
Before the last line (and the self-test's verdict): the server's own time for a GET and a POST
of the form and their queries, measured first through Django's test client in this process
(medians of 40):
get_ms=N post_ms=N queries_get=N queries_post=N (--cost-only prints only that line; with
--profile, cProfile's top functions and the queries before it).
Last line: regs_per_s=N p50_ms=N p95_ms=N bare_rps=N ratio=N confirmed=N overbooked=N errors=N
(exit 1 unless overbooked and errors are zero).

With --self-test (e.g. `--backend sqlite --clients 4 --seconds 2 --workers 2 --self-test`),
the run gets the faults it claims to catch: one person opens a confirmation link made for a
new Registration object (this bench's first version did so for everyone, and nobody was ever
confirmed), the workshop keeps one place and it is given twice. The line before the last says
whether both were reported, each count on its own (the refused link, the person it left
unconfirmed, the place given twice) exactly as put in; exit 1 when they were, 2 when a count
differs (a fault missed, or an error more).
"""

import argparse
import io
import itertools
import math
import os
import pathlib
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import _harness as harness

ROOT = pathlib.Path(__file__).resolve().parent.parent
PREFIX = "rush"
# After the self-test's faults, each part on its own: the place given twice (overbooked), the
# refused link (refused) and the person it left unconfirmed though there was room (short);
# errors is the sum of its parts: 2.
FAULTS = {
    "failed_requests": 0, "nobody": 0, "lost": 0, "refused": 1, "short": 1,
    "workshop_short": 0, "overbooked": 1, "errors": 2,
}  # fmt: skip
# The bare view: the app server's own health check (one query; /healthz would also ask about
# the worker, which this bench does not run).
BARE = "/healthz?scope=web"


def environment(backend, data_dir, database):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("TASKS_IMMEDIATE", "DEBUG")},
        "DATA_DIR": data_dir,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "REGISTRATION_MIN_SECONDS": "0",
        "RATE_LIMIT_SCALE": "100000",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": "",
    }
    if backend == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
        for command in (["dropdb", "--if-exists"], ["createdb"]):
            subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    return env


def run_clients(port, count, seconds, work):
    """`work(client, number)` in `count` threads for `seconds`, each client with its own
    cookies: (successes, latencies, errors). An exception is an error."""
    deadline = time.perf_counter() + seconds
    latencies, results, lock = [], {"ok": 0, "errors": 0}, threading.Lock()
    numbers = itertools.count()

    def loop():
        client = harness.Client(port)
        while time.perf_counter() < deadline:
            with lock:
                number = next(numbers)
            start = time.perf_counter()
            try:
                ok = work(client, number)
            except Exception:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                results["ok" if ok else "errors"] += 1

    threads = [threading.Thread(target=loop) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results["ok"], latencies, results["errors"]


def free_places(edition, category, session):
    """(people the edition and the category can still take, places left in the session);
    math.inf where there is no limit."""
    from rencontres.registration.models import Registration

    holding = Registration.objects.filter(edition=edition).holding_a_place()
    free = math.inf
    if edition.capacity is not None:
        free = edition.capacity - holding.count()
    if category.capacity is not None:
        free = min(free, category.capacity - holding.filter(category=category).count())
    seats = math.inf
    if session.capacity is not None:
        seats = session.capacity - harness.session_places_taken(session)
    return max(0, free), max(0, seats)


def counts(edition, workshop, accepted, confirmations, free, seats):
    """What the bench checks once everyone confirmed, read before the database is dropped.
    `accepted`: the e-mails whose client got the success page; `confirmations`: {e-mail:
    (True when the confirmation ended on the person's private page, seconds)}; `free`,
    `seats`: free_places before the confirmations. Nobody accepted is an error too: such a
    run proves nothing."""
    from rencontres.registration.models import Registration, SessionChoice

    people = Registration.objects.filter(edition=edition, email__startswith=PREFIX)
    present = set(people.values_list("email", flat=True))
    confirmed = people.filter(status="confirmed").count()
    allowed = min(len(present & set(accepted)), free)
    taken = SessionChoice.objects.filter(
        session=workshop, status="confirmed", registration__in=people.filter(status="confirmed")
    ).count()
    return {
        "nobody": 0 if accepted else 1,
        "lost": sum(1 for email in accepted if email not in present),
        "refused": sum(1 for ok, _ in confirmations.values() if not ok),
        "confirmed": confirmed,
        "allowed": allowed,
        "short": max(0, allowed - confirmed),
        "workshop_taken": taken,
        "workshop_short": max(0, min(confirmed, seats) - taken),
        "overbooked": harness.overbooked(edition),
    }


def errors(found, failed_requests):
    """Everything that went wrong, as one number: requests that failed, registrations lost,
    confirmations refused, places the capacities allowed that nobody got."""
    return (failed_requests + found["nobody"] + found["lost"] + found["refused"] + found["short"]
            + found["workshop_short"])  # fmt: skip


def in_process_cost(form, count=40, profile=False):
    """The server's own time for the form's GET and for its POST (a new person each time),
    through Django's test client in this process (no network, no gunicorn): medians in ms, and
    the queries each makes. With `profile`, cProfile's top functions of the POSTs and GETs."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def one(number):
        client = Client(HTTP_HOST="127.0.0.1")
        start = time.perf_counter()
        page = client.get("/en/register/")
        got = time.perf_counter()
        html = page.content.decode()
        body = {**form, "form_token": harness.hidden(html, "form_token"),
                "email": f"cost{number}@example.org", "last_name": f"Cost {number}",
                "organisation_name": f"Commune {number % 50}"}  # fmt: skip
        middle = time.perf_counter()
        answer = client.post("/en/register/", body)
        end = time.perf_counter()
        if page.status_code != 200 or answer.status_code != 302:
            raise RuntimeError(f"in-process registration failed: {answer.status_code}")
        return (got - start) * 1000, (end - middle) * 1000

    for number in range(5):  # warm: templates compiled, connections open, caches filled
        one(10**7 + number)
    profiler = cProfile.Profile() if profile else None
    times = []
    for number in range(count):
        if profiler:
            profiler.enable()
        times.append(one(number))
        if profiler:
            profiler.disable()
    with CaptureQueriesContext(connection) as get_queries:
        Client(HTTP_HOST="127.0.0.1").get("/en/register/")
    client = Client(HTTP_HOST="127.0.0.1")
    html = client.get("/en/register/").content.decode()
    body = {**form, "form_token": harness.hidden(html, "form_token"),
            "email": "cost-queries@example.org", "last_name": "Cost",
            "organisation_name": "Commune 1"}  # fmt: skip
    with CaptureQueriesContext(connection) as post_queries:
        client.post("/en/register/", body)
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
    return {
        "get_ms": statistics.median(t[0] for t in times),
        "post_ms": statistics.median(t[1] for t in times),
        "queries_get": len(get_queries),
        "queries_post": len(post_queries),
        "post_sql": [q["sql"] for q in post_queries.captured_queries],
        "get_sql": [q["sql"] for q in get_queries.captured_queries],
    }


def cost_line(cost):
    return (f"get_ms={cost['get_ms']:.1f} post_ms={cost['post_ms']:.1f} "
            f"queries_get={cost['queries_get']} queries_post={cost['queries_post']}")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="rencontres_bench",
                        help="PostgreSQL database to create, fill and drop")  # fmt: skip
    parser.add_argument("--self-test", action="store_true",
                        help="put in a refused confirmation and a place given twice: the bench "
                        "must report both and exit non-zero")  # fmt: skip
    parser.add_argument("--cost-only", action="store_true",
                        help="only the in-process cost (no server, no clients)")  # fmt: skip
    parser.add_argument("--profile", action="store_true",
                        help="with --cost-only: print cProfile's top functions")  # fmt: skip
    args = parser.parse_args()
    port = args.port

    data_dir = tempfile.mkdtemp(prefix="rencontres-rush-")
    pathlib.Path(data_dir, "static").mkdir()  # plain static files, no collectstatic
    env = environment(args.backend, data_dir, args.database)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rencontres.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", "--scale", "small", stdout=io.StringIO())
    edition, form = harness.demo_form()
    if args.self_test:
        harness.small_workshop(form)
    workshop = edition.sessions.get(pk=form["sessions"][0])
    category = edition.categories.get(pk=form["category"])
    # The server's own cost of a registration, measured first, on a quiet server (its
    # people are not the rush's: they stay unconfirmed, and are not counted below).
    cost = in_process_cost(form, profile=args.profile)
    if args.cost_only:
        if args.profile:
            print("\n".join(["GET:", *cost["get_sql"], "POST:", *cost["post_sql"]]))
        print(cost_line(cost))
        shutil.rmtree(data_dir, ignore_errors=True)
        return 0
    connections.close_all()

    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "rencontres.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(600):
            try:
                if harness.Client(port).request("GET", BARE)[0] == 200:
                    break
            except harness.RETRIABLE:
                time.sleep(0.1)
        else:
            raise RuntimeError("the app server did not start")
        people, lock = [], threading.Lock()

        def register(client, number):
            person = harness.Person(number, PREFIX, form)
            ok = person.register(client)
            if ok:
                with lock:
                    people.append(person)
            return ok

        regs, latencies, failed = run_clients(port, args.clients, args.seconds, register)
        if args.self_test:  # its faults need three people: one refused, two for one place
            client = harness.Client(port)
            for number in range(10**6, 10**6 + 20):
                if len(people) >= 3:
                    break
                register(client, number)
        bare, bare_latencies, bare_failed = run_clients(
            port, args.clients, args.seconds, lambda c, n: c.request("GET", BARE)[0] == 200
        )
        # Places are taken when people confirm their address: all of them at once.
        free, seats = free_places(edition, category, workshop)
        if args.self_test and people:
            people[0].forged = True
        confirmations = harness.in_parallel(args.clients, people, lambda c, p: p.confirm(c), port)
        if args.self_test:
            harness.give_a_place_twice(workshop.pk)
            print("self-test: put in 1 refused confirmation, 1 place given twice")
        accepted = [person.email for person in people]
        found = counts(edition, workshop, accepted, confirmations, free, seats)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        connections.close_all()
        if args.backend == "postgres":
            subprocess.run(["dropdb", "--if-exists", "--force", "-h", "127.0.0.1", "-U",
                            "postgres", args.database], check=False)  # fmt: skip
        shutil.rmtree(data_dir, ignore_errors=True)

    regs_per_s = regs / args.seconds
    bare_rps = bare / args.seconds
    print(f"backend={args.backend} clients={args.clients} seconds={args.seconds} "
          f"workers={args.workers}")  # fmt: skip
    print(f"registrations={regs} failed={failed} bare_requests={bare} bare_failed={bare_failed} "
          f"bare_p50_ms={statistics.median(bare_latencies or [0]):.0f}")  # fmt: skip
    print(f"confirmations={len(confirmations)} refused={found['refused']}; "
          f"confirmed={found['confirmed']} of {found['allowed']} the capacities allow; "
          f"workshop places {found['workshop_taken']}/{workshop.capacity}; "
          f"lost={found['lost']}")  # fmt: skip
    total = errors(found, failed + bare_failed)
    status = 1 if found["overbooked"] or total else 0
    print(cost_line(cost))
    if args.self_test:
        reported = {**found, "failed_requests": failed + bare_failed, "errors": total}
        status = harness.self_test_verdict(reported, FAULTS)
    print(
        f"regs_per_s={regs_per_s:.1f} p50_ms={statistics.median(latencies or [0]):.0f} "
        f"p95_ms={harness.percentile(latencies, 0.95):.0f} bare_rps={bare_rps:.1f} "
        f"ratio={regs_per_s / bare_rps if bare_rps else 0:.2f} confirmed={found['confirmed']} "
        f"overbooked={found['overbooked']} errors={total}"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
