"""A mail server outage delays mail but loses none, and nothing is sent twice."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from rencontres.mail.models import OutgoingEmail
from rencontres.mail.services import MAX_ATTEMPTS, queue_email, send_due_emails
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import form_data, open_edition

pytestmark = pytest.mark.django_db


class DownBackend(EmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def make_due():
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())


def test_registrations_succeed_while_the_mail_server_is_down_and_mail_follows(client, settings):
    edition = open_edition()
    settings.EMAIL_BACKEND = "rencontres.mail.tests.test_outbox.DownBackend"
    for number in range(3):
        response = client.post("/en/register/", form_data(edition, email=f"p{number}@example.org"))
        assert response.status_code == 302
    assert send_due_emails() == (0, 3)
    assert Registration.objects.count() == 3
    pending = OutgoingEmail.objects.filter(status="pending")
    assert pending.count() == 3
    assert all("mail server down" in email.last_error for email in pending)
    assert all(email.next_attempt_at > timezone.now() for email in pending)  # backing off
    assert send_due_emails() == (0, 0)  # not due yet

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due()
    assert send_due_emails() == (3, 0)
    make_due()
    assert send_due_emails() == (0, 0)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "p0@example.org", "p1@example.org", "p2@example.org"]  # fmt: skip
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("sent", 2)}


def test_a_message_that_keeps_failing_is_marked_failed(settings):
    settings.EMAIL_BACKEND = "rencontres.mail.tests.test_outbox.DownBackend"
    queue_email("a@example.org", "private_link", {"first_name": "A", "edition_title": "X",
                                                  "private_link": "http://x/"}, "en")  # fmt: skip
    for _ in range(MAX_ATTEMPTS):
        make_due()
        send_due_emails()
    email = OutgoingEmail.objects.get()
    assert email.status == "failed" and email.attempts == MAX_ATTEMPTS


def test_a_worker_that_died_mid_send_leaves_the_message_to_be_retried():
    queue_email("a@example.org", "private_link", {"first_name": "A", "edition_title": "X",
                                                  "private_link": "http://x/"}, "en")  # fmt: skip
    OutgoingEmail.objects.update(status="sending", claimed_at=timezone.now()
                                 - datetime.timedelta(hours=1))  # fmt: skip
    assert send_due_emails() == (1, 0)
    assert len(mail.outbox) == 1


def test_the_command_sends_what_is_due(capsys):
    queue_email("a@example.org", "private_link", {"first_name": "A", "edition_title": "X",
                                                  "private_link": "http://x/"}, "en")  # fmt: skip
    call_command("send_outbox")
    assert "sent=1 failed=0" in capsys.readouterr().out
    assert mail.outbox[0].subject == "Your registration link"


def test_plain_text_keeps_names_as_typed():
    queue_email("a@example.org", "private_link", {"first_name": "D'Arcy <b>", "edition_title": "X",
                                                  "private_link": "http://x/"}, "en")  # fmt: skip
    email = OutgoingEmail.objects.get()
    assert "Hello D'Arcy <b>," in email.body_text
    assert "D&#x27;Arcy &lt;b&gt;" in email.body_html
