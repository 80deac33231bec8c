"""Recording what was received on an invoice (a transfer, a mandat administratif, a cheque,
cash at the desk), and cancelling a payment recorded by mistake. The pages, the bank
statement's matches and, later, a card provider's notice all record through here.

A payment is never more than what remains due on the invoice (what it bills, less its credit
notes and the payments already received) unless the caller says the organiser confirmed an
overpayment (`allow_overpayment`): a payer who paid twice, or more than asked, is then
visible on the invoice as an amount to refund. Each payment is in the history of every
registration the invoice bills."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from rencontres.registration.services import log

from . import selectors
from .models import Invoice, Payment


class CannotRecord(Exception):
    """Why a payment cannot be recorded, as a code the page words (see `reason`)."""

    def __init__(self, reason, due_cents=0):
        super().__init__(reason)
        self.reason = reason
        self.due_cents = due_cents


def already(nonce):
    return Payment.objects.filter(nonce=nonce).first() if nonce else None


def locked(invoice):
    """The invoice again, its row locked until the transaction ends (two payments recorded at
    once never both take what remains due), with its credit notes and payments."""
    Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").first()
    return selectors.with_credit_notes(Invoice.objects.filter(pk=invoice.pk)).get()


def record_payment(
    invoice, *, amount_cents, method, received_on, actor, reference="", note="",
    statement_line=None, allow_overpayment=False, nonce=None, provider="",
    provider_reference="",
):  # fmt: skip
    """Record a payment of `amount_cents` on `invoice`. Raises CannotRecord ("not_positive",
    "nothing_billed", "overpayment" with what is due, "currency", "line_used", "line_amount":
    a statement line's payment is its amount). The same `nonce` (a form sent twice) returns
    the first payment instead of a second one (without `just_recorded`)."""
    found = already(nonce)
    if found:
        return found
    if amount_cents <= 0:
        raise CannotRecord("not_positive")
    try:
        with transaction.atomic():
            invoice = locked(invoice)
            if invoice.owed_cents <= 0:
                raise CannotRecord("nothing_billed")
            if statement_line is not None:
                if statement_line.currency != invoice.currency:
                    raise CannotRecord("currency")
                if statement_line.payments.filter(cancelled_at__isnull=True).exists():
                    raise CannotRecord("line_used")
                if amount_cents != statement_line.amount_cents:  # the line is what was received
                    raise CannotRecord("line_amount")
            due = invoice.due_cents
            if amount_cents > due and not allow_overpayment:
                raise CannotRecord("overpayment", due_cents=due)
            payment = Payment.objects.create(
                invoice=invoice, amount_cents=amount_cents, currency=invoice.currency,
                method=method, received_on=received_on, reference=reference[:200],
                note=note[:300], recorded_by=actor, statement_line=statement_line,
                provider=provider, provider_reference=provider_reference, nonce=nonce,
            )  # fmt: skip
            payment.just_recorded = True  # not the first one found again by its nonce
            for registration in invoice.registrations.all():
                log(registration, "payment_recorded", actor=actor, invoice=invoice.number,
                    amount_cents=amount_cents, method=method)  # fmt: skip
    except IntegrityError:
        found = already(nonce)
        if found:  # the same form, sent twice at once
            return found
        if statement_line is not None:  # the same line, confirmed twice at once
            raise CannotRecord("line_used") from None
        raise
    return payment


def cancel_payment(payment, *, actor, reason):
    """Cancel a payment recorded by mistake: it stays (and the journal shows it taken back),
    but counts no more. False when it was cancelled already (a second click)."""
    reason = " ".join(str(reason or "").split())[:300]
    with transaction.atomic():
        invoice = locked(payment.invoice)
        cancelled = Payment.objects.filter(pk=payment.pk, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now(), cancelled_by=actor, cancel_reason=reason
        )
        if cancelled:
            for registration in invoice.registrations.all():
                log(registration, "payment_cancelled", actor=actor, invoice=invoice.number,
                    amount_cents=payment.amount_cents, reason=reason)  # fmt: skip
    return bool(cancelled)
