"""Compose, queue and send e-mails. Queuing happens inside the caller's transaction; sending
happens after it commits, in a background task, so a mail server outage delays mail but loses
none and never fails the action that wrote it."""

import contextlib
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from rencontres.privacy.registry import ERASED_EMAIL_DOMAIN

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# Waits between attempts: 1 min, 5 min, 15 min, 1 h, then every 3 h, up to MAX_ATTEMPTS.
BACKOFF = [60, 300, 900, 3600, 10800]
MAX_ATTEMPTS = 12
# A message claimed by a worker that died is retried after this long.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


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
    subject, text, html = render_email(template, context, language)
    email = OutgoingEmail.objects.create(
        recipient=recipient,
        language=language,
        template=template,
        context=context,
        subject=subject,
        body_text=text,
        body_html=html,
        attachments=list(attachments),
        registration=registration,
    )
    transaction.on_commit(schedule_sending)
    return email


def schedule_sending(delay=None):
    from .tasks import send_outbox

    task = send_outbox
    if delay:
        if not task.get_backend().supports_defer:
            return  # retried by the next queued e-mail or `manage.py send_outbox`
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    try:
        task.enqueue()
    except Exception:  # the outbox keeps the mail; `manage.py send_outbox` or the next queue
        logger.exception("Could not schedule sending of the outbox")


def claim_due(limit):
    """Mark up to `limit` due e-mails as being sent by this worker, and return them."""
    now = timezone.now()
    with transaction.atomic():
        due = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        ids = list(due.values_list("pk", flat=True))
        stale = OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
        )
        ids += list(stale.values_list("pk", flat=True)[: max(0, limit - len(ids))])
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=OutgoingEmail.Status.SENDING, claimed_at=now
        )
    return list(OutgoingEmail.objects.filter(pk__in=ids).order_by("pk"))


def deliver(email, connection):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.recipient],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    message.send()


def send_due_emails(limit=100):
    """Send what is due; return (sent, failed). Failures are retried later with backoff."""
    from django.core.mail import get_connection

    emails = claim_due(limit)
    if not emails:
        return 0, 0
    sent = failed = 0
    connection = get_connection()
    try:
        for email in emails:
            try:
                deliver(email, connection)
            except Exception as error:
                failed += 1
                record_failure(email, error)
            else:
                sent += 1
                OutgoingEmail.objects.filter(pk=email.pk).update(
                    status=OutgoingEmail.Status.SENT,
                    sent_at=timezone.now(),
                    attempts=email.attempts + 1,
                    last_error="",
                )
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            connection.close()
    if failed:
        retry_in = min(
            OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING)
            .exclude(next_attempt_at__lte=timezone.now())
            .values_list("next_attempt_at", flat=True)
            .order_by("next_attempt_at")[:1],
            default=None,
        )
        if retry_in:
            schedule_sending(max(1, (retry_in - timezone.now()).total_seconds()))
    return sent, failed


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
    )
