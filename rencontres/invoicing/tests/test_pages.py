"""Who pays, through the pages: the registration form asks it for the invoiced categories only,
with its messages next to the fields; the organiser's batch invoices each payer once; the
journal and the ZIP for Chorus Pro hold what was issued."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook

from rencontres.invoicing import services
from rencontres.invoicing.models import Deposit, Invoice, InvoiceRun, Payer
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import form_data, form_token, registered

from .factories import edition_with_invoiced_category, fee, foreign_payer, invoiced_person

pytestmark = pytest.mark.django_db

COMMUNE = {
    "organisation_name": "Ville de Lyon", "organisation_kind": "commune",
    "organisation_country": "FR", "payer-kind": "own_organisation",
    "payer-address": "1 place de la Comédie", "payer-postcode": "69001", "payer-city": "Lyon",
    "payer-siret": "21690123100011", "payer-commitment_required": "on",
    "payer-commitment_number": "ENG-1", "passport_name": "",
}  # fmt: skip


@pytest.fixture
def edition(settings):
    settings.REGISTRATION_MIN_SECONDS = 0
    return edition_with_invoiced_category()


def register(client, edition, **fields):
    client.get(reverse("registration:start"))
    data = form_data(edition, form_token=form_token(client=client), **COMMUNE)
    data.update(fields)
    return client.post(
        reverse("registration:start"), {k: v for k, v in data.items() if v is not None}
    )


def test_the_form_saves_who_pays_with_the_registration(client, edition):
    response = register(client, edition)
    assert response.status_code == 302
    payer = Payer.objects.get()
    assert (payer.name, payer.country, payer.public_body, payer.siret) == (
        "Ville de Lyon", "FR", True, "21690123100011",
    )  # fmt: skip
    assert payer.email == "awa.ndiaye@example.sn" and payer.language == "en"


def test_a_wrong_siret_and_a_missing_commitment_number_are_said_next_to_their_fields(
    client, edition
):
    response = register(client, edition, **{"payer-siret": "21690123100012",
                                            "payer-commitment_number": ""})  # fmt: skip
    assert response.status_code == 200
    form = response.context["parts"][0].form
    assert "n'est pas valide" in form.errors["siret"][0]
    assert "exige un numéro d'engagement" in form.errors["commitment_number"][0]
    assert not Registration.objects.exists()
    page = response.content.decode()
    assert 'value="1 place de la Comédie"' in page  # nothing typed is lost


def test_a_category_that_does_not_pay_asks_nobody(client, edition):
    from rencontres.registration.tests.factories import category

    response = register(client, edition, category=category(edition, "press").pk,
                        **{"payer-siret": "wrong", "payer-kind": ""})  # fmt: skip
    assert response.status_code == 302
    assert Registration.objects.exists() and not Payer.objects.exists()


def test_abroad_the_vat_number_is_checked_for_the_european_union():
    from rencontres.invoicing.identifiers import vat_problem

    assert vat_problem("BE0776091951", "BE") is None
    assert vat_problem("BE0776091952", "BE") is not None
    assert vat_problem("NINEA 004567", "SN") is None  # kept as given outside the Union


@pytest.fixture
def organiser(edition):
    return User.objects.create_superuser("organiser", "o@example.org", "pw")


def test_a_batch_issues_one_invoice_per_payer_and_counts_who_was_left_out(edition, organiser):
    from rencontres.registration.services import confirm_address, delegation_members
    from rencontres.registration.tests.factories import delegation

    head = confirm_address(delegation(edition, members=2))
    for member in delegation_members(head):
        confirm_address(member)
    foreign_payer(head, covers_delegation=True)
    invoiced_person(edition)
    registered(edition)  # nobody said who pays
    run = services.start_run(edition, organiser, [], [fee()])
    run = services.execute_run(InvoiceRun.objects.get(pk=run.pk))
    assert (run.status, run.issued, run.skipped) == ("done", 2, {"no_payer": 1})
    delegation_invoice = Invoice.objects.get(buyer_name="Ambassade du Sénégal")
    assert delegation_invoice.registrations.count() == 3
    assert delegation_invoice.lines.get().quantity == 3  # one line per person, added up
    again = services.execute_run(services.start_run(edition, organiser, [], [fee()]))
    assert again.issued == 0  # already invoiced


def test_the_journal_and_the_zip_for_chorus_pro_hold_what_was_issued(client, edition, organiser):
    registration, payer = invoiced_person(edition)
    invoice = services.issue_invoice(edition, payer, [registration], [fee(quantity=2)],
                                     actor=None)  # fmt: skip
    note = services.issue_credit_note(invoice, actor=None, reason="Un jour", lines=[fee()])
    client.force_login(organiser)
    base = f"/fr/organiser/{edition.number}/invoices/"
    rows = list(csv.reader(io.StringIO(client.get(base + "journal.csv").content.decode(
        "utf-8-sig")), delimiter=";"))  # fmt: skip
    assert [row[1] for row in rows[1:]] == [invoice.number, note.number]
    assert rows[1][12] == "300,00" and rows[2][12] == "-150,00"
    book = load_workbook(io.BytesIO(client.get(base + "journal.xlsx").content))
    values = list(book.active.iter_rows(min_row=2, values_only=True))
    assert [Decimal(str(row[12])) for row in values] == [Decimal(300), Decimal(-150)]
    response = client.post(base + "deposit/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([invoice.file_name, "invoices.csv"])
    assert archive.read(invoice.file_name) == Invoice.objects.get(pk=invoice.pk).file.read()
    assert list(Deposit.objects.get().invoices.all()) == [invoice]
