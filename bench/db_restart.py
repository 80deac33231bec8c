"""Database restart: PostgreSQL is stopped for 10 s and started again, twice, while people
register and confirm; afterwards the site answers, the worker sends mail again, and nothing
was lost, sent twice or given beyond a capacity.

Usage:
  .venv/bin/python bench/db_restart.py [--restarts 2] [--outage 10] [--between 20]
      [--after 20] [--quiet 1] [--worker-down 75] [--clients 10]
      [--database rencontres_bench_restart]
      [--port 8723] [--smtp-port 8733] [--postgres-port 8743] [--self-test]

It runs a PostgreSQL server of its own (initdb in a temporary folder, on --postgres-port,
as the system's `postgres` user; binaries from /usr/lib/postgresql/*/bin), so the machine's
server is never touched; the production server and worker as bin/serve runs them (gunicorn
with DEBUG off, `manage.py worker`), and the debugging mail server. --clients people at a
time register and confirm without pause (each retrying, as a person would, while the site
answers 503). PostgreSQL is stopped (`pg_ctl stop -m fast`: every connection is ended, as in
an upgrade or a failover) for --outage seconds and started again, --restarts times,
--between seconds apart; the first --quiet of them while nobody uses the site (the clients
and the health probe wait), so that each app server still holds its kept connection, dead,
when the next request comes (the 500s of issue 21). Then the worker is stopped for
--worker-down seconds (0: skip) and started again, to see /healthz tell. Then it counts:
- errors_after: 5xx answers to requests sent once the database answered again (a dead
  connection reused gives a 5xx: target 0); 500s during the outages are errors too (the
  site must answer its 503 page), and so are tracebacks in the logs;
- lost, duplicated: registrations accepted and missing or twice, e-mails of the outbox never
  received or received twice (same Message-ID);
- overbooked: places beyond a capacity;
- worker_recovered_s: the longest time, over the restarts, from the database's return to the
  next e-mail received (target < 30);
- health_ok: 1 when /healthz answered 503 during each outage and while the worker was down,
  and 200 within 30 s after each.
Last line: errors_after=N lost=N duplicated=N overbooked=N worker_recovered_s=N health_ok=N;
exit 1 when a target is missed.

--self-test runs a short version with faults injected (an e-mail marked sent that the mail
server never got, a 500 answered after the database's return) and succeeds only if the
counts report exactly them: a bench that cannot see a fault proves nothing.
"""

import collections
import contextlib
import glob
import itertools
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import _harness as harness

PREFIX = "restart"
# Clients that are not counted as people's answers (the health probe, which answers 503 on
# purpose): main() makes harness.Client count.
UncountedClient = harness.Client


class Postgres:
    """A PostgreSQL server of the bench's own, in a temporary folder."""

    def __init__(self, port):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            sys.exit("PostgreSQL's server programs are missing (Debian: postgresql).")
        self.bin = pathlib.Path(found[-1]).parent
        self.port = port
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="rencontres-pg-"))
        self.data = self.folder / "data"
        shutil.chown(self.folder, "postgres", "postgres")
        self.as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                         "-E", "UTF8", "--locale", "C", "--no-sync")  # fmt: skip
        self.start()

    def as_postgres(self, program, *args):
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=self.folder)

    def start(self):
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=200")  # fmt: skip
        self.as_postgres("pg_ctl", "-D", str(self.data), "-o", options,
                         "-l", str(self.folder / "server.log"), "-w", "start")  # fmt: skip

    def stop(self):
        """Fast shutdown: every session is ended ("terminating connection due to
        administrator command"), as an upgrade, a failover or a host's maintenance does."""
        self.as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Answers:
    """Every answer the clients got: (time the request was sent, time its answer came,
    status); status None when the connection failed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def record(self, started, status):
        with self.lock:
            self.rows.append((started, time.monotonic(), status))


def counting_client(answers, quiet):
    class CountingClient(harness.Client):
        def request(self, method, path, body=None):
            while quiet.is_set():  # nobody uses the site now
                time.sleep(0.05)
            started = time.monotonic()
            try:
                result = super().request(method, path, body)
            except harness.RETRIABLE:
                answers.record(started, None)
                raise
            answers.record(started, result[0])
            return result

    return CountingClient


class MailWatch:
    """When the mail server received each message (read from its log a few times a second)."""

    def __init__(self, mail_server):
        self.mail_server = mail_server
        self.times = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        seen = 0
        while not self.stopped.is_set():
            lines = sum(1 for line in self.mail_server.log.read_text().splitlines() if line)
            now = time.monotonic()
            self.times.extend([now] * (lines - seen))
            seen = max(seen, lines)
            time.sleep(0.1)

    def first_after(self, moment):
        return next((at for at in self.times if at > moment), None)


class HealthWatch:
    """/healthz polled twice a second: (time, status, text)."""

    def __init__(self, port, quiet):
        self.port = port
        self.quiet = quiet
        self.rows = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        client = UncountedClient(self.port)
        while not self.stopped.is_set():
            if self.quiet.is_set():
                time.sleep(0.05)
                continue
            at = time.monotonic()
            try:
                status, _, text = client.request("GET", "/healthz")
            except harness.RETRIABLE:
                status, text = None, ""
            self.rows.append((at, status, text))
            time.sleep(0.5)

    def saw(self, status, since, until, reason=""):
        return any(since <= at < until and code == status and reason in text
                   for at, code, text in self.rows)  # fmt: skip

    def healthy_again(self, since, within=30):
        return self.saw(200, since, since + within)


def database_answers(site):
    from django.db import connection

    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        connection.close()
        return False


def persistently(function, *args, **kwargs):
    """The bench's own reads wait for the database too (they are not what is measured)."""
    from django.db import connection

    while True:
        try:
            return function(*args, **kwargs)
        except Exception as error:
            from django.db.utils import InterfaceError, OperationalError

            if not isinstance(error, (OperationalError, InterfaceError)):
                raise
            connection.close()
            time.sleep(0.5)


def register_and_confirm(client, person):
    """A person who keeps trying (reload, back and send again) for up to two minutes."""
    if not person.register(client, retry_for=120):
        return False
    return persistently(person.confirm, client, 120)


def main():
    parser = harness.arguments(__doc__.splitlines()[0], port=8723, smtp_port=8733,
                               database="rencontres_bench_restart", clients=10)  # fmt: skip
    parser.add_argument("--postgres-port", type=int, default=8743)
    parser.add_argument("--restarts", type=int, default=2)
    parser.add_argument("--outage", type=float, default=10, help="seconds PostgreSQL is down")
    parser.add_argument("--between", type=float, default=20, help="seconds between restarts")
    parser.add_argument("--quiet", type=int, default=1,
                        help="how many of the restarts (the first ones) come while nobody uses "
                        "the site: its app servers keep their connections, now dead")  # fmt: skip
    parser.add_argument("--after", type=float, default=20)
    parser.add_argument("--worker-down", type=float, default=75,
                        help="seconds the worker is stopped at the end (0: no)")  # fmt: skip
    parser.add_argument("--logs", help="copy the server's and the worker's logs to this folder")
    parser.add_argument("--self-test", action="store_true",
                        help="a short run with faults injected, to be reported")  # fmt: skip
    args = parser.parse_args()
    if args.backend != "postgres":
        sys.exit("This bench restarts PostgreSQL: --backend postgres only.")
    if args.self_test:
        args.restarts, args.outage, args.between, args.after = 1, 3, 8, 8
        args.worker_down, args.clients, args.quiet = 0, 3, 0

    postgres = harness_site = mail_server = mail = health = None
    stop, quiet = threading.Event(), threading.Event()
    answers = Answers()
    harness.Client = counting_client(answers, quiet)  # every client of the bench counts its answers
    try:
        postgres = Postgres(args.postgres_port)
        mail_server = harness.MailServer(args.smtp_port)
        mail_server.start()
        harness_site = site = harness.Site(args)
        edition, form = harness.demo_form()
        site.start()
        mail, health = MailWatch(mail_server), HealthWatch(args.port, quiet)
        people = (harness.Person(number, PREFIX, form) for number in itertools.count())
        results = {}
        clients = threading.Thread(target=harness.in_parallel, args=(
            args.clients, people, register_and_confirm, args.port, results, stop))  # fmt: skip
        clients.start()
        outages = []  # (down_at, back_at)
        for restart in range(args.restarts):
            time.sleep(args.between)
            if restart < args.quiet:
                quiet.set()  # what is under way finishes; nothing new is sent
                time.sleep(3)
            down_at = time.monotonic()
            postgres.stop()
            time.sleep(args.outage)
            postgres.start()
            while not database_answers(site):
                time.sleep(0.1)
            back_at = time.monotonic()
            quiet.clear()
            outages.append((down_at, back_at))
            alone = " (nobody using the site)" if restart < args.quiet else ""
            print(f"PostgreSQL stopped for {back_at - down_at:.1f}s{alone}", flush=True)
        time.sleep(args.after)
        if args.self_test:
            inject_faults(answers, outages[-1][1])
        stop.set()
        clients.join()
        worker_down = None
        if args.worker_down:
            site.kill_worker()
            worker_down = time.monotonic()
            time.sleep(args.worker_down)
            site.start_worker()
            worker_up = time.monotonic()
            time.sleep(20)
        harness.wait_for_outbox(timeout=120)
        mail.stopped.set()
        health.stopped.set()
        time.sleep(0.6)

        received = mail_server.received()
        accepted = [email for email, (ok, _) in results.items() if ok]
        lost, duplicated, half_written = persistently(
            harness.registration_counts, accepted, PREFIX, True
        )
        mail_lost, mail_duplicated, strangers = persistently(harness.mail_counts, received)
        overbooked = persistently(harness.overbooked, edition)
        failed = sum(1 for ok, _ in results.values() if not ok)
        back = [back_at for _, back_at in outages]
        after, during = answer_counts(answers, outages)
        errors_after = sum(count for status, count in after.items() if status >= 500)
        errors_during = during[500]
        answered_503 = during[503]
        recovered = [mail.first_after(at) for at in back]
        delays = [None if r is None else r - b for r, b in zip(recovered, back, strict=True)]
        worker_recovered = None if None in delays else max(delays)
        # Nobody asked /healthz during a quiet restart: 200 after it, that is all.
        health_ok = all((index < args.quiet or health.saw(503, down_at, back_at))
                        and health.healthy_again(back_at)
                        for index, (down_at, back_at) in enumerate(outages))  # fmt: skip
        if worker_down is not None:
            health_ok = (health_ok and health.saw(503, worker_down, worker_up, "worker:")
                         and health.healthy_again(worker_up))  # fmt: skip
        tracebacks = site.logged("server", "Traceback") + site.logged("worker", "Traceback")
        if args.logs:
            pathlib.Path(args.logs).mkdir(parents=True, exist_ok=True)
            for name in ("server", "worker"):
                shutil.copy(pathlib.Path(site.data_dir) / f"{name}.log", args.logs)
        outage_lines = site.logged("worker", "Database unavailable")
    finally:
        stop.set()
        for watch in (mail, health):
            if watch is not None:
                watch.stopped.set()
        if harness_site is not None:
            harness_site.close()
        if mail_server is not None:
            mail_server.close()
        if postgres is not None:
            postgres.close()

    print(f"restarts={len(outages)} outage={args.outage:.0f}s clients={args.clients} "
          f"people={len(results)} (failed {failed}) requests={len(answers.rows)} "
          f"answered_503_during_outages={answered_503} errors_during={errors_during}")  # fmt: skip
    print(f"mail: outbox received={sum(received.values())} mail_lost={mail_lost} "
          f"mail_duplicated={mail_duplicated} unknown={strangers}; worker back "
          + ", ".join("never" if delay is None else f"{delay:.1f}s" for delay in delays)
          + f" after the database; {outage_lines} outage lines in the worker's log")  # fmt: skip
    print(f"half_written={half_written} tracebacks_logged={tracebacks} "
          f"answers_after_the_returns={dict(sorted(after.items()))}")  # fmt: skip
    lost, duplicated = lost + mail_lost, duplicated + mail_duplicated
    recovered_s = -1 if worker_recovered is None else round(worker_recovered)
    print(
        f"errors_after={errors_after} lost={lost} duplicated={duplicated} "
        f"overbooked={overbooked} worker_recovered_s={recovered_s} health_ok={int(health_ok)}"
    )
    missed = (errors_after or errors_during or lost or duplicated or overbooked or half_written
              or strangers or tracebacks or failed or not health_ok
              or worker_recovered is None or worker_recovered >= 30)  # fmt: skip
    if args.self_test:
        return self_test_verdict(errors_after, lost)
    return 1 if missed else 0


def answer_counts(answers, outages):
    """Counters of statuses: of requests sent once the database answered again and answered
    before the next outage began; of requests sent during an outage."""
    after, during = collections.Counter(), collections.Counter()
    ends = [down_at for down_at, _ in outages[1:]] + [float("inf")]
    with answers.lock:
        for sent, answered, status in answers.rows:
            if status is None:
                continue
            for (down_at, back_at), end in zip(outages, ends, strict=True):
                if down_at <= sent < back_at:
                    during[status] += 1
                elif back_at <= sent and answered < end:
                    after[status] += 1
    return after, during


def inject_faults(answers, back_at):
    """A 500 after the database's return, and an e-mail marked sent that nobody received."""
    from rencontres.mail.models import OutgoingEmail

    with answers.lock:
        answers.rows.append((back_at + 1, back_at + 1.1, 500))
    email = persistently(OutgoingEmail.objects.create, recipient="nobody@example.org",
                         language="en", template="confirm_address", subject="injected",
                         body_text="injected", status="sent")  # fmt: skip
    print(f"self-test: injected a 500 and e-mail {email.pk}, sent but never received")


def self_test_verdict(errors_after, lost):
    if errors_after == 1 and lost == 1:
        print("self-test passed: the injected 500 and lost e-mail were both reported")
        return 0
    print(f"self-test FAILED: expected errors_after=1 lost=1, got {errors_after} and {lost}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
