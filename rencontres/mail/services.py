"""Compose, queue and send e-mails. Queuing happens inside the caller's transaction; sending
happens after it commits, in a background task, so a mail server outage delays mail but loses
none and never fails the action that wrote it.

Delivery is at least once, and twice only in one narrow case: a worker sends a message
(the server has answered 250 to its DATA) and dies before recording it as sent; the message is
sent again when its claim runs out (CLAIM_TIMEOUT). The copy carries the same Message-ID, so
it is recognisable. Everything else is once:
- a worker claims messages (status "sending", claimed_at) under a row lock that other workers
  skip, so two workers never claim one message;
- before each message it renews its claim and gives the message up if another worker took it
  over (its claim ran out during a slow batch);
- a message counts as sent once the server accepted its DATA: a connection that breaks while
  closing (QUIT) does not send it again;
- the database gone while a worker sends (a restart): the worker holds on to its claims and to
  what it has sent, writes it down once the database is back, and goes on (for up to
  CLAIM_TIMEOUT: past it, other workers may take the messages over).

After an outage of the mail server, the first message it takes again brings what waited for it
forward (server_is_back): it all goes within seconds, not at each message's backoff (minutes to
hours later). The webhooks' queue does the same for a receiver that comes back
(api.webhooks.record); the two stay parallel, each with its own rows and its own idea of who
was away (here the one SMTP server of the settings, there a subscription).
"""

import contextlib
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from rencontres import background
from rencontres.database import holding_on
from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# Waits between attempts: 1 min, 5 min, 15 min, 1 h, then every 3 h, up to MAX_ATTEMPTS.
BACKOFF = [60, 300, 900, 3600, 10800]
MAX_ATTEMPTS = 12
# A message claimed by a worker that died is retried after this long.
CLAIM_TIMEOUT = datetime.timedelta(seconds=settings.MAIL_CLAIM_SECONDS)


def render_email(template, context, language):
    """(subject, text, html) from templates/mail/<template>.{subject.txt,txt,html}."""
    with translation.override(language):
        context = {**context, "brand": settings.BRAND, "language": language}
        subject = render_to_string(f"mail/{template}.subject.txt", context).strip()
        text = render_to_string(f"mail/{template}.txt", context).strip() + "\n"
        html = render_to_string(f"mail/{template}.html", context)
    return " ".join(subject.split()), text, html


def queue_email(recipient, template, context, language, registration=None, attachments=()):
    """Store an e-mail in the outbox and have it sent once the current transaction commits."""
    if recipient.endswith(f"@{ERASED_EMAIL_DOMAIN}"):
        return None  # an erased person (a mailing to a past edition's list): nobody to write to
    email = OutgoingEmail.objects.create(
        **email_fields(recipient, template, context, language, registration, attachments)
    )
    transaction.on_commit(schedule_sending)
    return email


def email_fields(recipient, template, context, language, registration=None, attachments=()):
    """The outbox row's fields for an e-mail, rendered (queue_email stores them; the demo
    writes many rows at once, as sent)."""
    subject, text, html = render_email(template, context, language)
    return {
        "recipient": recipient,
        "language": language,
        "template": template,
        "context": context,
        "subject": subject,
        "body_text": text,
        "body_html": html,
        "attachments": list(attachments),
        "registration": registration,
    }


def send_again(email, recipient, **content):
    """Queue a message that failed for good once more, to `recipient` (the address may have
    been corrected since), with `content` (subject, body_text, body_html, context) where it
    was composed again. False when it had not failed (sent meanwhile, or a second click)."""
    updated = OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.FAILED).update(
        status=OutgoingEmail.Status.PENDING,
        recipient=recipient,
        attempts=0,
        last_error="",
        next_attempt_at=timezone.now(),
        claimed_at=None,
        **content,
    )
    if updated:
        transaction.on_commit(schedule_sending)
    return bool(updated)


SEND_OUTBOX = "rencontres.mail.tasks.send_outbox"


def schedule_sending(delay=None):
    # Without a backend that can wait, a retry is sent by the next queued e-mail or
    # `manage.py send_outbox`.
    after = timezone.now() + datetime.timedelta(seconds=delay) if delay else None
    try:
        background.enqueue(SEND_OUTBOX, after=after)
    except Exception:  # the outbox keeps the mail; `manage.py send_outbox` or the next queue
        logger.exception("Could not schedule sending of the outbox")


def claim_due(limit):
    """Mark up to `limit` due e-mails as being sent by this worker, and return them.

    Due: waiting and their time has come, or claimed by a worker whose claim ran out (it died).
    Rows another worker is claiming at this instant are skipped, not waited for."""
    now = timezone.now()
    with transaction.atomic():
        due = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)
                | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
            )
            .order_by("next_attempt_at", "pk")[:limit]
        )
        ids = list(due.values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=OutgoingEmail.Status.SENDING, claimed_at=now
        )
    return list(OutgoingEmail.objects.filter(pk__in=ids).order_by("pk"))


def renew_claim(email):
    """Extend this worker's claim on `email`; False when another worker has taken it over."""
    now = timezone.now()
    renewed = OutgoingEmail.objects.filter(
        pk=email.pk, status=OutgoingEmail.Status.SENDING, claimed_at=email.claimed_at
    ).update(claimed_at=now)
    email.claimed_at = now
    return bool(renewed)


class ServerUnreachable(Exception):
    """No conversation with the mail server could be opened (down, refusing connections, TLS or
    login failing): no message could go, whatever it holds. A message that fails once the
    conversation is open (refused, or the connection dropped while it was sent: it may be the
    message's doing) is not waiting for the server, and keeps its backoff when the server
    takes others: a message that makes the server hang up is not sent again at each success."""


def deliver(email, connection):
    """Send `email` over `connection` (opened if need be, left open for the next message);
    ServerUnreachable when it could not be opened."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.recipient],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated", "Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    # Opened here, the connection is not closed by send(): a failure while closing comes after
    # the server accepted the message, and must not make it count as failed (and sent again).
    try:
        connection.open()
    except Exception as error:
        raise ServerUnreachable(f"{type(error).__name__}: {error}") from error
    message.send()


def close_quietly(connection):
    with contextlib.suppress(Exception):  # closing a broken connection may fail too
        connection.close()


def send_due_emails(limit=100):
    """Send what is due; return (sent, failed). Failures are retried later with backoff."""
    sent, failed = send_claimed(claim_due(limit))
    schedule_next_attempt()
    return sent, failed


def send_claimed(emails):
    """Send e-mails this worker claimed; return (sent, failed)."""
    from django.core.mail import get_connection

    sent = failed = 0
    connection = get_connection()
    hold = {"give_up_after": CLAIM_TIMEOUT.total_seconds()}
    # Whether the next message the server takes may end an outage: the run's first (earlier
    # runs may have failed to reach it), and the first after this run could not reach it.
    may_be_back = True
    try:
        for email in emails:
            if not holding_on(renew_claim, email, **hold):
                continue
            try:
                deliver(email, connection)
            except Exception as error:
                failed += 1
                holding_on(record_failure, email, error, **hold)
                may_be_back = may_be_back or isinstance(error, ServerUnreachable)
                close_quietly(connection)  # the next message starts a fresh conversation
            else:
                sent += 1
                # Sent is sent: written down even if the database is away at this instant.
                holding_on(record_sent, email, **hold)
                if may_be_back:
                    holding_on(server_is_back, **hold)
                    may_be_back = False
    finally:
        close_quietly(connection)
    return sent, failed


def record_sent(email):
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        attempts=email.attempts + 1,
        last_error="",
    )


def server_is_back():
    """The mail server took a message: what waits for a retry because it could not be reached
    is due now, not at its backoff, and goes with the next run (schedule_next_attempt wakes
    the worker for it at once). Only the waiting time changes: each message is claimed like
    any due one, with its own Message-ID. Returns how many were brought forward."""
    now = timezone.now()
    return OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.PENDING, waits_for_server=True, next_attempt_at__gt=now
    ).update(next_attempt_at=now, waits_for_server=False)


def schedule_next_attempt():
    """Wake the worker when the next waiting message is due (at once if some are due already:
    this run stopped at its batch's limit), or when the claim of one held by another worker
    runs out (that worker may have died), whatever this run did: otherwise these would wait
    for the next queued e-mail (or cron)."""
    now = timezone.now()
    Status = OutgoingEmail.Status
    times = OutgoingEmail.objects.aggregate(
        retry=Min("next_attempt_at", filter=Q(status=Status.PENDING)),
        claim=Min("claimed_at", filter=Q(status=Status.SENDING)),
    )
    due = [at for at in (times["retry"], times["claim"] and times["claim"] + CLAIM_TIMEOUT) if at]
    if due and not wake_up_scheduled(max(now, min(due))):
        schedule_sending(max(1, (min(due) - now).total_seconds()))


def wake_up_scheduled(before):
    """Whether a sending task already waits to run by `before` (see background.runs_by)."""
    return background.runs_by(SEND_OUTBOX, before)


def record_failure(email, error):
    attempts = email.attempts + 1
    # Ids only: the address (and the error, which may quote it) stay in the outbox row.
    logger.warning("E-mail %s failed (attempt %s): %s", email.pk, attempts, type(error).__name__)
    wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED
        if attempts >= MAX_ATTEMPTS
        else OutgoingEmail.Status.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=wait),
        waits_for_server=isinstance(error, ServerUnreachable),
    )
