"""Reminders of overdue invoices: the edition's schedule (days after the due date), the latest
step that has come sent once, through the outbox, in the payer's language with the number,
what is due, the due date and the private link; each reminder in the history of the people
billed; the daily task queues itself; nothing for an invoice paid or cancelled."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from rencontres.invoicing import reminders, services
from rencontres.invoicing.models import Payment, PaymentReminder
from rencontres.invoicing.payments import record_payment
from rencontres.mail.models import OutgoingEmail

from .factories import edition_with_invoiced_category, fee, foreign_payer, invoiced_person

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2027, 1, 10)
DUE = ISSUED + datetime.timedelta(days=30)


def late(days):
    return DUE + datetime.timedelta(days=days)


@pytest.fixture
def edition():
    edition = edition_with_invoiced_category()
    reminders.set_schedule(edition, [30, 7], actor=None)
    return edition


def issued(edition, **options):
    registration, payer = invoiced_person(edition, **options)
    return services.issue_invoice(edition, payer, [registration], [fee(quantity=2)], actor=None,
                                  today=ISSUED)  # fmt: skip


def test_the_latest_step_that_has_come_is_sent_once(edition):
    invoice = issued(edition)
    assert reminders.send_due_reminders(late(6)) == 0
    assert reminders.send_due_reminders(late(7)) == 1
    assert reminders.send_due_reminders(late(8)) == 0  # once per step
    assert reminders.send_due_reminders(late(30)) == 1
    assert reminders.send_due_reminders(late(90)) == 0
    assert list(invoice.reminders.order_by("step").values_list("step", flat=True)) == [7, 30]
    assert OutgoingEmail.objects.filter(template="payment_reminder").count() == 2


def test_an_invoice_found_late_gets_one_reminder_not_every_step(edition):
    invoice = issued(edition)
    assert reminders.send_due_reminders(late(40)) == 1
    assert list(invoice.reminders.values_list("step", flat=True)) == [30]
    assert reminders.send_due_reminders(late(41)) == 0


def test_no_reminder_for_a_paid_or_cancelled_invoice_or_without_a_schedule(edition):
    paid, cancelled = issued(edition), issued(edition)
    record_payment(paid, amount_cents=30000, method=Payment.Method.CHEQUE, received_on=ISSUED,
                   actor=None)  # fmt: skip
    services.issue_credit_note(cancelled, actor=None, reason="Annulation")
    assert reminders.send_due_reminders(late(7)) == 0
    unscheduled = edition_with_invoiced_category(number=99)
    issued(unscheduled)
    assert reminders.send_due_reminders(late(30)) == 0


def test_a_partly_paid_invoice_is_reminded_of_what_remains(edition):
    invoice = issued(edition)
    record_payment(invoice, amount_cents=10000, method=Payment.Method.TRANSFER,
                   received_on=ISSUED, actor=None)  # fmt: skip
    reminders.send_due_reminders(late(7))
    email = OutgoingEmail.objects.get(template="payment_reminder")
    assert "200,00" in email.body_text and "100,00" in email.body_text
    assert PaymentReminder.objects.get().due_cents == 20000


def test_the_reminder_is_in_the_payers_language_with_the_number_due_date_and_link(edition):
    french = issued(edition)
    english = issued(edition, payer=foreign_payer)
    reminders.send_due_reminders(late(7))
    by_language = {email.language: email for email in OutgoingEmail.objects.filter(
        template="payment_reminder")}  # fmt: skip
    fr, en = by_language["fr"], by_language["en"]
    assert fr.recipient == "factures@lyon.example.fr"  # the invoice's e-mail for invoices
    assert fr.subject == f"Relance : la facture {french.number} est échue"
    assert "300,00" in fr.body_text and "9 février 2027" in fr.body_text
    person = french.registrations.get()
    assert f"/fr/r/{person.public_id}/{person.secret}/payer/" in fr.body_text
    assert en.subject == f"Reminder: invoice {english.number} is overdue"
    assert "€300.00" in en.body_text and "9 February 2027" in en.body_text
    other = english.registrations.get()
    assert en.recipient == other.email  # no e-mail for invoices: the payer's own address
    assert f"/en/r/{other.public_id}/{other.secret}/payer/" in en.body_text
    assert en.registration == other


def test_each_reminder_is_in_the_history_of_the_people_billed(edition, client):
    invoice = issued(edition)
    reminders.send_due_reminders(late(7))
    person = invoice.registrations.get()
    event = person.events.get(action="payment_reminder_sent")
    assert event.details == {"invoice": invoice.number, "days": 7, "amount_cents": 30000}
    client.force_login(User.objects.create_superuser("olga", "olga@example.org", "pw"))
    page = client.get(f"/en/organiser/{edition.number}/registrations/{person.pk}/")
    line = page.context["history"][0]
    assert line["label"] == "Payment reminder sent"
    assert line["details"]["days after the due date"] == 7


def test_the_organiser_sets_the_schedule_with_a_message_next_to_a_wrong_one(edition, client):
    client.force_login(User.objects.create_superuser("olga", "olga@example.org", "pw"))
    url = f"/en/organiser/{edition.number}/invoices/reminders/"
    for wrong, words in (("7, soon", "whole numbers"), ("0", "between 1 and 365"),
                         ("1,2,3,4,5,6,7", "At most 6"), ("-3", "whole numbers")):  # fmt: skip
        response = client.post(url, {"days": wrong})
        assert response.status_code == 200
        assert words in response.context["form"].errors["days"][0]
    assert client.post(url, {"days": "30; 7, 7"}).status_code == 302
    assert reminders.schedule_of(edition) == [7, 30]
    assert client.post(url, {"days": ""}).status_code == 302
    assert reminders.schedule_of(edition) == []


def test_the_command_sends_what_is_due_and_lists_it_dry(edition, capsys):
    invoice = issued(edition)
    call_command("send_payment_reminders", "--dry-run", f"--today={late(7)}")
    assert f"{invoice.number}: reminder at 7 days" in capsys.readouterr().out
    assert not PaymentReminder.objects.exists()
    call_command("send_payment_reminders", f"--today={late(7)}")
    assert "1 reminders queued" in capsys.readouterr().out
    assert PaymentReminder.objects.count() == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_daily_task_is_queued_once_and_queues_its_next_run(edition):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from rencontres.invoicing.tasks import ensure_reminders_scheduled, send_payment_reminders

    assert ensure_reminders_scheduled() is True
    assert ensure_reminders_scheduled() is False
    queued = DBTaskResult.objects.get(task_path=send_payment_reminders.module_path)
    assert timezone.localtime(queued.run_after).hour == 9
    queued.delete()
    send_payment_reminders.call()
    assert DBTaskResult.objects.filter(task_path=send_payment_reminders.module_path).count() == 1
