"""Payments and the invoice's state: one rule (Invoice.state) says unpaid, partly paid, paid or
overdue from the total, the credit notes and the payments; a payment never exceeds what is
due unless the organiser confirms it; the same form sent twice records once; a payment
cancelled counts no more; each is in the history and the journal."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from rencontres.invoicing import services
from rencontres.invoicing.models import Invoice, Payment
from rencontres.invoicing.payments import CannotRecord, cancel_payment, record_payment
from rencontres.models import AuditEntry

from .factories import fee, invoiced_person

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2027, 1, 10)  # due 30 days later: 9 February
DUE = ISSUED + datetime.timedelta(days=30)


@pytest.fixture
def organiser():
    return User.objects.create_superuser("olga", "olga@example.org", "pw")


def issued(quantity=2, edition=None):
    """An invoice of `quantity` × 150 € to a French commune, issued on 10 January 2027."""
    registration, payer = invoiced_person(edition)
    return services.issue_invoice(registration.edition, payer, [registration],
                                  [fee(quantity=quantity)], actor=None,
                                  today=ISSUED)  # fmt: skip


def fresh(invoice):
    from rencontres.invoicing.selectors import with_credit_notes

    return with_credit_notes(Invoice.objects.filter(pk=invoice.pk)).get()


def pay(invoice, cents, **options):
    return record_payment(invoice, amount_cents=cents, method=Payment.Method.TRANSFER,
                          received_on=ISSUED, actor=None, **options)  # fmt: skip


def test_an_invoice_is_unpaid_then_partly_paid_then_paid():
    invoice = issued()
    assert fresh(invoice).state(ISSUED) == Invoice.State.UNPAID
    pay(invoice, 10000)
    invoice = fresh(invoice)
    assert (invoice.paid_cents, invoice.due_cents) == (10000, 20000)
    assert invoice.state(ISSUED) == Invoice.State.PARTLY_PAID
    pay(invoice, 20000)
    assert fresh(invoice).state(ISSUED) == Invoice.State.PAID
    assert fresh(invoice).state(DUE + datetime.timedelta(days=90)) == Invoice.State.PAID


def test_an_invoice_not_fully_paid_after_its_due_date_is_overdue():
    invoice = issued()
    assert fresh(invoice).state(DUE) == Invoice.State.UNPAID  # the due date itself is in time
    assert fresh(invoice).state(DUE + datetime.timedelta(days=1)) == Invoice.State.OVERDUE
    pay(invoice, 10000)
    assert fresh(invoice).state(DUE + datetime.timedelta(days=1)) == Invoice.State.OVERDUE


def test_a_credit_note_reduces_what_is_due():
    invoice = issued()
    services.issue_credit_note(invoice, actor=None, reason="Un jour de moins", lines=[fee()])
    pay(invoice, 15000)
    invoice = fresh(invoice)
    assert (invoice.owed_cents, invoice.due_cents) == (15000, 0)
    assert invoice.state(DUE + datetime.timedelta(days=1)) == Invoice.State.PAID


def test_an_invoice_wholly_credited_is_cancelled_and_takes_no_payment():
    invoice = issued()
    services.issue_credit_note(invoice, actor=None, reason="Annulation")
    assert fresh(invoice).state() == Invoice.State.CANCELLED
    with pytest.raises(CannotRecord) as refused:
        pay(invoice, 100)
    assert refused.value.reason == "nothing_billed"


def test_a_payment_above_what_is_due_is_refused_unless_confirmed():
    invoice = issued()
    pay(invoice, 25000)
    with pytest.raises(CannotRecord) as refused:
        pay(invoice, 10000)
    assert (refused.value.reason, refused.value.due_cents) == ("overpayment", 5000)
    pay(invoice, 10000, allow_overpayment=True)
    invoice = fresh(invoice)
    assert (invoice.state(), invoice.due_cents, invoice.overpaid_cents) == ("paid", 0, 5000)


def test_the_same_nonce_records_one_payment():
    invoice = issued()
    first = pay(invoice, 5000, nonce="payment-" + "a" * 32)
    again = pay(invoice, 5000, nonce="payment-" + "a" * 32)
    assert first == again and Payment.objects.count() == 1


def test_a_cancelled_payment_counts_no_more_and_is_in_the_history():
    invoice = issued()
    payment = pay(invoice, 30000)
    assert cancel_payment(payment, actor=None, reason="Mauvaise facture") is True
    assert cancel_payment(payment, actor=None, reason="Again") is False
    invoice = fresh(invoice)
    assert (invoice.state(ISSUED), invoice.due_cents) == ("unpaid", 30000)
    person = invoice.registrations.get()
    actions = list(person.events.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["payment_recorded", "payment_cancelled"]
    assert person.events.get(action="payment_recorded").details == {
        "invoice": invoice.number, "amount_cents": 30000, "method": "transfer",
    }  # fmt: skip


# The pages ---------------------------------------------------------------------------------


def page(invoice, suffix=""):
    return f"/en/organiser/{invoice.edition.number}/invoices/{invoice.pk}/{suffix}"


def form(client, invoice, **fields):
    nonce = client.get(page(invoice, "payment/")).context["form"].initial["nonce"]
    data = {"amount": "100", "method": "transfer", "received_on": "2026-11-20",
            "reference": "VIR SEPA LYON", "note": "", "nonce": nonce, **fields}  # fmt: skip
    return client.post(page(invoice, "payment/"), data)


def test_an_organiser_records_a_payment_and_the_invoice_says_partly_paid(client, organiser):
    invoice = issued()
    client.force_login(organiser)
    response = client.get(page(invoice, "payment/"))
    assert response.context["form"]["amount"].value() == "300.00"  # what is due
    response = form(client, invoice)
    assert response.status_code == 302 and response["Location"].endswith(page(invoice))
    payment = Payment.objects.get()
    assert (payment.amount_cents, payment.recorded_by, payment.reference) == (
        10000, organiser, "VIR SEPA LYON",
    )  # fmt: skip
    shown = client.get(page(invoice)).content.decode()
    assert "Partly paid" in shown and "VIR SEPA LYON" in shown
    entry = AuditEntry.objects.get(action="payment_recorded")
    assert entry.details == {"payment": payment.pk, "invoice": invoice.pk}


def test_a_double_click_records_the_payment_once(client, organiser):
    invoice = issued()
    client.force_login(organiser)
    nonce = client.get(page(invoice, "payment/")).context["form"].initial["nonce"]
    data = {"amount": "100", "method": "cheque", "received_on": "2026-11-20", "nonce": nonce}
    assert client.post(page(invoice, "payment/"), data).status_code == 302
    assert client.post(page(invoice, "payment/"), data).status_code == 302
    assert Payment.objects.count() == 1
    assert AuditEntry.objects.filter(action="payment_recorded").count() == 1


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"amount": "abc"}, "amount", "Enter an amount"),
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount": "400"}, "amount", "more than the €300.00 still due"),
        ({"received_on": "2999-01-01"}, "received_on", "in the future"),
        ({"received_on": "31/31/2027"}, "received_on", "valid date"),
        ({"method": "card"}, "method", "Select a valid choice"),
    ],
)
def test_wrong_input_is_said_next_to_its_field(client, organiser, fields, field, words):
    invoice = issued()
    client.force_login(organiser)
    response = form(client, invoice, **fields)
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert not Payment.objects.exists()


def test_an_overpayment_is_recorded_once_the_organiser_ticks_it(client, organiser):
    invoice = issued()
    client.force_login(organiser)
    response = form(client, invoice, amount="400")
    assert 'name="overpayment"' in response.content.decode()  # the box shows now
    response = form(client, invoice, amount="400", overpayment="on")
    assert response.status_code == 302
    shown = client.get(page(invoice)).content.decode()
    assert "Paid" in shown and "€100.00" in shown  # to refund


def test_an_organiser_cancels_a_payment_with_a_reason(client, organiser):
    invoice = issued()
    payment = pay(invoice, 30000)
    client.force_login(organiser)
    url = f"/en/organiser/{invoice.edition.number}/invoices/payments/{payment.pk}/cancel/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert client.post(url, {"reason": "Chèque rejeté"}).status_code == 302
    payment.refresh_from_db()
    assert (payment.counts, payment.cancel_reason, payment.cancelled_by) == (
        False, "Chèque rejeté", organiser,
    )  # fmt: skip


def test_the_state_shows_on_the_list_with_its_filter_the_person_page_and_the_payer_page(
    client, organiser
):
    paid = issued()
    unpaid = issued(edition=paid.edition)
    pay(paid, 30000)
    client.force_login(organiser)
    base = f"/en/organiser/{paid.edition.number}/invoices/"
    listed = client.get(base + "?state=paid").context["page"].object_list
    assert [invoice.number for invoice in listed] == [paid.number]
    listed = client.get(base + "?state=unpaid").context["page"].object_list
    assert [invoice.number for invoice in listed] == [unpaid.number]
    person = paid.registrations.get()
    shown = client.get(reverse("backoffice:registration", args=[paid.edition.number, person.pk]))
    assert "Paid" in shown.content.decode()
    history = shown.context["history"][0]
    assert history["label"] == "Payment recorded"
    assert history["details"] == {"invoice": paid.number, "amount": "€300.00",
                                  "how": "Bank transfer"}  # fmt: skip
    own = client.get(reverse("invoicing:payer", args=[person.public_id, person.secret]))
    assert "Paid in full" in own.content.decode()
    other = unpaid.registrations.get()
    own = client.get(reverse("invoicing:payer", args=[other.public_id, other.secret]))
    assert "Still due: €300.00" in own.content.decode()


def test_the_journal_has_the_payments_in_their_own_column(client, organiser):
    invoice = issued()
    payment = pay(invoice, 10000)
    cancel_payment(payment, actor=None, reason="Erreur")
    pay(invoice, 12000)
    client.force_login(organiser)
    content = client.get(f"/fr/organiser/{invoice.edition.number}/invoices/journal.csv").content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[15:] == ["Montant reçu", "Moyen de paiement", "Référence du paiement"]
    documents = sorted((row[2], row[3], row[12], row[15]) for row in body)
    assert documents == [
        ("Facture", "", "300,00", ""),
        ("Paiement", invoice.number, "", "100,00"),
        ("Paiement", invoice.number, "", "120,00"),
        ("Paiement annulé", invoice.number, "", "-100,00"),  # on the day it was cancelled
    ]
