"""Issuing: numbers follow one sequence per year with no gap, an issued invoice never changes,
credit notes take back what was invoiced and never more, and what cannot be invoiced says so."""

import datetime

import pytest
from django.db import transaction

from rencontres.invoicing import services
from rencontres.invoicing.lines import InvalidLines, LineItem, totals, vat_of
from rencontres.invoicing.models import (
    AlreadyIssued,
    CreditNote,
    Invoice,
    InvoiceLine,
    Sequence,
)
from rencontres.invoicing.selectors import covered_by, payer_of
from rencontres.registration.services import confirm_address, delegation_members
from rencontres.registration.tests.factories import delegation, registered

from .factories import (
    edition_with_invoiced_category,
    fee,
    foreign_payer,
    invoiced_person,
    person_payer,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 11, 20)


def issue(registration, payer, lines=None, **kwargs):
    kwargs.setdefault("today", TODAY)
    return services.issue_invoice(
        registration.edition,
        payer,
        [registration],
        [fee()] if lines is None else lines,
        actor=None,
        **kwargs,
    )


def test_numbers_follow_one_sequence_per_year_and_start_again_each_year():
    registration, payer = invoiced_person()
    numbers = [issue(registration, payer).number for _ in range(3)]
    assert numbers == ["F2027-00001", "F2027-00002", "F2027-00003"]
    next_year = issue(registration, payer, today=datetime.date(2028, 1, 2))
    assert next_year.number == "F2028-00001"
    note = services.issue_credit_note(next_year, actor=None, reason="Erreur", today=TODAY)
    assert note.number == "A2027-00001"  # credit notes have their own series


def test_a_document_that_fails_gives_its_number_back(monkeypatch):
    registration, payer = invoiced_person()
    issue(registration, payer)

    def broken(*args):
        raise RuntimeError("the PDF could not be drawn")

    monkeypatch.setattr("rencontres.invoicing.documents.render", broken)
    with pytest.raises(RuntimeError):
        issue(registration, payer)
    monkeypatch.undo()
    assert issue(registration, payer).number == "F2027-00002"
    assert Sequence.objects.get(series="F", year=2027).last == 2
    assert Invoice.objects.count() == 2


def test_the_invoice_keeps_the_payer_and_the_seller_as_they_were(settings):
    registration, payer = invoiced_person()
    invoice = issue(registration, payer, [fee(quantity=2), fee(-2000, code="DISCOUNT")])
    payer.name, payer.siret = "Métropole de Lyon", "24690048800015"
    payer.save()
    settings.INVOICING = {**settings.INVOICING, "SELLER_NAME": "Another name"}
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert (invoice.buyer_name, invoice.buyer_siret) == ("Ville de Lyon", "21690123100011")
    assert invoice.seller["name"] == "Rencontres AICT"
    assert (invoice.commitment_number, invoice.service_code) == ("ENG-2027-0042", "SERV-RI")
    assert (invoice.net_cents, invoice.vat_cents, invoice.gross_cents) == (28000, 0, 28000)
    assert invoice.due_on == TODAY + datetime.timedelta(days=30)
    assert list(invoice.registrations.all()) == [registration]
    assert registration.events.filter(action="invoiced").count() == 1


def test_an_issued_invoice_refuses_every_change_and_deletion():
    registration, payer = invoiced_person()
    invoice = issue(registration, payer)
    invoice.buyer_name = "Someone else"
    with pytest.raises(AlreadyIssued):
        invoice.save()
    with pytest.raises(AlreadyIssued):
        Invoice.objects.filter(pk=invoice.pk).update(buyer_name="Someone else")
    with pytest.raises(AlreadyIssued):
        invoice.delete()
    with pytest.raises(AlreadyIssued), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).delete()
    line = invoice.lines.get()
    line.unit_cents = 1
    with pytest.raises(AlreadyIssued):
        line.save()
    with pytest.raises(AlreadyIssued):
        InvoiceLine.objects.filter(pk=line.pk).update(unit_cents=1)
    with pytest.raises(AlreadyIssued):
        line.delete()
    note = services.issue_credit_note(invoice, actor=None, reason="Annulation")
    with pytest.raises(AlreadyIssued):
        note.save()
    with pytest.raises(AlreadyIssued), transaction.atomic():
        CreditNote.objects.all().delete()
    assert Invoice.objects.get(pk=invoice.pk).buyer_name == "Ville de Lyon"
    assert InvoiceLine.objects.get(pk=line.pk).unit_cents == 15000


def test_an_invoice_past_its_ten_years_may_go():
    registration, payer = invoiced_person()
    invoice = issue(registration, payer, today=datetime.date(2016, 5, 1))
    assert invoice.keep_until == datetime.date(2026, 12, 31)
    assert list(Invoice.objects.past_retention(datetime.date(2027, 1, 1))) == [invoice]
    assert not Invoice.objects.past_retention(datetime.date(2026, 12, 31)).exists()


def test_a_full_credit_note_balances_the_invoice():
    registration, payer = invoiced_person()
    lines = [fee(quantity=3), LineItem("DINNER", "Dîner", "Dinner", 1, 4550, 0)]
    invoice = issue(registration, payer, lines)
    note = services.issue_credit_note(invoice, actor=None, reason="Annulation", today=TODAY)
    assert (note.net_cents, note.vat_cents, note.gross_cents) == (
        invoice.net_cents, invoice.vat_cents, invoice.gross_cents,
    )  # fmt: skip
    assert [line.item() for line in note.lines.all()] == invoice.lines_as_items()
    invoice = Invoice.objects.prefetch_related("credit_notes").get(pk=invoice.pk)
    assert invoice.owed_cents == 0 and invoice.due_cents == 0
    assert invoice.state() == Invoice.State.CANCELLED
    with pytest.raises(InvalidLines):  # nothing left to take back
        services.issue_credit_note(invoice, actor=None, reason="Again")


def test_partial_credit_notes_never_take_back_more_than_was_invoiced():
    registration, payer = invoiced_person()
    invoice = issue(registration, payer, [fee(quantity=2)])
    services.issue_credit_note(invoice, actor=None, reason="One came", lines=[fee()])
    with pytest.raises(InvalidLines):
        services.issue_credit_note(invoice, actor=None, reason="Too much", lines=[fee(quantity=2)])
    rest = services.issue_credit_note(invoice, actor=None, reason="Nobody came")
    assert rest.gross_cents == 15000
    invoice = Invoice.objects.prefetch_related("credit_notes").get(pk=invoice.pk)
    assert sum(n.gross_cents for n in invoice.credit_notes.all()) == invoice.gross_cents
    assert invoice.owed_cents == 0 and invoice.due_cents == 0


def test_a_change_is_a_credit_note_and_a_new_invoice():
    registration, payer = invoiced_person()
    invoice = issue(registration, payer)
    payer.commitment_number = "ENG-2027-0099"
    payer.save()
    note, new = services.replace_invoice(invoice, payer, [fee(12000)], actor=None,
                                         reason="Nouveau bon de commande")  # fmt: skip
    assert note.invoice == invoice and note.gross_cents == invoice.gross_cents
    assert (new.commitment_number, new.gross_cents) == ("ENG-2027-0099", 12000)
    assert list(new.registrations.all()) == [registration]


def test_vat_is_worked_out_per_rate_and_rounded_to_the_cent(settings):
    settings.INVOICING = {**settings.INVOICING, "SELLER_VAT_NUMBER": "FR11123456782"}
    items = [LineItem("A", "A", "A", 3, 3333, 2000), LineItem("B", "B", "B", 1, 1001, 550),
             LineItem("C", "C", "C", 1, 999, 2000)]  # fmt: skip
    sums = totals(items)
    assert sums.by_rate == ((550, 1001, 55), (2000, 10998, 2200))
    assert (sums.net_cents, sums.vat_cents, sums.gross_cents) == (11999, 2255, 14254)
    assert vat_of(25, 2000) == 5 and vat_of(-25, 2000) == -5  # half up, away from zero
    registration, payer = invoiced_person()
    invoice = issue(registration, payer, items)
    assert (invoice.net_cents, invoice.vat_cents, invoice.gross_cents) == (11999, 2255, 14254)


def test_without_a_vat_number_the_seller_charges_no_vat():
    registration, payer = invoiced_person()
    with pytest.raises(InvalidLines):
        issue(registration, payer, [fee(vat_rate_bp=2000)])
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [fee(quantity=0)],
        [fee(-20000)],  # a negative total is a credit note's
        [LineItem("X", "", "", 1, 100, 0)],
        [LineItem("X", "X", "X", 1, 1.5, 0)],
        [LineItem("X", "X", "X", 1, 100, 20001)],
    ],
)
def test_lines_no_invoice_may_carry_are_refused(lines):
    registration, payer = invoiced_person()
    with pytest.raises(InvalidLines):
        issue(registration, payer, lines)
    assert not Invoice.objects.exists() and not Sequence.objects.filter(last__gt=0).exists()


def test_a_public_payer_without_siret_or_a_required_commitment_number_is_not_invoiced():
    registration, payer = invoiced_person()
    payer.commitment_number = ""
    payer.save()
    with pytest.raises(services.CannotInvoice, match="commitment number"):
        issue(registration, payer)
    payer.commitment_number, payer.siret = "ENG-1", "21690123100012"
    payer.save()
    with pytest.raises(services.CannotInvoice, match="SIRET"):
        issue(registration, payer)


def test_an_address_not_confirmed_yet_is_not_invoiced():
    edition = edition_with_invoiced_category()
    registration = registered(edition, confirm=False)
    with pytest.raises(services.CannotInvoice):
        issue(registration, person_payer(registration))


def test_the_same_form_sent_twice_issues_one_invoice():
    registration, payer = invoiced_person()
    first = issue(registration, payer, nonce="form-1")
    assert issue(registration, payer, nonce="form-1") == first
    assert Invoice.objects.count() == 1


def test_a_head_of_delegation_pays_for_the_members_who_named_no_payer():
    edition = edition_with_invoiced_category()
    head = confirm_address(delegation(edition, members=3))
    members = [confirm_address(member) for member in delegation_members(head)]
    payer = foreign_payer(head, covers_delegation=True)
    own = person_payer(members[2])
    assert payer_of(members[0]) == payer and payer_of(members[2]) == own
    assert set(covered_by(payer)) == {head, members[0], members[1]}
    invoice = services.issue_invoice(edition, payer, covered_by(payer), [fee(quantity=3)],
                                     actor=None)  # fmt: skip
    assert invoice.registrations.count() == 3 and invoice.language == "en"
