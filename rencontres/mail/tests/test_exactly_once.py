"""Each message is delivered once: not twice when the connection breaks after the server took
it, nor when a slow worker's claim runs out, nor left waiting when its retry falls due."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils import timezone

from rencontres.mail import services
from rencontres.mail.models import OutgoingEmail
from rencontres.mail.services import claim_due, queue_email, send_claimed, send_due_emails

pytestmark = pytest.mark.django_db

CONTEXT = {"first_name": "A", "edition_title": "X", "private_link": "http://x/"}


def queue(recipient="a@example.org"):
    return queue_email(recipient, "private_link", CONTEXT, "en")


class ServerThatDropsOnQuit:
    """An SMTP conversation in which the server accepts the message, then the connection
    breaks before the goodbye (QUIT) is answered."""

    accepted = []

    def sendmail(self, from_address, recipients, message, *args, **kwargs):
        self.accepted.append(message)
        return {}

    def quit(self):
        raise ConnectionResetError("connection reset by peer")

    def close(self):
        pass


class DropsOnQuitBackend(SMTPBackend):
    def open(self):
        if self.connection:
            return False
        self.connection = ServerThatDropsOnQuit()
        return True


class FailsOnceBackend(MemoryBackend):
    """Records the Message-ID of each attempt; the first attempt fails."""

    message_ids = []

    def send_messages(self, messages):
        self.message_ids.extend(message.message()["Message-ID"] for message in messages)
        if len(self.message_ids) == 1:
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


def test_a_connection_broken_after_the_server_accepted_the_message_does_not_resend_it(settings):
    settings.EMAIL_BACKEND = "rencontres.mail.tests.test_exactly_once.DropsOnQuitBackend"
    ServerThatDropsOnQuit.accepted.clear()
    email = queue()
    assert send_due_emails() == (1, 0)
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert send_due_emails() == (0, 0)
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1
    assert len(ServerThatDropsOnQuit.accepted) == 1


def test_every_attempt_carries_the_same_message_id(settings):
    settings.EMAIL_BACKEND = "rencontres.mail.tests.test_exactly_once.FailsOnceBackend"
    FailsOnceBackend.message_ids.clear()
    email = queue()
    assert send_due_emails() == (0, 1)
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert send_due_emails() == (1, 0)
    first, second = FailsOnceBackend.message_ids
    assert first == second == email.message_id
    assert email.message_id != queue("b@example.org").message_id


def test_a_slow_worker_does_not_send_what_another_took_over_when_its_claim_ran_out():
    queue()
    slow_worker = claim_due(10)
    # Its claim runs out while it is stuck on an earlier message: another worker takes over.
    OutgoingEmail.objects.update(claimed_at=timezone.now() - services.CLAIM_TIMEOUT * 2)
    assert send_due_emails() == (1, 0)
    assert send_claimed(slow_worker) == (0, 0)
    assert len(mail.outbox) == 1


def test_a_message_claimed_by_a_worker_is_not_claimed_again_while_the_claim_holds():
    queue()
    assert len(claim_due(10)) == 1
    assert claim_due(10) == []
    OutgoingEmail.objects.update(claimed_at=timezone.now() - services.CLAIM_TIMEOUT * 2)
    assert len(claim_due(10)) == 1  # the first worker died: the message is sent after all


def test_a_retry_is_scheduled_even_when_the_last_batch_succeeded(monkeypatch):
    waiting = queue("waiting@example.org")
    OutgoingEmail.objects.filter(pk=waiting.pk).update(
        attempts=1, next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    queue("due@example.org")
    scheduled = []
    monkeypatch.setattr(services, "schedule_sending", lambda delay=None: scheduled.append(delay))
    assert send_due_emails() == (1, 0)
    assert len(scheduled) == 1 and 200 < scheduled[0] <= 300


def test_a_message_left_by_a_worker_that_died_wakes_a_worker_when_its_claim_runs_out(
    monkeypatch,
):
    queue()
    claim_due(10)  # and the worker dies
    scheduled = []
    monkeypatch.setattr(services, "schedule_sending", lambda delay=None: scheduled.append(delay))
    assert send_due_emails() == (0, 0)
    assert len(scheduled) == 1
    assert services.CLAIM_TIMEOUT.total_seconds() - 60 < scheduled[0]
    assert scheduled[0] <= services.CLAIM_TIMEOUT.total_seconds()


def test_a_run_that_stops_at_its_batch_limit_wakes_a_worker_for_the_rest(monkeypatch):
    for number in range(3):
        queue(f"p{number}@example.org")
    OutgoingEmail.objects.update(status="pending", sent_at=None)  # tests send at once
    scheduled = []
    monkeypatch.setattr(services, "schedule_sending", lambda delay=None: scheduled.append(delay))
    assert send_due_emails(limit=2) == (2, 0)
    assert scheduled == [1]
    assert send_due_emails(limit=2) == (1, 0)
    assert scheduled == [1]  # nothing left


def test_each_run_adds_no_second_wake_up_for_the_same_retry(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    waiting = queue("waiting@example.org")
    OutgoingEmail.objects.filter(pk=waiting.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    DBTaskResult.objects.all().delete()  # the task queued with the e-mail
    send_due_emails()
    send_due_emails()
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def connection_lost():
    from django.db.utils import OperationalError

    from tests.outage import driver_connection_error

    error = OperationalError("terminating connection due to administrator command")
    error.__cause__ = driver_connection_error()
    return error


@pytest.mark.django_db(transaction=True)  # the worker holds on outside any transaction
def test_a_message_sent_while_the_database_went_away_is_recorded_once_it_is_back(
    settings, monkeypatch
):
    """The server took the message, then the database could not be written (a restart): the
    worker holds on and records it as sent when the database is back, not sent again later."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Queued for a worker (not sent on the spot: no transaction holds the test back here).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first, second = queue("a@example.org"), queue("b@example.org")
    record_sent, renew_claim = services.record_sent, services.renew_claim
    outage = {"record_sent": 1, "renew_claim": 1}

    def away_once(name, real):
        def write(*args):
            if outage[name]:
                outage[name] -= 1
                raise connection_lost()
            return real(*args)

        return write

    monkeypatch.setattr(services, "record_sent", away_once("record_sent", record_sent))
    monkeypatch.setattr(services, "renew_claim", away_once("renew_claim", renew_claim))
    sent, failed = send_claimed(claim_due(10))
    assert (sent, failed) == (2, 0)
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    statuses = OutgoingEmail.objects.filter(pk__in=[first.pk, second.pk]).values_list("status")
    assert set(statuses) == {("sent",)}
    assert send_due_emails() == (0, 0)  # nothing left to send again
