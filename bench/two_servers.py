"""Two servers: two app servers and two workers on one PostgreSQL and one Redis, as a site that
has outgrown one machine runs; one of each is killed midway, and nothing is lost.

Usage:
  .venv/bin/python bench/two_servers.py [--registrations 400] [--clients 20]
      [--database rencontres_bench_two] [--port 8745] [--second-port 8746] [--smtp-port 8755]
      [--redis-port 8765] [--workers 2] [--self-test]

Starts its own Redis (redis-server, nothing on disk), a fresh PostgreSQL database with the demo,
the debugging mail server, and twice the site of rush.py: gunicorn on --port and on
--second-port, each with its worker, all with CACHE_URL on that Redis. Then:
- people register and confirm their address, each through the other server than the one they
  registered on (round robin), like a load balancer spreading them; a request to a server that
  does not answer goes to the other one, the same request with the same cookies (what the
  balancer does once a server is down);
- early on, an organiser logs in on the first server and changes a session's capacity, which
  the programme shows; the second server's programme page (read just before, so that its
  cached copy is there) is read again until it shows the new capacity: stale_after_s is how
  long that took after the organiser's page answered;
- when half the people are through, the first server (SIGKILL to gunicorn's master and
  workers: requests in flight die) and the second worker (SIGKILL) are killed and not started
  again: the rest goes through one server, and the mail the dead worker had claimed is sent by
  the other once its claim runs out (MAIL_CLAIM_SECONDS, 30 s here).
Then the outbox is left to empty, and it counts:
- lost: people whose client got the success page but who are not in the database, e-mails of
  the outbox the mail server never received;
- duplicated: people registered twice, e-mails received more than once (same Message-ID);
- overbooked: places beyond a capacity;
- stale_after_s: the seconds the second server showed the old programme (target <= 1);
- errors: people who could not register or confirm through either server (a confirmation
  refused included), people left waiting while a place was free, received messages the
  outbox does not know, tracebacks in the four logs, a programme never updated in 30 s.
Last line: lost=N duplicated=N overbooked=N stale_after_s=N errors=N (exit 1 unless all are
zero and stale_after_s <= 1).

With --self-test (e.g. `--registrations 40 --clients 4 --self-test`), the run gets faults it
claims to catch: the capacity is changed by a bulk update that bumps no programme version
(a change the servers' cached programme cannot see), a confirmation link is forged and a
place is given twice. The line before the last says whether each was reported: exit 1 when
they were, 2 when not.
"""

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import _harness as harness

PREFIX = "two"
STALE_TARGET = 1.0
NEW_CAPACITY = 977  # "977 places": shown once on the programme, by the session it is given to
FAULTS = {"stale": 1, "failed_people": 1, "overbooked": 1, "errors": 2}


class Balanced(harness.Client):
    """A browser behind a load balancer: its requests go to `preferred` (an index in `ports`);
    when that server does not answer, the same request goes to the other, with the same
    cookies."""

    failed_over = 0

    def __init__(self, ports, preferred=0):
        super().__init__(ports[preferred])
        self.ports = ports
        self.preferred = preferred

    def prefer(self, index):
        self.preferred = index % len(self.ports)
        return self

    def request(self, method, path, body=None):
        first = self.ports[self.preferred]
        try:
            self.port = first
            return super().request(method, path, body)
        except harness.RETRIABLE:
            Balanced.failed_over += 1
            self.port = next(port for port in self.ports if port != first)
            return super().request(method, path, body)


class SecondSite(harness.Site):
    """Another app server and worker for the database of `first` (its data folder too: the
    files it writes are shared), on `port`, with logs of their own."""

    def __init__(self, first, port, **env):
        self.args = first.args
        self.port = port
        self.data_dir = first.data_dir
        self.postgres_port = first.postgres_port
        self.env = {**first.env, "SITE_URL": f"http://127.0.0.1:{port}", **env}
        self.server = self.worker = None

    def log(self, name):
        return super().log(f"{name}-2")

    def close(self):
        self.stop()


class Redis:
    """A redis-server of this bench's own, keeping nothing on disk."""

    def __init__(self, port):
        self.port = port
        self.folder = tempfile.mkdtemp(prefix="rencontres-redis-")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.folder],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(100):
            ping = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True)
            if ping.stdout.strip() == b"PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def organiser_changes_a_capacity(ports, session_pk):
    """Log in on the first server and set the session's capacity (the programme shows it):
    the time its page answered, or None when the change was refused."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("bench-organiser", "bench@example.org",
                                              "a-long-bench-password")  # fmt: skip
    organiser = harness.Client(ports[0])
    _, _, html = organiser.request("GET", "/en/organiser/login/")
    status, _, _ = organiser.request("POST", "/en/organiser/login/", {
        "csrfmiddlewaretoken": harness.hidden(html, "csrfmiddlewaretoken"),
        "username": "bench-organiser", "password": "a-long-bench-password",
    })  # fmt: skip
    if status != 302:
        return None
    path = f"/en/organiser/15/sessions/{session_pk}/"
    _, _, html = organiser.request("GET", path)
    status, _, _ = organiser.request("POST", path, {
        "csrfmiddlewaretoken": harness.hidden(html, "csrfmiddlewaretoken"),
        "capacity": str(NEW_CAPACITY),
    })  # fmt: skip
    return time.perf_counter() if status in (200, 302) else None


def programme_shows(port, text):
    status, _, html = harness.Client(port).request("GET", "/en/editions/15/programme/")
    return status == 200 and text in html


def quietly_changes_a_capacity(ports, session_pk):
    """The self-test's fault: a bulk update, which bumps no programme version."""
    from rencontres.editions.models import Session

    Session.objects.filter(pk=session_pk).update(capacity=NEW_CAPACITY)
    return time.perf_counter()


def stale_seconds(ports, session_pk, change):
    """How long the second server showed the programme as it was after `change` (on the
    first server) answered (None: the change was refused; 30 and more: never updated)."""
    from rencontres.editions.models import Session

    marker = f"{NEW_CAPACITY} places"
    programme_shows(ports[1], marker)  # its cached copy, from before the change
    changed_at = change(ports, session_pk)
    if changed_at is None or Session.objects.get(pk=session_pk).capacity != NEW_CAPACITY:
        return None
    while time.perf_counter() - changed_at < 30:
        with contextlib.suppress(*harness.RETRIABLE):
            if programme_shows(ports[1], marker):
                return time.perf_counter() - changed_at
        time.sleep(0.02)
    return time.perf_counter() - changed_at


def counts(edition, people, results, received, tracebacks, stale):
    """The closing line's counts and their parts, read before the database is dropped."""
    from rencontres.registration.models import Registration

    mail_lost, mail_duplicated, strangers = harness.mail_counts(received)
    rows = Registration.objects.filter(edition=edition, email__startswith=PREFIX)
    emails = list(rows.values_list("email", flat=True))
    # {e-mail: ((registered, confirmed), seconds)}; False for a person whose work raised.
    steps = {email: result or (False, False) for email, (result, _) in results.items()}
    accepted = [email for email, (registered, _) in steps.items() if registered]
    absent = len(set(accepted) - set(emails))
    failed = sum(1 for _, confirmed in steps.values() if not confirmed)
    failed += len(people) - len(results)
    waiting = harness.left_waiting(edition, PREFIX)
    never_updated = 1 if stale is None or stale >= 30 else 0
    parts = {
        "registrations_absent": absent, "mail_lost": mail_lost,
        "registered_twice": len(emails) - len(set(emails)), "mail_duplicated": mail_duplicated,
        "failed_people": failed, "left_waiting": waiting, "unknown_messages": strangers,
        "tracebacks_logged": tracebacks, "stale": int(stale is None or stale > STALE_TARGET),
    }  # fmt: skip
    return {
        **parts,
        "lost": absent + mail_lost,
        "duplicated": parts["registered_twice"] + mail_duplicated,
        "overbooked": harness.overbooked(edition),
        "stale_after_s": stale,
        "errors": failed + waiting + strangers + tracebacks + never_updated,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=400)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--database", default="rencontres_bench_two")
    parser.add_argument("--port", type=int, default=8745)
    parser.add_argument("--second-port", type=int, default=8746)
    parser.add_argument("--smtp-port", type=int, default=8755)
    parser.add_argument("--redis-port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    args.backend = "postgres"
    redis = Redis(args.redis_port)
    os.environ.update(CACHE_URL=f"redis://127.0.0.1:{args.redis_port}/0",
                      TWO_FACTOR_REQUIRED="0")  # fmt: skip
    mail_server = harness.MailServer(args.smtp_port)
    mail_server.start()
    site = harness.Site(args)
    second = SecondSite(site, args.second_port)
    ports = [args.port, args.second_port]
    try:
        edition, form = harness.demo_form()
        if args.self_test:
            harness.small_workshop(form)
        holding = edition.registrations.holding_a_place().count()
        edition.capacity = holding + int(args.registrations * 0.8)
        edition.save(update_fields=["capacity"])
        changed = (edition.sessions.filter(registration_required=True)
                   .exclude(pk__in=form["sessions"]).order_by("starts_at").first())  # fmt: skip
        site.start()
        second.start_server()
        second.start_worker()
        people = [harness.Person(number, PREFIX, form, forged=args.self_test and number == 1)
                  for number in range(args.registrations)]  # fmt: skip
        results, stale = {}, []

        def register_and_confirm(client, person):
            registered = person.register(client.prefer(person.number))
            confirmed = registered and person.confirm(client.prefer(person.number + 1))
            return registered, confirmed

        def kill_half_way():
            while len(results) < len(people) / 2:
                time.sleep(0.01)
            site.kill_server()
            second.kill_worker()

        def programme():
            while len(results) < len(people) / 10:
                time.sleep(0.01)
            change = quietly_changes_a_capacity if args.self_test else organiser_changes_a_capacity
            stale.append(stale_seconds(ports, changed.pk, change))

        helpers = [threading.Thread(target=kill_half_way), threading.Thread(target=programme)]
        for helper in helpers:
            helper.start()
        started = time.perf_counter()
        harness.in_parallel(args.clients, people, register_and_confirm, ports[0], results,
                            client=lambda: Balanced(ports))  # fmt: skip
        seconds = time.perf_counter() - started
        for helper in helpers:
            helper.join()
        mail_seconds = harness.wait_for_outbox(timeout=300)
        if args.self_test:
            harness.give_a_place_twice(form["sessions"][0])
        received = mail_server.received()
        tracebacks = sum(
            process.logged(name, "Traceback")
            for process, name in ((site, "server"), (site, "worker"), (second, "server-2"),
                                  (second, "worker-2"))
        )  # fmt: skip
        found = counts(edition, people, results, received, tracebacks, stale[0])
        statuses = harness.statuses(PREFIX)
    finally:
        second.close()
        site.close()
        mail_server.close()
        redis.close()

    print(f"backend=postgres servers=2 workers_per_server={args.workers} clients={args.clients} "
          f"registrations={args.registrations}; killed half way: the first server and the "
          f"second worker")  # fmt: skip
    print(f"people through in {seconds:.1f}s ({len(people) / seconds:.1f}/s, each registered "
          f"and confirmed); requests sent to the other server: {Balanced.failed_over}; "
          f"statuses={statuses}")  # fmt: skip
    print("mail: " + (f"all sent {mail_seconds:.0f}s after the last person"
                      if mail_seconds is not None else "NOT all sent after 300 s"))  # fmt: skip
    closing = ("lost", "duplicated", "overbooked", "stale_after_s", "errors")
    print(harness.line({k: v for k, v in found.items() if k not in closing}))
    stale_text = "never" if found["stale_after_s"] is None else f"{found['stale_after_s']:.2f}"
    status = 1 if (found["lost"] or found["duplicated"] or found["overbooked"]
                   or found["errors"] or found["stale"]) else 0  # fmt: skip
    if args.self_test:
        status = harness.self_test_verdict(found, FAULTS)
    print(f"lost={found['lost']} duplicated={found['duplicated']} "
          f"overbooked={found['overbooked']} stale_after_s={stale_text} "
          f"errors={found['errors']}")  # fmt: skip
    return status


if __name__ == "__main__":
    sys.exit(main())
