"""Invoices issued at the same instant, on PostgreSQL: a hundred get a hundred consecutive
numbers, none twice and none skipped; credit notes at once never take back more than was
invoiced, nor payments at once take more than is due."""

import pytest

from rencontres.invoicing import services
from rencontres.invoicing.models import CreditNote, Invoice, Sequence
from rencontres.registration.tests.test_concurrency import all_at_once

from .factories import fee, invoiced_person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def test_a_hundred_invoices_issued_at_once_get_a_hundred_consecutive_numbers():
    registration, payer = invoiced_person()
    edition = registration.edition
    invoices = all_at_once(
        lambda _: services.issue_invoice(edition, payer, [registration], [fee()], actor=None),
        range(100),
    )
    sequences = sorted(invoice.sequence for invoice in invoices)
    assert sequences == list(range(1, 101))
    assert Invoice.objects.count() == 100
    assert len({invoice.number for invoice in Invoice.objects.all()}) == 100
    assert Sequence.objects.get(series="F").last == 100


def test_credit_notes_at_once_never_take_back_more_than_was_invoiced():
    registration, payer = invoiced_person()
    invoice = services.issue_invoice(
        registration.edition, payer, [registration], [fee(quantity=5)], actor=None
    )

    def take_back_one(_):
        try:
            return services.issue_credit_note(invoice, actor=None, reason="One less", lines=[fee()])
        except services.InvalidLines:
            return None

    notes = [note for note in all_at_once(take_back_one, range(20)) if note is not None]
    assert len(notes) == 5
    assert sorted(note.sequence for note in notes) == [1, 2, 3, 4, 5]
    assert sum(CreditNote.objects.values_list("gross_cents", flat=True)) == invoice.gross_cents


def test_payments_recorded_at_once_never_take_more_than_is_due():
    """Twenty organisers record 100 € at the same instant on an invoice that owes 500 €:
    five are recorded, the others are told it is more than what remains."""
    from rencontres.invoicing.models import Payment
    from rencontres.invoicing.payments import CannotRecord, record_payment

    registration, payer = invoiced_person()
    invoice = services.issue_invoice(
        registration.edition, payer, [registration], [fee(unit_cents=10000, quantity=5)],
        actor=None,
    )  # fmt: skip

    def pay(_):
        try:
            return record_payment(invoice, amount_cents=10000, method=Payment.Method.TRANSFER,
                                  received_on=invoice.issued_on, actor=None)  # fmt: skip
        except CannotRecord as refused:
            assert refused.reason == "overpayment"
            return None

    payments = [payment for payment in all_at_once(pay, range(20)) if payment is not None]
    assert len(payments) == 5
    assert sum(Payment.objects.values_list("amount_cents", flat=True)) == invoice.gross_cents
    assert registration.events.filter(action="payment_recorded").count() == 5
