"""When the mail server takes a message again after an outage, what waited for it goes at once,
not at each message's backoff; what the server refused on its own keeps its backoff."""

import datetime
import smtplib
import socket
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.utils import timezone

from rencontres.mail import services
from rencontres.mail.models import OutgoingEmail
from rencontres.mail.services import BACKOFF, queue_email, send_due_emails

pytestmark = pytest.mark.django_db

CONTEXT = {"first_name": "A", "edition_title": "X", "private_link": "http://x/"}


class Server(MemoryBackend):
    """The mail server, as the tests set it: `down` refuses every connection (as SMTP's open()
    does when nothing listens); `refuses` holds recipients it answers with a refusal once
    the conversation is open."""

    down = False
    refuses = set()

    def open(self):
        if Server.down:
            raise ConnectionRefusedError("mail server down")
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & Server.refuses:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


@pytest.fixture
def server(settings):
    settings.EMAIL_BACKEND = "rencontres.mail.tests.test_server_back.Server"
    Server.down, Server.refuses = False, set()
    return Server


@pytest.fixture
def clock():
    """Controlled time for the outbox, moving on only when the test says. It starts a minute
    ahead: a row gets the real time as it is created (the model's default), so a message
    queued is due on the clock at once."""

    class Clock:
        now = timezone.now() + datetime.timedelta(minutes=1)

        def advance(self, seconds):
            self.now += datetime.timedelta(seconds=seconds)

    clock = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now):
        yield clock


@pytest.fixture
def wake_ups(monkeypatch):
    """The delays the worker asked to be woken after (tests run tasks inline: none waits)."""
    delays = []
    monkeypatch.setattr(services, "schedule_sending", lambda delay=None: delays.append(delay))
    return delays


def queue(recipient):
    return queue_email(recipient, "private_link", CONTEXT, "en")


def waiting_times():
    return dict(OutgoingEmail.objects.values_list("recipient", "next_attempt_at"))


def test_the_first_message_taken_after_an_outage_sends_the_others_without_their_backoff(
    server, clock, wake_ups
):
    server.down = True
    for number in range(3):
        queue(f"p{number}@example.org")
    assert send_due_emails() == (0, 3)
    message_ids = {email.pk: email.message_id for email in OutgoingEmail.objects.all()}
    clock.advance(10)  # the server is back, 50 s before their first retry
    server.down = False
    queue("new@example.org")
    assert send_due_emails() == (1, 0)
    times = waiting_times()
    assert [times[f"p{number}@example.org"] for number in range(3)] == [clock.now] * 3  # not +50 s
    assert wake_ups[-1] == 1  # and the worker is woken for them at once
    assert send_due_emails() == (3, 0)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new@example.org", "p0@example.org", "p1@example.org", "p2@example.org"]  # fmt: skip
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
    sent = OutgoingEmail.objects.exclude(recipient="new@example.org")
    assert {email.pk: email.message_id for email in sent} == message_ids  # the same messages
    assert send_due_emails() == (0, 0)  # each sent once


def test_an_smtp_server_that_refuses_connections_is_waited_for(settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    queue("a@example.org")
    assert send_due_emails() == (0, 1)
    email = OutgoingEmail.objects.get()
    assert email.waits_for_server and email.status == "pending"
    assert email.last_error.startswith("ServerUnreachable: ConnectionRefusedError")


def test_a_message_sent_with_no_outage_before_it_changes_no_other_message(server, clock):
    server.refuses = {"nobody@example.org"}
    queue("nobody@example.org")
    queue("early@example.org")
    assert send_due_emails() == (1, 1)
    given_up = queue("given-up@example.org")
    OutgoingEmail.objects.filter(pk=given_up.pk).update(status="failed", attempts=12)
    before = list(OutgoingEmail.objects.order_by("pk").values())
    clock.advance(10)
    queue("a@example.org")
    assert send_due_emails() == (1, 0)
    assert list(OutgoingEmail.objects.exclude(recipient="a@example.org").order_by("pk")
                .values()) == before  # fmt: skip


def test_a_message_refused_by_the_server_keeps_its_backoff_when_the_server_is_back(server, clock):
    server.refuses = {"nobody@example.org"}
    queue("nobody@example.org")
    assert send_due_emails() == (0, 1)
    refused_until = waiting_times()["nobody@example.org"]
    server.down = True
    queue("p0@example.org")
    assert send_due_emails() == (0, 1)
    clock.advance(10)
    server.down = False
    queue("new@example.org")
    assert send_due_emails() == (1, 0)
    times = waiting_times()
    assert times["p0@example.org"] == clock.now
    assert times["nobody@example.org"] == refused_until


def test_a_message_still_failing_after_the_server_is_back_stays_on_its_backoff(server, clock):
    server.down = True
    queue("p0@example.org")
    queue("p1@example.org")
    assert send_due_emails() == (0, 2)
    clock.advance(10)
    server.down = False
    server.refuses = {"p1@example.org"}  # p1 fails again, for a reason of its own
    queue("new@example.org")
    assert send_due_emails() == (1, 0)
    assert send_due_emails() == (1, 1)
    p1 = OutgoingEmail.objects.get(recipient="p1@example.org")
    assert p1.status == "pending" and p1.attempts == 2
    assert p1.next_attempt_at == clock.now + datetime.timedelta(seconds=BACKOFF[1])
    clock.advance(10)
    queue("later@example.org")
    assert send_due_emails() == (1, 0)  # what the server takes next does not bring it back
    p1.refresh_from_db()
    assert p1.next_attempt_at == clock.now - datetime.timedelta(seconds=10) + datetime.timedelta(
        seconds=BACKOFF[1]
    )
