"""Crash: the registration burst of rush.py, during which the app server is killed with
SIGKILL twice and started again; then no half-written registration exists and every client
that got a success page has its registration, once.

Usage:
  .venv/bin/python bench/crash.py [--backend postgres|sqlite] [--registrations 1000]
      [--clients 100] [--database rencontres_bench_crash] [--port 8721] [--smtp-port 8731]
      [--kill-worker]

The same site as rush.py. When a third, then two thirds of the registrations are done,
gunicorn's master and workers get SIGKILL at once (requests in flight die with them) and it is
started again. A client whose request fails (connection refused or reset, 5xx) sends the same
request again, as a person pressing reload does, for up to 60 s; the form's token makes a
second send of one form count once. Then everyone confirms their address; with
--kill-worker, the worker gets SIGKILL halfway through (while it sends the answers) and is
started again: what it had claimed is sent by the new one when the claim runs out (30 s here,
MAIL_CLAIM_SECONDS). Then it counts:
- lost: registrations whose client got the success page but that are not in the database,
  e-mails never delivered;
- duplicated: registrations present twice, a confirmation e-mail queued twice, an e-mail
  delivered twice (which a worker killed between the mail server's acceptance and its record
  of it does: see rencontres/mail/services.py);
- overbooked: places beyond a capacity;
- errors: half-written registrations (without their history row, session choice or
  confirmation e-mail, all written in one transaction), requests that never got their success
  page (a confirmation link refused included), people left waiting while a place was free,
  delivered messages that the outbox does not know, tracebacks in the logs.
Last line: lost=N duplicated=N overbooked=N errors=N (all zero when it holds; exit 1 if not).

--self-test puts into the run the faults of rush.py's self-test (see there), after the kills.
"""

import statistics
import sys
import threading
import time

import _harness as harness

PREFIX = "crash"
KILLS = (1 / 3, 2 / 3)


def main():
    parser = harness.arguments(__doc__.splitlines()[0], port=8721, smtp_port=8731,
                               database="rencontres_bench_crash")  # fmt: skip
    parser.add_argument("--kill-worker", action="store_true")
    args = parser.parse_args()
    mail_server = harness.MailServer(args.smtp_port)
    mail_server.start()
    site = harness.Site(args)
    try:
        edition, people = harness.prepare_burst(site, args.registrations, PREFIX)
        if args.self_test:
            harness.small_workshop(people[0].form)
            people[0].forged = True
        registered, restarts = {}, []

        def killer():
            for share in KILLS:
                while len(registered) < share * len(people):
                    time.sleep(0.01)
                site.kill_server()
                restarts.append(site.start_server())

        kills = threading.Thread(target=killer)
        kills.start()
        started = time.perf_counter()
        harness.in_parallel(args.clients, people, lambda c, p: p.register(c, retry_for=60),
                            args.port, registered)  # fmt: skip
        burst = time.perf_counter() - started
        kills.join()
        accepted = [email for email, (ok, _) in registered.items() if ok]

        waiting = [person for person in people if person.email in set(accepted)]
        confirmed = {}

        def worker_killer():
            while len(confirmed) < len(waiting) / 2:
                time.sleep(0.01)
            site.kill_worker()
            site.start_worker()

        if args.kill_worker:
            threading.Thread(target=worker_killer, daemon=True).start()
        harness.in_parallel(args.clients, waiting, lambda c, p: p.confirm(c, retry_for=60),
                            args.port, confirmed)  # fmt: skip
        mail_seconds = harness.wait_for_outbox(timeout=300)
        if args.self_test:
            harness.put_faults(people[0].form, PREFIX)

        present = set(edition.registrations.filter(email__startswith=PREFIX)
                      .values_list("email", flat=True))  # fmt: skip
        unacknowledged = len(present - set(accepted))
        received = mail_server.received()
        failed = len(people) - len(accepted) + sum(1 for ok, _ in confirmed.values() if not ok)
        tracebacks = site.logged("server", "Traceback") + site.logged("worker", "Traceback")
        counts = harness.burst_counts(edition, PREFIX, accepted, failed, received, tracebacks)
        latencies = [seconds * 1000 for _, seconds in registered.values()]
        statuses = harness.statuses(PREFIX)
    finally:
        site.close()
        mail_server.close()

    p95 = harness.percentile(latencies, 0.95)
    print(f"backend={args.backend} clients={args.clients} registrations={args.registrations} "
          f"workers={args.workers} kills={len(restarts)} (SIGKILL) "
          f"worker_killed={'yes' if args.kill_worker else 'no'}")  # fmt: skip
    print(f"back up after {', '.join(f'{seconds:.1f}s' for seconds in restarts)}")
    print(f"accepted={len(accepted)} in {burst:.1f}s: regs_per_s={len(accepted) / burst:.1f} "
          f"p50_ms={statistics.median(latencies):.0f} p95_ms={p95:.0f} (GET + POST, with "
          f"retries)")  # fmt: skip
    print(f"requests sent again: {dict(harness.Client.resent) or 0}")
    print(f"statuses={statuses}; in the database without a success page: {unacknowledged}")
    return harness.finish_burst(counts, sum(received.values()), mail_seconds,
                                harness.BURST_FAULTS if args.self_test else None)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
