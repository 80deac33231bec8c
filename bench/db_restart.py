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
  never 200 while the database was stopped, and 200 within 30 s after each (its parts:
  health_silent, health_200_while_down, health_not_back).
Last line: errors_after=N lost=N duplicated=N overbooked=N worker_recovered_s=N health_ok=N;
exit 1 when a target is missed.

--self-test runs a short version with faults injected (a 500 answered after the database's
return, an e-mail marked sent that the mail server never got, one the mail server got twice,
a /healthz 200 while the database was stopped), as the other benches do: the line before the
last says whether each count and each of its parts is exactly what was put in (FAULTS); exit
1 when it is (the faults were reported), 2 when a count differs: a bench that cannot see a
fault proves nothing.
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
# After inject_faults, each count on its own: the 500 (errors_after), the e-mail never received
# (mail_lost, hence lost), the one received twice (mail_duplicated, hence duplicated), the
# /healthz 200 while the database was stopped (health_200_while_down, hence health_ok=0).
FAULTS = {
    "errors_during": 0, "failed_people": 0, "half_written": 0, "mail_lost": 1,
    "mail_duplicated": 1, "unknown_messages": 0, "tracebacks_logged": 0, "worker_late": 0,
    "health_silent": 0, "health_200_while_down": 1, "health_not_back": 0,
    "errors_after": 1, "lost": 1, "duplicated": 1, "overbooked": 0, "health_ok": 0,
}  # fmt: skip
# What a run that held shows: every count 0, health_ok 1.
TARGETS = {name: int(name == "health_ok") for name in FAULTS}


class Outage(collections.namedtuple("Outage", "down_at stopped_at starting_at back_at")):
    """One restart: when the bench began to stop PostgreSQL, when it was stopped, when the
    bench began to start it again, and when the database answered again (time.monotonic)."""


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
    """/healthz polled twice a second: (time sent, time answered, status, text)."""

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
            self.rows.append((at, time.monotonic(), status, text))
            time.sleep(0.5)


def health_counts(rows, outages, quiet=0, worker=None):
    """What /healthz said (`rows`: HealthWatch's), in parts: health_silent, the outages (past
    the first `quiet`, when nobody asked) and the worker's stop (`worker`: (stopped, started)
    or None) during which it never answered 503; health_200_while_down, its 200s sent and
    answered while PostgreSQL was stopped (a load balancer would send people to a site
    without its database); health_not_back, the outages and the worker's stop after which it
    did not answer 200 within 30 s."""

    def saw(status, since, until, reason=""):
        return any(since <= sent < until and code == status and reason in text
                   for sent, _, code, text in rows)  # fmt: skip

    # (from, until, the reason the 503 must give, whether anyone asked meanwhile)
    windows = [(outage.down_at, outage.back_at, "", index >= quiet)
               for index, outage in enumerate(outages)]  # fmt: skip
    if worker is not None:
        windows.append((*worker, "worker:", True))
    silent = sum(1 for since, until, reason, asked in windows
                 if asked and not saw(503, since, until, reason))  # fmt: skip
    wrong = sum(
        1
        for down in outages
        for sent, answered, code, _ in rows
        if code == 200 and down.stopped_at <= sent < answered < down.starting_at
    )
    not_back = sum(1 for _, until, _, _ in windows if not saw(200, until, until + 30))
    return {"health_silent": silent, "health_200_while_down": wrong, "health_not_back": not_back}


def health_ok(parts):
    """1 when /healthz told each outage and each return (health_counts' parts all zero)."""
    return int(not any(parts.values()))


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
        outages = []
        for restart in range(args.restarts):
            time.sleep(args.between)
            if restart < args.quiet:
                quiet.set()  # what is under way finishes; nothing new is sent
                time.sleep(3)
            down_at = time.monotonic()
            postgres.stop()
            stopped_at = time.monotonic()
            time.sleep(args.outage)
            starting_at = time.monotonic()
            postgres.start()
            while not database_answers(site):
                time.sleep(0.1)
            back_at = time.monotonic()
            quiet.clear()
            outages.append(Outage(down_at, stopped_at, starting_at, back_at))
            alone = " (nobody using the site)" if restart < args.quiet else ""
            print(f"PostgreSQL stopped for {back_at - down_at:.1f}s{alone}", flush=True)
        time.sleep(args.after)
        if args.self_test:
            inject_faults(answers, health, outages[-1])
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
        back = [outage.back_at for outage in outages]
        after, during = answer_counts(answers, outages)
        errors_after = sum(count for status, count in after.items() if status >= 500)
        errors_during = during[500]
        answered_503 = during[503]
        recovered = [mail.first_after(at) for at in back]
        delays = [None if r is None else r - b for r, b in zip(recovered, back, strict=True)]
        worker_recovered = None if None in delays else max(delays)
        # Nobody asked /healthz during a quiet restart: 200 after it, that is all.
        worker = None if worker_down is None else (worker_down, worker_up)
        said = health_counts(health.rows, outages, args.quiet, worker)
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
    counts = {
        "errors_during": errors_during, "failed_people": failed, "half_written": half_written,
        "mail_lost": mail_lost, "mail_duplicated": mail_duplicated,
        "unknown_messages": strangers, "tracebacks_logged": tracebacks,
        "worker_late": int(worker_recovered is None or worker_recovered >= 30), **said,
        "errors_after": errors_after, "lost": lost + mail_lost,
        "duplicated": duplicated + mail_duplicated, "overbooked": overbooked,
        "health_ok": health_ok(said),
    }  # fmt: skip
    print(f"half_written={half_written} tracebacks_logged={tracebacks} "
          f"answers_after_the_returns={dict(sorted(after.items()))}")  # fmt: skip
    print(harness.line({name: counts[name] for name in ("worker_late", *said)}))
    return finish(counts, -1 if worker_recovered is None else round(worker_recovered),
                  FAULTS if args.self_test else None)  # fmt: skip


def finish(counts, recovered_s, expected=None):
    """The closing line, and the exit status: 0 when every count is on target (TARGETS), 1
    when one is not; with `expected` (--self-test), harness.self_test_verdict's: 1 when each
    count is exactly what was put in, 2 when one differs."""
    status = int(any(counts[name] != target for name, target in TARGETS.items()))
    if expected is not None:
        status = harness.self_test_verdict(counts, expected)
    print(f"errors_after={counts['errors_after']} lost={counts['lost']} "
          f"duplicated={counts['duplicated']} overbooked={counts['overbooked']} "
          f"worker_recovered_s={recovered_s} health_ok={counts['health_ok']}")  # fmt: skip
    return status


def answer_counts(answers, outages):
    """Counters of statuses: of requests sent once the database answered again and answered
    before the next outage began; of requests sent during an outage."""
    after, during = collections.Counter(), collections.Counter()
    ends = [outage.down_at for outage in outages[1:]] + [float("inf")]
    with answers.lock:
        for sent, answered, status in answers.rows:
            if status is None:
                continue
            for outage, end in zip(outages, ends, strict=True):
                if outage.down_at <= sent < outage.back_at:
                    during[status] += 1
                elif outage.back_at <= sent and answered < end:
                    after[status] += 1
    return after, during


def inject_faults(answers, health, outage):
    """A 500 after the database's return, an e-mail marked sent that nobody received, one
    the mail server receives twice, and a /healthz 200 while the database was stopped."""
    from rencontres.mail.models import OutgoingEmail

    with answers.lock:
        answers.rows.append((outage.back_at + 1, outage.back_at + 1.1, 500))
    health.rows.append((outage.stopped_at + 0.01, outage.stopped_at + 0.02, 200, "ok"))
    email = persistently(OutgoingEmail.objects.create, recipient="nobody@example.org",
                         language="en", template="confirm_address", subject="injected",
                         body_text="injected", status="sent")  # fmt: skip
    persistently(harness.send_twice)
    print(f"self-test: injected a 500, e-mail {email.pk} sent but never received, one "
          "received twice and a /healthz 200 while the database was stopped")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
