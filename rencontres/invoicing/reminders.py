"""Reminders for overdue invoices, on the schedule each edition's organisers set (days after
the due date, e.g. 7 and 30): once a day the worker (tasks.send_payment_reminders, or
`manage.py send_payment_reminders` from cron) queues, through the outbox, the reminder of
each overdue invoice whose next step has come, in the invoice's language, with its number,
what remains due, the due date and the payer's private link to their invoices.

At most one reminder per invoice and step (a unique row, written with the e-mail in one
transaction), and only the latest step that has come: an invoice 40 days late when the
schedule is set to "7, 30" gets the 30-day reminder, not both. Each reminder is in the
history of every registration the invoice bills."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from rencontres.mail.services import queue_email
from rencontres.privacy.registry import is_erased
from rencontres.registration.services import log
from rencontres.registration.services.messages import absolute

from . import selectors
from .models import Invoice, PaymentReminder, ReminderSchedule

logger = logging.getLogger(__name__)

MAX_STEPS = 6
MAX_DAYS = 365


def schedule_of(edition):
    """The edition's steps (days after the due date, smallest first); [] for none."""
    found = ReminderSchedule.objects.filter(edition=edition).first()
    return sorted(found.days) if found else []


def set_schedule(edition, days, actor):
    days = sorted(set(days))
    ReminderSchedule.objects.update_or_create(
        edition=edition, defaults={"days": days, "updated_by": actor}
    )
    return days


def step_due(invoice, steps, today):
    """The step whose reminder `invoice` should get today, or None: the latest step that has
    come, unless it (or a later one) was sent already."""
    if invoice.state(today) != Invoice.State.OVERDUE:
        return None
    late = (today - invoice.due_on).days
    come = [step for step in steps if step <= late]
    if not come:
        return None
    step = max(come)
    if any(reminder.step >= step for reminder in invoice.reminders.all()):
        return None
    return step


def due_reminders(edition, today=None):
    """[(invoice, step)] of the reminders `edition`'s schedule asks for today."""
    today = today or timezone.localdate()
    steps = schedule_of(edition)
    if not steps:
        return []
    invoices = selectors.with_credit_notes(
        Invoice.objects.filter(edition=edition, due_on__lte=today - datetime.timedelta(steps[0]))
    ).prefetch_related("reminders")
    found = []
    for invoice in invoices:
        step = step_due(invoice, steps, today)
        if step is not None:
            found.append((invoice, step))
    return found


def send_due_reminders(today=None):
    """Queue every reminder due today, in every edition with a schedule. Returns how many."""
    today = today or timezone.localdate()
    sent = 0
    for schedule in ReminderSchedule.objects.exclude(days=[]).select_related("edition"):
        for invoice, step in due_reminders(schedule.edition, today):
            if send_reminder(invoice, step, today):
                sent += 1
    return sent


def recipient_of(invoice):
    """(address, registration): the invoice's e-mail for invoices, else its payer's own
    address; the registration whose private link shows the invoice (None once erased)."""
    billed = [person for person in invoice.registrations.order_by("pk") if not is_erased(person)]
    payer = invoice.payer.registration if invoice.payer_id else None
    if payer is not None and is_erased(payer):
        payer = None
    # The payer's link lists the invoices billing that registration: the payer's own when the
    # invoice bills it (a head paying for their delegation is billed with it), else a member's.
    shown = payer if payer in billed else (billed[0] if billed else None)
    fallback = payer or shown
    return invoice.buyer_email or (fallback.email if fallback else ""), shown


def send_reminder(invoice, step, today):
    """Queue the reminder of `invoice` for `step`, with its row and history lines, in one
    transaction. False when there is nothing to send (paid meanwhile, no address, or sent by
    another worker at the same moment)."""
    try:
        with transaction.atomic():
            Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").first()
            invoice = (
                selectors.with_credit_notes(Invoice.objects.filter(pk=invoice.pk))
                .select_related("edition", "payer__registration")
                .prefetch_related("reminders")
                .get()
            )
            if step_due(invoice, [step], today) != step:
                return False
            address, registration = recipient_of(invoice)
            if not address:
                logger.info("invoice %s: no address to send its reminder to", invoice.pk)
                return False
            email = queue_email(address, "payment_reminder", context(invoice, registration, today),
                                invoice.language, registration=registration)  # fmt: skip
            PaymentReminder.objects.create(
                invoice=invoice, step=step, due_cents=invoice.due_cents, email=email
            )
            for person in invoice.registrations.all():
                log(person, "payment_reminder_sent", invoice=invoice.number, days=step,
                    amount_cents=invoice.due_cents)  # fmt: skip
    except IntegrityError:  # another worker sent this step meanwhile
        return False
    return True


def context(invoice, registration, today):
    """What the e-mail says, as plain values in the invoice's language (kept in the outbox)."""
    language = invoice.language
    edition = invoice.edition
    with translation.override(language):
        link = ""
        if registration is not None:
            link = absolute(
                reverse("invoicing:payer", args=[registration.public_id, registration.secret])
            )
        return {
            "number": invoice.number,
            "buyer": invoice.buyer_name,
            "issued_on": formats.date_format(invoice.issued_on, "DATE_FORMAT"),
            "due_on": formats.date_format(invoice.due_on, "DATE_FORMAT"),
            "days_late": (today - invoice.due_on).days,
            "total": invoice.amount(invoice.gross_cents, language),
            "paid": invoice.amount(invoice.paid_cents, language) if invoice.paid_cents else "",
            "due": invoice.amount(invoice.due_cents, language),
            "iban": invoice.seller.get("iban", ""),
            "bic": invoice.seller.get("bic", ""),
            "seller": invoice.seller.get("name", ""),
            "seller_email": invoice.seller.get("email", ""),
            "edition_title": getattr(edition, f"title_{language}", "") or edition.title_fr,
            "link": link,
        }
