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
- errors: registrations or confirmations that failed (the site must not need the mail server;
  a confirmation link refused included), people left waiting while a place was free,
  received messages that the outbox does not know, tracebacks in the logs, and a late
  recovery: the last message of the outbox reaching the mail server RECOVERY_TARGET seconds
  or more after it came back (what waited for it must not wait for its backoff);
- recovered_s: how long after the mail server came back the last message of the outbox
  reached it (the time of each message is the mail server's log's).
Last line: lost=N duplicated=N overbooked=N errors=N recovered_s=N (the counts all zero when
it holds; exit 1 if not).

With --self-test (e.g. `--backend sqlite --outage 5 --before 3 --after 3 --clients 3
--self-test`), the run gets the faults it claims to catch (see _harness.put_faults): the first
person opens a forged confirmation link, the workshop keeps one place and it is given twice,
a message is dropped, one is sent twice and one comes from outside the outbox; and as the mail
server comes back, a message is held by a worker that dies (hold_a_message): it goes out
once its claim runs out, too late. The line before the last says whether each was reported,
each count on its own exactly as put in (FAULTS); exit 1 when they were, 2 when a count
differs.
"""

import itertools
import statistics
import sys
import threading
import time

import _harness as harness

PREFIX = "outage"
RECOVERY_TARGET = 30  # seconds from the mail server's return to the last message
# After put_faults, each part on its own: the dropped message (lost), the second copy
# (duplicated), the place given twice (overbooked), the refused confirmation (failed_people),
# the message from outside the outbox (unknown_messages) and the held one (late_recovery);
# errors is their sum.
FAULTS = {
    "failed_people": 1, "left_waiting": 0, "unknown_messages": 1, "tracebacks_logged": 0,
    "late_recovery": 1, "lost": 1, "duplicated": 1, "overbooked": 1, "errors": 3,
}  # fmt: skip


def counts(edition, results, received, tracebacks, recovered_s):
    """What the bench checks, read before the database is dropped: the closing line's counts
    and their parts. `results`: {e-mail: (registered and confirmed, seconds)}; `received`:
    the mail server's Counter of Message-IDs; `recovered_s`: see recovery_seconds."""
    mail_lost, duplicated, strangers = harness.mail_counts(received)
    failed = sum(1 for ok, _ in results.values() if not ok)
    waiting = harness.left_waiting(edition, PREFIX)
    late = int(recovered_s >= RECOVERY_TARGET)
    return {
        "failed_people": failed,
        "left_waiting": waiting,
        "unknown_messages": strangers,
        "tracebacks_logged": tracebacks,
        "late_recovery": late,
        "lost": mail_lost,
        "duplicated": duplicated,
        "overbooked": harness.overbooked(edition),
        "errors": failed + waiting + strangers + tracebacks + late,
    }


def recovery_seconds(first_arrivals, back_at):
    """Seconds from `back_at` (time.time() when the mail server came back) to the first
    arrival of the outbox's last message to reach it (`first_arrivals`: the mail server's
    {Message-ID: time.time()}); 0 when none came after. A copy sent again, a message from
    outside the outbox, one never received (lost, counted apart): none of them counts."""
    from rencontres.mail.models import OutgoingEmail

    expected = {email.message_id for email in OutgoingEmail.objects.only("pk", "created_at")}
    last = max((at for message_id, at in first_arrivals.items() if message_id in expected),
               default=back_at)  # fmt: skip
    return max(0.0, last - back_at)


def hold_a_message():
    """Self-test: a message claimed by a worker that dies as the mail server comes back. It
    goes out only once its claim runs out (MAIL_CLAIM_SECONDS, 30 s in the bench), at least
    RECOVERY_TARGET seconds after the server's return: a late recovery to report."""
    from django.utils import timezone

    from rencontres.mail.models import OutgoingEmail

    OutgoingEmail.objects.create(
        recipient="held@example.org", language="en", template="private_link",
        subject="Held", body_text="Held by a worker that died.\n",
        status=OutgoingEmail.Status.SENDING, attempts=1, claimed_at=timezone.now(),
    )  # fmt: skip


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
        if args.self_test:
            harness.small_workshop(form)
        site.start()
        people = (harness.Person(number, PREFIX, form, forged=args.self_test and number == 0)
                  for number in itertools.count())  # fmt: skip
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
        back_at = time.time()  # the clock of the mail server's log
        if args.self_test:
            hold_a_message()
            print("self-test: put in 1 message held by a worker that died as the mail server "
                  "came back")  # fmt: skip
        time.sleep(args.after)
        stop.set()
        clients.join()
        waited = harness.wait_for_outbox(timeout=args.outage + 600)
        drained = None if waited is None else time.time() - back_at
        if args.self_test:
            harness.put_faults(form, PREFIX, half_written=False)

        from rencontres.mail.models import OutgoingEmail

        received = mail_server.received()
        tracebacks = site.logged("server", "Traceback") + site.logged("worker", "Traceback")
        recovered_s = recovery_seconds(mail_server.first_arrivals(), back_at)
        found = counts(edition, results, received, tracebacks, recovered_s)
        outbox = OutgoingEmail.objects.count()
        retried = OutgoingEmail.objects.filter(attempts__gt=1).count()
        most_attempts = max(OutgoingEmail.objects.values_list("attempts", flat=True), default=0)
        latencies = [seconds * 1000 for _, seconds in results.values()]
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
    print(harness.line({k: v for k, v in found.items() if k not in harness.CLOSING}))
    return harness.finish(**{name: found[name] for name in harness.CLOSING},
                          expected=FAULTS if args.self_test else None, parts=found,
                          figures={"recovered_s": int(recovered_s)})  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
