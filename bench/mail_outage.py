"""Mail outage: the mail server is stopped for two minutes while people register and confirm;
afterwards every e-mail is delivered exactly once.

Usage:
  .venv/bin/python bench/mail_outage.py [--outage 120] [--before 15] [--after 15]
      [--clients 10] [--backend postgres|sqlite] [--database rencontres_bench_mail]
      [--port 8722] [--smtp-port 8732]

The site of rush.py, its worker sending by SMTP to the debugging mail server. People register
and confirm their address (two e-mails each) without pause: --before seconds with the mail
server up, --outage seconds with it killed (SIGKILL, whatever conversation it is in), --after
seconds with it up again. Then the worker is left to empty the outbox on its own, with its
backoff (1 min, 5 min, ...), for up to --outage + 600 s. `--outage 20` makes a quick run.
Then it counts:
- lost: e-mails of the outbox that the mail server never received (still waiting, failed for
  good, or marked sent but never there);
- duplicated: e-mails received more than once (same Message-ID);
- overbooked: places beyond a capacity;
- errors: registrations or confirmations that failed (the site must not need the mail server),
  received messages that the outbox does not know, tracebacks in the logs.
Last line: lost=N duplicated=N overbooked=N errors=N (all zero when it holds; exit 1 if not).
"""

import itertools
import statistics
import sys
import threading
import time

import _harness as harness

PREFIX = "outage"


def main():
    parser = harness.arguments(__doc__.splitlines()[0], port=8722, smtp_port=8732,
                               database="rencontres_bench_mail", clients=10)  # fmt: skip
    parser.add_argument("--outage", type=float, default=120, help="seconds without mail server")
    parser.add_argument("--before", type=float, default=15)
    parser.add_argument("--after", type=float, default=15)
    args = parser.parse_args()
    mail_server = harness.MailServer(args.smtp_port)
    mail_server.start()
    site = harness.Site(args)
    try:
        edition, form = harness.demo_form()
        site.start()
        people = (harness.Person(number, PREFIX, form) for number in itertools.count())
        results, stop = {}, threading.Event()

        def register_and_confirm(client, person):
            return person.register(client) and person.confirm(client)

        clients = threading.Thread(target=harness.in_parallel, args=(
            args.clients, people, register_and_confirm, args.port, results, stop))  # fmt: skip
        clients.start()
        time.sleep(args.before)
        mail_server.kill()
        during = len(results)
        time.sleep(args.outage)
        during = len(results) - during
        mail_server.start()
        back_at = time.perf_counter()
        time.sleep(args.after)
        stop.set()
        clients.join()
        waited = harness.wait_for_outbox(timeout=args.outage + 600)
        drained = None if waited is None else time.perf_counter() - back_at

        from rencontres.mail.models import OutgoingEmail

        received = mail_server.received()
        mail_lost, duplicated, strangers = harness.mail_counts(received)
        outbox = OutgoingEmail.objects.count()
        retried = OutgoingEmail.objects.filter(attempts__gt=1).count()
        most_attempts = max(OutgoingEmail.objects.values_list("attempts", flat=True), default=0)
        failed = sum(1 for ok, _ in results.values() if not ok)
        overbooked = harness.overbooked(edition)
        latencies = [seconds * 1000 for _, seconds in results.values()]
        tracebacks = site.logged("server", "Traceback") + site.logged("worker", "Traceback")
    finally:
        site.close()
        mail_server.close()

    print(f"backend={args.backend} clients={args.clients} outage={args.outage:.0f}s "
          f"(before {args.before:.0f}s, after {args.after:.0f}s)")  # fmt: skip
    print(f"people={len(results)} ({during} while the mail server was down), each registered "
          f"and confirmed: p50_ms={statistics.median(latencies):.0f} "
          f"p95_ms={harness.percentile(latencies, 0.95):.0f}")  # fmt: skip
    print(f"outbox={outbox} received={sum(received.values())} retried={retried} "
          f"most_attempts={most_attempts}; "
          + (f"all delivered {drained:.0f}s after the mail server came back" if drained is not None
             else "NOT all delivered in time"))  # fmt: skip
    print(f"failed_people={failed} unknown_messages={strangers} tracebacks_logged={tracebacks}")
    return harness.finish(
        lost=mail_lost,
        duplicated=duplicated,
        overbooked=overbooked,
        errors=failed + strangers + tracebacks,
    )


if __name__ == "__main__":
    sys.exit(main())
