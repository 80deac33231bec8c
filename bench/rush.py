"""Registration rush: 1,000 registrations in a burst from 100 concurrent clients against the
production server, then a count.

Usage:
  .venv/bin/python bench/rush.py [--backend postgres|sqlite] [--registrations 1000]
      [--clients 100] [--database rencontres_bench_rush] [--port 8720] [--smtp-port 8730]

Starts gunicorn (DEBUG off) and the worker, as bin/serve does, on a fresh database with the
demo edition, its capacity set below the number of registrants so that the waiting list fills
too, and a debugging mail server. Every client GETs the form and POSTs it (ticking the workshop
with the fewest places); then everyone confirms their address through the link of their
confirmation e-mail (read from the outbox), all at once, which is where places are taken.
Then it counts:
- lost: registrations whose client got the success page but that are not in the database;
  e-mails of the outbox never delivered to the mail server;
- duplicated: registrations present twice; e-mails delivered twice;
- overbooked: places beyond the edition's, a category's or a session's capacity;
- errors: requests that did not get their success page (a confirmation link refused
  included), registrations half written (without their history row, session choice or one
  confirmation e-mail, or, once confirmed, without their one answer: place or waiting
  list), people left waiting while a place was free, delivered messages that the outbox does
  not know, tracebacks in the logs.
Last line: lost=N duplicated=N overbooked=N errors=N (all zero when it holds; exit 1 if not).

With --self-test (e.g. `--backend sqlite --registrations 20 --clients 5 --self-test`), the
run gets the faults it claims to catch (see _harness.put_faults): one person opens a forged
confirmation link, the workshop keeps one place and it is given twice, a registration loses
its history row, a message is dropped, one is sent twice and one comes from outside the
outbox. The line before the last says whether each was reported, each count on its own
exactly as put in (_harness.BURST_FAULTS); exit 1 when they were, 2 when a count differs (a
fault missed, or an error more that could hide one).
"""

import statistics
import sys
import time

import _harness as harness

PREFIX = "rush"


def main():
    args = harness.arguments(__doc__.splitlines()[0], port=8720, smtp_port=8730,
                             database="rencontres_bench_rush").parse_args()  # fmt: skip
    mail_server = harness.MailServer(args.smtp_port)
    mail_server.start()
    site = harness.Site(args)
    try:
        edition, people = harness.prepare_burst(site, args.registrations, PREFIX)
        if args.self_test:
            harness.small_workshop(people[0].form)
            people[0].forged = True

        started = time.perf_counter()
        registered = harness.in_parallel(args.clients, people, lambda c, p: p.register(c),
                                         args.port)  # fmt: skip
        burst = time.perf_counter() - started
        accepted = [email for email, (ok, _) in registered.items() if ok]

        started = time.perf_counter()
        waiting = [person for person in people if person.email in set(accepted)]
        confirmed = harness.in_parallel(args.clients, waiting, lambda c, p: p.confirm(c),
                                        args.port)  # fmt: skip
        confirming = time.perf_counter() - started
        mail_seconds = harness.wait_for_outbox(timeout=300)
        if args.self_test:
            harness.put_faults(people[0].form, PREFIX)

        received = mail_server.received()
        failed = len(people) - len(accepted) + sum(1 for ok, _ in confirmed.values() if not ok)
        tracebacks = site.logged("server", "Traceback") + site.logged("worker", "Traceback")
        counts = harness.burst_counts(edition, PREFIX, accepted, failed, received, tracebacks)
        latencies = [seconds * 1000 for _, seconds in registered.values()]
        statuses = harness.statuses(PREFIX)
    finally:
        site.close()
        mail_server.close()

    print(f"backend={args.backend} clients={args.clients} registrations={args.registrations} "
          f"workers={args.workers}")  # fmt: skip
    p95 = harness.percentile(latencies, 0.95)
    print(f"accepted={len(accepted)} in {burst:.1f}s: regs_per_s={len(accepted) / burst:.1f} "
          f"p50_ms={statistics.median(latencies):.0f} p95_ms={p95:.0f} (GET + POST)")  # fmt: skip
    print(f"confirmations={len(confirmed)} in {confirming:.1f}s: "
          f"{len(confirmed) / confirming:.1f}/s; statuses={statuses}")  # fmt: skip
    return harness.finish_burst(counts, sum(received.values()), mail_seconds,
                                harness.BURST_FAULTS if args.self_test else None)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
