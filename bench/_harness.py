"""What the bench scripts share: a fresh database with the demo, the production server (gunicorn
and the worker, as bin/serve runs them) that can be killed and started again, a debugging mail
server that records every message it accepts, clients that register through the real form,
the counts the reliability benches check, their closing line, and the faults that --self-test
puts into a run (a check that was never seen to fail proves nothing).

Run as `python bench/_harness.py smtp --port N --log FILE` it is that mail server (a process of
its own, so that a bench can kill it and start it again).
"""

import argparse
import collections
import contextlib
import http.client
import http.cookies
import os
import pathlib
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# The gunicorn of the environment that runs the bench (a worktree may have no .venv of its own).
GUNICORN = pathlib.Path(PYTHON).parent / "gunicorn"


def arguments(description, port, smtp_port, database, **defaults):
    """The options every reliability bench takes (each bench has its own default ports and
    database, so that they can run side by side)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--database", default=database,
                        help="PostgreSQL database to create, fill and drop")  # fmt: skip
    parser.add_argument("--port", type=int, default=port, help="port of the app server")
    parser.add_argument("--smtp-port", type=int, default=smtp_port, help="debugging mail server")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=defaults.get("clients", 100))
    parser.add_argument("--registrations", type=int, default=defaults.get("registrations", 1000))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--self-test", action="store_true",
                        help="put the faults the bench claims to catch into the run: it must "
                        "report each of them and exit non-zero")  # fmt: skip
    return parser


# --- The site: database, app server, worker ------------------------------------------------


class Site:
    """A fresh database with the demo edition, served by gunicorn with DEBUG off, its worker
    sending mail by SMTP to the debugging server."""

    def __init__(self, args):
        self.args = args
        self.port = args.port
        self.data_dir = tempfile.mkdtemp(prefix="rencontres-bench-")
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "EMAIL_BACKEND"},
            "DEBUG": "0",
            "DATA_DIR": self.data_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_MANIFEST": "0",
            "REGISTRATION_MIN_SECONDS": "0",
            "RATE_LIMIT_SCALE": "100000",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(args.smtp_port),
            "SITE_URL": f"http://127.0.0.1:{args.port}",
            "LOG_LEVEL": "WARNING",
            "TASKS_IMMEDIATE": "0",
            # crash.py kills the worker: its messages go out half a minute later, not ten.
            "MAIL_CLAIM_SECONDS": "30",
            "DATABASE_URL": "",
        }
        # A bench may run its own PostgreSQL server (db_restart.py): on its own port.
        self.postgres_port = getattr(args, "postgres_port", 5432)
        if args.backend == "postgres":
            self.env["DATABASE_URL"] = (
                f"postgres://postgres@127.0.0.1:{self.postgres_port}/{args.database}"
            )
            self.postgres("dropdb", "--if-exists")
            self.postgres("createdb")
        self.manage("migrate", "--noinput")
        self.manage("load_demo", "--scale", "small")
        self.server = self.worker = None
        self.setup_django()

    def postgres(self, command, *options):
        subprocess.run([command, *options, "-h", "127.0.0.1", "-p", str(self.postgres_port),
                        "-U", "postgres", self.args.database], check=True)  # fmt: skip

    def manage(self, *args):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    def setup_django(self):
        """This process reads the same database (to count) and signs the same links."""
        os.environ.update(self.env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "rencontres.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

    def start(self):
        self.start_server()
        self.start_worker()

    def start_server(self):
        self.server = subprocess.Popen(
            [str(GUNICORN), "rencontres.wsgi", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.args.workers),
             "--log-level", "warning", "--graceful-timeout", "10"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=self.log("server"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        started = time.perf_counter()
        while time.perf_counter() - started < 60:
            with contextlib.suppress(OSError, http.client.HTTPException):
                # This server, not the worker (started next): /healthz?scope=web.
                if Client(self.port).request("GET", "/healthz?scope=web")[0] == 200:
                    return time.perf_counter() - started
            time.sleep(0.05)
        raise RuntimeError("the app server did not start")

    def start_worker(self):
        self.worker = subprocess.Popen([PYTHON, "manage.py", "worker", "--verbosity", "0"],
                                       cwd=ROOT, env=self.env, start_new_session=True,
                                       stdout=self.log("worker"),
                                       stderr=subprocess.STDOUT)  # fmt: skip

    def log(self, name):
        """The log file of a process (appended to when it is started again)."""
        return open(pathlib.Path(self.data_dir) / f"{name}.log", "a")

    def logged(self, name, word):
        """Lines of a process's log that contain `word` (e.g. Traceback)."""
        path = pathlib.Path(self.data_dir) / f"{name}.log"
        return sum(1 for line in path.read_text(errors="replace").splitlines() if word in line)

    def kill_server(self):
        """SIGKILL to gunicorn's master and workers at once: a crash, not a shutdown."""
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait()

    def kill_worker(self):
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop(self):
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)

    def close(self):
        self.stop()
        from django.db import connections

        connections.close_all()
        if self.args.backend == "postgres" and not self.args.keep:
            self.postgres("dropdb", "--if-exists", "--force")
        shutil.rmtree(self.data_dir, ignore_errors=True)


# --- The debugging mail server ---------------------------------------------------------------


class MailServer:
    """The debugging mail server in a process of its own: start, kill, start again. Every
    message it accepts is one line of its log (Message-ID, recipients, time.time() when it
    came), written before it answers 250, so a message the client saw accepted is always
    counted."""

    def __init__(self, port):
        self.port = port
        self.log = pathlib.Path(tempfile.mkdtemp(prefix="rencontres-smtp-")) / "received.log"
        self.log.touch()
        self.process = None

    def start(self):
        self.process = subprocess.Popen([PYTHON, __file__, "smtp", "--port", str(self.port),
                                         "--log", str(self.log)])  # fmt: skip
        for _ in range(200):
            with contextlib.suppress(OSError), socket_to(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError("the mail server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.kill()
        shutil.rmtree(self.log.parent, ignore_errors=True)

    def received(self):
        """Counter of Message-IDs received."""
        return collections.Counter(message_id for message_id, _at in self.arrivals())

    def first_arrivals(self):
        """{Message-ID: time.time() when it first came}."""
        first = {}
        for message_id, at in self.arrivals():
            first.setdefault(message_id, at)
        return first

    def arrivals(self):
        """(Message-ID, time.time() it came), in the order they came."""
        for line in self.log.read_text().splitlines():
            if line:
                message_id, _recipients, at = line.split("\t")
                yield message_id, float(at)


def socket_to(port):
    import socket

    return socket.create_connection(("127.0.0.1", port), timeout=1)


def serve_mail(port, log):
    import email

    from aiosmtpd.controller import Controller

    descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    class Recorder:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.original_content or envelope.content)
            message_id = "".join(str(message.get("Message-ID", "")).split())
            line = f"{message_id}\t{','.join(envelope.rcpt_tos)}\t{time.time():.3f}\n"
            os.write(descriptor, line.encode())
            return "250 Message accepted for delivery"

    controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    finally:
        controller.stop()


# --- Clients ---------------------------------------------------------------------------------

RETRIABLE = (OSError, http.client.HTTPException)


class Client:
    """One browser: its own cookies, one request at a time."""

    resent = collections.Counter()  # requests sent again, by what went wrong the first time

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(body, doseq=True)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            self.cookies.update({key: morsel.value for key, morsel in cookie.items()})
        return response.status, response.headers, content

    def insist(self, method, path, body=None, retry_for=0.0):
        """The request, sent again (the same body: a person pressing reload) while the server
        is down or answers 5xx, for up to `retry_for` seconds."""
        deadline = time.perf_counter() + retry_for
        while True:
            try:
                status, headers, content = self.request(method, path, body)
            except RETRIABLE as error:
                if time.perf_counter() > deadline:
                    raise
                self.resent[type(error).__name__] += 1
            else:
                if status < 500 or time.perf_counter() > deadline:
                    return status, headers, content
                self.resent[f"HTTP {status}"] += 1
            time.sleep(0.25)


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]+)"', html)[1]


CONFIRMATION_PATH = re.compile(r"https?://[^/\s]+(/[a-z]{2}/register/confirm/[^/\s]+/)")


class Person:
    """One registrant of a bench: the form as a person fills it, then the link of the
    confirmation e-mail. A `forged` person opens, instead of that link, one built for a new
    Registration object with the same public id (what registration_rush.py once did): the site
    must refuse it, and the bench must count the refusal."""

    def __init__(self, number, prefix, form, forged=False):
        self.number = number
        self.email = f"{prefix}{number}@example.org"
        self.form = form
        self.forged = forged

    def register(self, client, retry_for=0.0):
        """True when the client got the success page (redirect to 'check your e-mail')."""
        status, _, html = client.insist("GET", "/en/register/", retry_for=retry_for)
        if status != 200:
            return False
        body = {**self.form, "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
                "form_token": hidden(html, "form_token"), "email": self.email,
                "last_name": f"Person {self.number}",
                "organisation_name": f"Commune {self.number % 50}"}  # fmt: skip
        status, headers, _ = client.insist("POST", "/en/register/", body, retry_for=retry_for)
        return status == 302 and headers["Location"].endswith("/register/sent/")

    def confirmation_link(self):
        """(path, public id) of the link in the newest confirmation e-mail the site wrote to
        this person (the one a person opens), read from the outbox; None when there is none."""
        from rencontres.mail.models import OutgoingEmail
        from rencontres.registration import services
        from rencontres.registration.models import Registration

        email = (
            OutgoingEmail.objects.filter(recipient=self.email, template="confirm_address")
            .select_related("registration")
            .order_by("-created_at", "-pk")
            .first()
        )
        if email is None or email.registration is None:
            return None
        public_id = email.registration.public_id
        if self.forged:
            token = services.confirmation_token(Registration(public_id=public_id))
            return f"/en/register/confirm/{token}/", public_id
        match = CONFIRMATION_PATH.search(email.body_text)
        return (match[1], public_id) if match else None

    def confirm(self, client, retry_for=0.0):
        """Open the link of the confirmation e-mail and press the button: True when the site
        answered with the person's private page."""
        from django.db import connection

        try:
            link = self.confirmation_link()
        finally:
            connection.close()  # one per client thread would exhaust PostgreSQL's connections
        if link is None:
            return False
        path, public_id = link
        status, _, html = client.insist("GET", path, retry_for=retry_for)
        if status != 200:
            return False
        body = {"csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken")}
        status, headers, _ = client.insist("POST", path, body, retry_for=retry_for)
        return status == 302 and headers["Location"].startswith(f"/en/r/{public_id}/")


def demo_form():
    """The form's fields for the demo edition: a foreign authority, both days, and the
    workshop with the fewest places (so that it fills up)."""
    from rencontres.editions.models import Edition, Session
    from rencontres.registration.models import Category

    edition = Edition.objects.get(number=15)
    workshop = Session.objects.filter(edition=edition, kind="workshop").order_by("capacity")[0]
    return edition, {
        "first_name": "Rush", "job_title": "Officer", "language": "en",
        "category": Category.objects.get(edition=edition, code="foreign_authority").pk,
        "organisation_kind": "foreign_authority", "organisation_country": "SN",
        "days": [day.isoformat() for day in edition.days], "sessions": [workshop.pk],
        "privacy": "on",
    }  # fmt: skip


def prepare_burst(site, registrations, prefix):
    """The demo with room for 80 % of the burst (the rest goes to the waiting list), the site
    started, and the people who will register: (edition, people)."""
    edition, form = demo_form()
    edition.capacity = edition.registrations.holding_a_place().count() + int(registrations * 0.8)
    edition.save(update_fields=["capacity"])
    site.start()
    return edition, [Person(number, prefix, form) for number in range(registrations)]


def in_parallel(clients, people, work, port, results=None, stop=None, client=None):
    """work(client, person) for every person (a list or an iterator), `clients` at a time,
    each client with its own cookies, until there is no one left or `stop` (an Event) is set.
    Returns {person.email: (result, seconds)}, filled as it goes into `results` if given; an
    exception counts as False. `client`: what makes each client (a Client of `port`)."""
    people, lock = iter(people), threading.Lock()
    results = {} if results is None else results
    stop = stop or threading.Event()
    make_client = client or (lambda: Client(port))

    def loop():
        client = make_client()
        while not stop.is_set():
            with lock:
                person = next(people, None)
            if person is None:
                return
            started = time.perf_counter()
            try:
                result = work(client, person)
            except Exception:
                result = False
            with lock:
                results[person.email] = (result, time.perf_counter() - started)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0


# --- Counting --------------------------------------------------------------------------------


def session_places_taken(session):
    from rencontres.registration.models import SessionChoice

    return SessionChoice.objects.filter(
        session=session, status="confirmed", registration__status="confirmed"
    ).count()


def overbooked(edition):
    """Places given beyond a capacity: the edition's, each category's, each session's."""
    from rencontres.registration.models import Category, Registration

    holding = Registration.objects.filter(edition=edition).holding_a_place()
    excess = 0 if edition.capacity is None else max(0, holding.count() - edition.capacity)
    for category in Category.objects.filter(edition=edition, capacity__isnull=False):
        excess += max(0, holding.filter(category=category).count() - category.capacity)
    for session in edition.sessions.filter(capacity__isnull=False):
        excess += max(0, session_places_taken(session) - session.capacity)
    return excess


def left_waiting(edition, prefix):
    """The bench's people kept waiting while a place was free: on the edition's waiting list
    though the edition and their category have room, or on a session's waiting list though
    the session has room. Zero when every free place went to someone who asked for it (no
    bench cancels, so a free place and a waiting person are never both left at the end)."""
    from rencontres.registration.models import Category, Registration, SessionChoice

    holding = Registration.objects.filter(edition=edition).holding_a_place()
    waiting = Registration.objects.filter(
        edition=edition, email__startswith=prefix, status="waitlisted"
    )
    free = None if edition.capacity is None else max(0, edition.capacity - holding.count())
    by_category = 0
    for category in Category.objects.filter(edition=edition):
        count = waiting.filter(category=category).count()
        if category.capacity is not None:
            room = category.capacity - holding.filter(category=category).count()
            count = min(count, max(0, room))
        by_category += count
    people = by_category if free is None else min(free, by_category)
    for session in edition.sessions.filter(capacity__isnull=False):
        waiting_choices = SessionChoice.objects.filter(
            session=session, status="waitlisted", registration__status="confirmed",
            registration__email__startswith=prefix,
        ).count()  # fmt: skip
        people += min(waiting_choices, max(0, session.capacity - session_places_taken(session)))
    return people


ANSWERS = ["registration_confirmed", "waitlisted", "awaiting_approval"]


def registration_counts(accepted, prefix, confirmed=False):
    """(lost, duplicated, half_written) for the bench's registrants (e-mail starting with
    `prefix`): accepted (the client got the success page) but absent, present twice, or
    without something submitting writes in the same transaction (its history row, its
    session choice, its one confirmation e-mail) or, after `confirmed`, without its one
    answer (place, waiting list)."""
    from django.db.models import Count, Q

    from rencontres.registration.models import Registration

    people = Registration.objects.filter(email__startswith=prefix)
    rows = collections.Counter(people.values_list("email", flat=True))
    lost = sum(1 for email in accepted if rows[email] == 0)
    duplicated = sum(count - 1 for count in rows.values() if count > 1)
    counted = people.annotate(
        submitted=Count("events", filter=Q(events__action="submitted"), distinct=True),
        session_choices=Count("choices", distinct=True),
        to_confirm=Count("emails", filter=Q(emails__template="confirm_address"), distinct=True),
        answers=Count("emails", filter=Q(emails__template__in=ANSWERS), distinct=True),
    )
    half_written = sum(
        1
        for person in counted
        if (person.submitted, person.session_choices, person.to_confirm) != (1, 1, 1)
        or (confirmed and person.answers != 1)
    )
    return lost, duplicated, half_written


def statuses(prefix):
    """How many of the bench's registrants have each status."""
    from django.db.models import Count

    from rencontres.registration.models import Registration

    rows = Registration.objects.filter(email__startswith=prefix).values_list("status")
    return dict(rows.annotate(Count("pk")).order_by())


def wait_for_outbox(timeout):
    """Wait until every message of the outbox is sent (or failed for good); the seconds waited,
    or None when time ran out."""
    from rencontres.mail.models import OutgoingEmail

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if not OutgoingEmail.objects.filter(status__in=["pending", "sending"]).exists():
            return time.perf_counter() - started
        time.sleep(1)
    return None


def mail_counts(received):
    """(lost, duplicated, strangers): outbox messages never received, received more than once,
    and received messages the outbox does not know."""
    from rencontres.mail.models import OutgoingEmail

    expected = {email.message_id for email in OutgoingEmail.objects.only("pk", "created_at")}
    lost = sum(1 for message_id in expected if received[message_id] == 0)
    duplicated = sum(count - 1 for message_id, count in received.items() if count > 1)
    strangers = sum(1 for message_id in received if message_id not in expected)
    return lost, duplicated, strangers


def burst_counts(edition, prefix, accepted, failed, received, tracebacks):
    """What rush.py and crash.py check once everyone has confirmed (read before the database
    is dropped): the closing line's counts and their parts. `accepted`: the e-mails of the
    registrants whose client got the success page; `failed`: requests that did not get their
    success page; `received`: the mail server's Counter of Message-IDs."""
    lost, duplicated, half_written = registration_counts(accepted, prefix, confirmed=True)
    mail_lost, mail_duplicated, strangers = mail_counts(received)
    waiting = left_waiting(edition, prefix)
    return {
        "half_written": half_written,
        "failed_requests": failed,
        "left_waiting": waiting,
        "mail_lost": mail_lost,
        "mail_duplicated": mail_duplicated,
        "unknown_messages": strangers,
        "tracebacks_logged": tracebacks,
        "lost": lost + mail_lost,
        "duplicated": duplicated + mail_duplicated,
        "overbooked": overbooked(edition),
        "errors": failed + half_written + waiting + strangers + tracebacks,
    }


CLOSING = ("lost", "duplicated", "overbooked", "errors")


def finish_burst(counts, delivered, mail_seconds, expected=None):
    """The end of rush.py and crash.py: the mail and the parts of `counts` (burst_counts),
    then the closing line (see finish). `delivered`: the messages the mail server took."""
    print(f"mail: {delivered} messages delivered, "
          + (f"all sent {mail_seconds:.0f}s after the last confirmation" if mail_seconds is not None
             else "NOT all sent after 300s"))  # fmt: skip
    print(line({name: value for name, value in counts.items() if name not in CLOSING}))
    return finish(**{name: counts[name] for name in CLOSING}, expected=expected, parts=counts)


def line(counts):
    return " ".join(f"{name}={value}" for name, value in counts.items())


def finish(lost, duplicated, overbooked, errors, expected=None, parts=None, figures=None):
    """The closing line, `figures` at its end (measures such as recovered_s, judged through
    the counts); the exit status says whether everything held (0) or not (1). With
    `expected` (a --self-test run: what each count and each of its parts, in `parts`, must
    be after the faults put in), a line before it gives the verdict of self_test_verdict:
    1 when the bench reported exactly those faults, 2 when it did not."""
    counts = {"lost": lost, "duplicated": duplicated, "overbooked": overbooked, "errors": errors}
    status = 1 if any(counts.values()) else 0
    if expected is not None:
        status = self_test_verdict({**(parts or {}), **counts}, expected)
    print(line({**counts, **(figures or {})}))
    return status


def self_test_verdict(counts, expected):
    """Whether a --self-test run reported exactly the faults put in: each count named in
    `expected` (the closing line's and each of their parts) compared with its own value, so
    that a fault missed cannot hide behind another error that made the sum come out right.
    Prints the verdict; returns the exit status: 1 when every count is as expected (the
    faults were reported, and nothing else went wrong), 2 when one differs."""
    differing = [f"{name}={counts.get(name)} (expected {value})"
                 for name, value in expected.items() if counts.get(name) != value]  # fmt: skip
    print(f"self-test: faults put in, expecting exactly {line(expected)}: "
          + (f"DIFFERS {', '.join(differing)}" if differing else "all reported"))  # fmt: skip
    return 2 if differing else 1


# --- Self-test: the faults a bench claims to catch, put into a run on purpose ---------------
# Each one is what a broken site (or a broken bench) would do; the run must report it.


def small_workshop(form):
    """The workshop of the form keeps one place, so that it fills at the first confirmation
    and give_a_place_twice has a place to give."""
    from rencontres.editions.models import Session

    Session.objects.filter(pk__in=form["sessions"]).update(capacity=1)


def give_a_place_twice(session_pk):
    """A full session's place given to one more confirmed person, without the lock (what a
    race between two confirmations would do). False when nobody was waiting for it."""
    from rencontres.registration.models import SessionChoice

    choice = SessionChoice.objects.filter(
        session_id=session_pk, status="waitlisted", registration__status="confirmed"
    ).first()
    if choice is not None:
        SessionChoice.objects.filter(pk=choice.pk).update(status="confirmed")
    return choice is not None


def half_write(prefix):
    """One of the bench's registrations without its history row, as if what submitting
    writes were not one transaction. False when there was none."""
    from rencontres.registration.models import RegistrationEvent

    event = RegistrationEvent.objects.filter(
        registration__email__startswith=prefix, registration__status="confirmed",
        action="submitted",
    ).first()  # fmt: skip
    if event is not None:
        event.delete()
    return event is not None


def drop_a_message():
    """A message the outbox records as sent that never reached the mail server."""
    from django.utils import timezone

    from rencontres.mail.models import OutgoingEmail

    OutgoingEmail.objects.create(
        recipient="dropped@example.org", language="en", template="private_link",
        subject="Dropped", body_text="Never delivered.\n", status=OutgoingEmail.Status.SENT,
        attempts=1, sent_at=timezone.now(),
    )  # fmt: skip


def send_twice():
    """A message the mail server accepted, sent to it once more (the same Message-ID)."""
    from django.core.mail import get_connection

    from rencontres.mail.models import OutgoingEmail
    from rencontres.mail.services import close_quietly, deliver

    email = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).order_by("pk").first()
    connection = get_connection()
    try:
        deliver(email, connection)
    finally:
        close_quietly(connection)


def send_a_stranger():
    """A message the mail server accepts that the outbox never held."""
    from django.core.mail import EmailMessage

    EmailMessage("Not from the outbox", "Who sent this?", to=["stranger@example.org"],
                 headers={"Message-ID": "<stranger.self-test@bench.invalid>"}).send()  # fmt: skip


# What rush.py and crash.py must report after put_faults, each part on its own: the dropped
# message (mail_lost, hence lost), the second copy (mail_duplicated, hence duplicated), the
# place given twice (overbooked), the refused confirmation (failed_requests), its registration
# then without an answer and the registration without its history row (half_written: 2), the
# message from outside the outbox (unknown_messages); errors is the sum of its parts: 4.
BURST_FAULTS = {
    "half_written": 2, "failed_requests": 1, "left_waiting": 0, "mail_lost": 1,
    "mail_duplicated": 1, "unknown_messages": 1, "tracebacks_logged": 0,
    "lost": 1, "duplicated": 1, "overbooked": 1, "errors": 4,
}  # fmt: skip


def put_faults(form, prefix, half_written=True):
    """Once the run is over, before the counts: a place given twice, a message dropped, one
    sent twice, one that the outbox never held and (with `half_written`) a registration
    without its history row. The person whose confirmation is refused is the bench's own
    doing (Person.forged)."""
    assert give_a_place_twice(form["sessions"][0]), "nobody waited for the full workshop"
    if half_written:
        assert half_write(prefix), "no registration to half-write"
    send_twice()
    send_a_stranger()
    drop_a_message()
    print("self-test: put in 1 refused confirmation, 1 place given twice, 1 message dropped, "
          "1 sent twice, 1 unknown to the outbox"
          + (", 1 registration without its history row" if half_written else ""))  # fmt: skip


if __name__ == "__main__" and sys.argv[1:2] == ["smtp"]:
    parser = argparse.ArgumentParser()
    parser.add_argument("smtp")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    options = parser.parse_args()
    serve_mail(options.port, options.log)
