"""Invoices are kept ten years, whatever becomes of the person: an erasure empties the payer's
own record and the person's data, and leaves every invoice, credit note and PDF as issued;
the daily purge deletes them once their time is over. The registry says so, field by field."""

import datetime

import pytest
from django.apps import apps

from rencontres.invoicing import services
from rencontres.invoicing.models import CreditNote, Invoice, InvoiceLine, Payer
from rencontres.privacy.registry import FIELDS, RETAINED, RETAINED_BY_LAW
from rencontres.privacy.services import erase_registrations, export_data, purge_timed
from rencontres.registration.models import Registration

from .factories import fee, invoiced_person, person_payer

pytestmark = pytest.mark.django_db


def test_erasure_keeps_the_invoice_and_empties_the_rest():
    registration, payer = invoiced_person(first_name="Zéphyrine", last_name="Quartermaine")
    invoice = services.issue_invoice(registration.edition, payer, [registration], [fee()],
                                     actor=None)  # fmt: skip
    note = services.issue_credit_note(invoice, actor=None, reason="Annulation")
    pdf = invoice.file.read()
    erase_registrations(Registration.objects.filter(pk=registration.pk))

    registration.refresh_from_db()
    assert registration.last_name == "" and "Quartermaine" not in registration.email
    payer = Payer.objects.get(pk=payer.pk)
    assert (payer.name, payer.address, payer.email, payer.siret, payer.commitment_number) == (
        "", "", "", "", "",
    )  # fmt: skip
    kept = Invoice.objects.get(pk=invoice.pk)
    assert (kept.buyer_name, kept.buyer_siret, kept.commitment_number) == (
        "Ville de Lyon", "21690123100011", "ENG-2027-0042",
    )  # fmt: skip
    assert kept.file.read() == pdf  # the PDF as issued (it names the participant)
    assert list(kept.registrations.all()) == [registration]
    assert CreditNote.objects.get(pk=note.pk).reason == "Annulation"
    # The history says it was invoiced, with the number: no personal value in it.
    assert registration.events.get(action="invoiced").details == {"invoice": invoice.number}


def test_a_persons_data_export_holds_their_payer_and_invoices():
    registration, payer = invoiced_person()
    invoice = services.issue_invoice(registration.edition, payer, [registration], [fee()],
                                     actor=None)  # fmt: skip
    sections = {section["model"]: section for section in export_data(registration)["sections"]}
    assert sections["invoicing.Payer"]["rows"][0]["name"] == "Ville de Lyon"
    assert sections["invoicing.Invoice"]["rows"][0]["number"] == invoice.number


def test_the_purge_deletes_invoices_once_their_ten_years_are_over():
    registration, payer = invoiced_person()
    edition = registration.edition

    def issued(on, credit_on=None):
        invoice = services.issue_invoice(edition, payer, [registration], [fee()], actor=None,
                                         today=on)  # fmt: skip
        if credit_on:
            services.issue_credit_note(invoice, actor=None, reason="Annulation", today=credit_on)
        return invoice

    old = issued(datetime.date(2012, 3, 1), credit_on=datetime.date(2012, 4, 1))
    credited_later = issued(datetime.date(2013, 12, 1), credit_on=datetime.date(2025, 1, 10))
    recent = issued(datetime.date(2025, 6, 1))
    path = old.file.path
    now = datetime.datetime(2024, 2, 1, 12, tzinfo=datetime.UTC)  # ten years back: 2014
    # 2013's invoice stays: its credit note of 2025 has its own ten years to go.
    assert purge_timed(now, dry_run=True)["invoicing.Invoice"] == 1
    assert Invoice.objects.count() == 3
    assert purge_timed(now)["invoicing.Invoice"] == 1
    assert set(Invoice.objects.all()) == {credited_later, recent}
    assert not InvoiceLine.objects.filter(invoice_id=old.pk).exists()
    assert not CreditNote.objects.filter(invoice_id=old.pk).exists()
    import os

    assert not os.path.exists(path)


def test_every_model_with_fields_kept_by_law_says_why_and_until_when():
    retained = {label for label, fields in FIELDS.items() if RETAINED in fields.values()}
    assert retained == set(RETAINED_BY_LAW)
    for label, entry in RETAINED_BY_LAW.items():
        apps.get_model(label)
        assert entry["why"] and entry["kept"], label


def test_a_person_paying_for_themselves_is_erased_from_their_payer_too():
    registration, _payer = invoiced_person(payer=person_payer)
    erase_registrations(Registration.objects.filter(pk=registration.pk))
    assert Payer.objects.get(registration=registration).name == ""
