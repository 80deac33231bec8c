"""A French commune registers in Chromium and says who pays (its SIRET, its service's
commitment number); an organiser issues its invoice from the person's page, with the lines
typed, and downloads the Factur-X PDF; the payer finds it on the private link. axe-core checks
each new page at desktop and phone widths, in French and in English."""

import io
import re

import pytest
from playwright.sync_api import expect

from rencontres.editions.tests.test_browser import check, log_in
from rencontres.invoicing.models import Invoice, Payer
from rencontres.registration.models import Registration
from rencontres.registration.services import confirm_address
from rencontres.registration.tests.factories import open_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commune_registers_with_its_siret_and_an_organiser_invoices_it(
    browser_page, live_server, settings
):
    settings.REGISTRATION_MIN_SECONDS = 0
    edition = open_edition()
    edition.categories.filter(code="elected").update(invoiced=True)
    page = browser_page
    page.goto(live_server.url + "/en/register/")
    payer = page.locator("#payer")
    expect(payer).to_be_hidden()  # no category chosen: nothing to pay yet
    page.get_by_label("First name").first.fill("Claire")
    page.get_by_label("Last name").first.fill("Martin")
    page.get_by_label("E-mail").first.fill("claire.martin@lyon.example.fr")
    page.get_by_label("Job title").first.fill("Adjointe aux relations internationales")
    page.get_by_label("Category").first.select_option(label="Elected official")
    expect(payer).to_be_visible()
    page.get_by_role("group", name="Preferred language for e-mails").get_by_label("English").check()
    page.get_by_label("Organisation", exact=True).fill("Ville de Lyon")
    page.get_by_label("Kind of organisation").select_option("commune")
    page.get_by_label("Country of the organisation").select_option("FR")
    expect(payer.get_by_label("VAT number")).to_be_hidden()  # a French commune: a SIRET
    payer.get_by_label("Street address").fill("1 place de la Comédie")
    payer.get_by_label("Postcode").fill("69001")
    payer.get_by_label("City").fill("Lyon")
    payer.get_by_label("SIRET").fill("21690123100012")  # one digit wrong
    payer.get_by_label("Our service requires a commitment number").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator("#field-payer-siret .errorlist")).to_contain_text("not valid")
    expect(page.locator("#field-payer-commitment_number .errorlist")).to_contain_text(
        "requires a commitment number"
    )
    assert page.get_by_label("Street address").input_value() == "1 place de la Comédie"
    check(page)
    page.get_by_label("SIRET").fill("216 901 231 00011")
    page.get_by_role("textbox", name=re.compile("^Commitment number")).fill("ENG-2027-0042")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    registration = Registration.objects.get(email="claire.martin@lyon.example.fr")
    saved = Payer.objects.get(registration=registration)
    assert (saved.siret, saved.commitment_number, saved.public_body, saved.name) == (
        "21690123100011", "ENG-2027-0042", True, "Ville de Lyon",
    )  # fmt: skip
    confirm_address(registration)

    # The organiser issues the invoice from Claire's page.
    log_in(page, live_server, f"/fr/organiser/{edition.number}/registrations/{registration.pk}/")
    page.get_by_role("link", name="Émettre une facture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Émettre une facture")
    check(page)
    line = page.locator("#line-1")
    line.get_by_label("Code").fill("REG")
    line.get_by_label("Libellé (français)").fill("Inscription aux Rencontres")
    line.get_by_label("Libellé (anglais)").fill("Registration to the Meetings")
    line.get_by_label("Quantité").fill("1")
    line.get_by_label("Prix unitaire HT (€)").fill("150")
    page.get_by_role("button", name="Émettre la facture").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Facture F")
    invoice = Invoice.objects.get()
    assert (invoice.gross_cents, invoice.buyer_siret) == (15000, "21690123100011")
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la facture (PDF Factur-X)").click()
    assert download.value.suggested_filename == f"{invoice.number}.pdf"
    from facturx import get_xml_from_pdf

    _name, xml = get_xml_from_pdf(download.value.path().read_bytes(), check_xsd=False)
    assert b"ENG-2027-0042" in xml and b"21690123100011" in xml

    for language in ("en", "fr"):
        page.goto(f"{live_server.url}/{language}/organiser/{edition.number}/invoices/")
        expect(page.locator("table")).to_contain_text(invoice.number)
        check(page)
        page.goto(f"{live_server.url}/{language}/organiser/{edition.number}/invoices/"
                  f"{invoice.pk}/credit-note/")  # fmt: skip
        expect(page.locator("form.form")).to_be_visible()
        check(page)
        page.goto(f"{live_server.url}/{language}/organiser/{edition.number}/invoices/runs/new/")
        expect(page.locator("form.form")).to_be_visible()
        check(page)

    # Claire finds her invoice on her private link, and who pays.
    page.goto(f"{live_server.url}/en/r/{registration.public_id}/{registration.secret}/payer/")
    expect(page.get_by_role("link", name=f"Invoice {invoice.number}", exact=False)).to_be_visible()
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Invoice {invoice.number}", exact=False).click()
    assert io.BytesIO(download.value.path().read_bytes()).read(4) == b"%PDF"
    page.goto(f"{live_server.url}/fr/r/{registration.public_id}/{registration.secret}/payer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Qui paie, et factures")
    check(page)


def shot(page, name):
    """A screenshot at 1280 and 360 px when SCREENSHOT_DIR is set (to look at the pages)."""
    import os

    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_organiser_records_payments_and_sees_the_invoice_paid(browser_page, live_server):
    """A commune's invoice of 300 €: a first mandate of 100 € (partly paid), an amount above
    what remains refused next to its field, then the rest (paid); the bank statement and the
    reminders' pages, checked too."""
    from rencontres.invoicing import services

    from .factories import edition_with_invoiced_category, fee, invoiced_person

    edition = edition_with_invoiced_category()
    registration, payer = invoiced_person(edition)
    invoice = services.issue_invoice(edition, payer, [registration], [fee(quantity=2)],
                                     actor=None)  # fmt: skip
    page = browser_page
    log_in(page, live_server, f"/fr/organiser/{edition.number}/invoices/{invoice.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Facture {invoice.number}")
    page.get_by_role("link", name="Enregistrer un paiement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer un paiement")
    amount = page.get_by_label("Montant reçu (EUR)")
    expect(amount).to_have_value("300,00")  # what is due
    check(page)
    amount.fill("100")
    page.get_by_label("Mandat administratif").check()
    page.get_by_label("Référence").fill("Mandat n° 2027-118")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    expect(page.locator(".notice--success, [role=status]").first).to_contain_text(
        "Partiellement payée"
    )
    expect(page.locator("h1 + p .tag, p .tag").first).to_have_text("Partiellement payée")
    expect(page.locator("#payments-title + table")).to_contain_text("Mandat n° 2027-118")
    check(page)
    shot(page, "invoice-partly-paid")

    page.get_by_role("link", name="Enregistrer un paiement").click()
    page.get_by_label("Montant reçu (EUR)").fill("250")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    error = page.locator("#field-amount .errorlist")
    expect(error).to_contain_text("plus que les 200,00\u00a0€ encore dus")
    check(page)
    shot(page, "payment-too-much")
    page.get_by_label("Montant reçu (EUR)").fill("200")
    page.get_by_label("Virement bancaire").check()
    page.get_by_role("button", name="Enregistrer le paiement").click()
    expect(page.locator("p .tag").first).to_have_text("Payée")
    assert [p.amount_cents for p in invoice.payments.order_by("pk")] == [10000, 20000]
    shot(page, "invoice-paid")

    # The list says paid too, and filters by it.
    page.goto(f"{live_server.url}/fr/organiser/{edition.number}/invoices/?state=paid")
    expect(page.locator("table")).to_contain_text(invoice.number)
    expect(page.locator("table")).to_contain_text("Payée")
    check(page)
    shot(page, "invoices")

    # A bank statement: the upload, a file refused, then one imported and its page.
    page.goto(f"{live_server.url}/fr/organiser/{edition.number}/invoices/statements/")
    check(page)
    page.get_by_label("Relevé bancaire (CSV ou XML camt.053)").set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    page.get_by_role("button", name="Importer le relevé").click()
    expect(page.locator("#field-file .errorlist")).to_contain_text("relevé bancaire")
    other = services.issue_invoice(edition, payer, [registration], [fee()], actor=None)
    csv_content = (f"Date;Libellé;Débit;Crédit\n02/12/2026;VIR SEPA MAIRIE DE LYON "
                   f"{other.number.replace('-', '')};;150,00\n03/12/2026;VIR INCONNU;;42,00\n"
                   f"04/12/2026;FRAIS;12,00;\n")  # fmt: skip
    page.get_by_label("Relevé bancaire (CSV ou XML camt.053)").set_input_files(
        {"name": "releve.csv", "mimeType": "text/csv", "buffer": csv_content.encode("cp1252")}
    )
    page.get_by_role("button", name="Importer le relevé").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Relevé releve.csv")
    expect(page.locator("#tick-1, input[name=line]").first).to_be_checked()
    check(page)
    shot(page, "statement")
    page.get_by_role("button", name="Enregistrer les paiements cochés").click()
    expect(page.locator("table")).to_contain_text(f"Enregistré sur {other.number}")
    shot(page, "statement-recorded")
    page.goto(f"{live_server.url}/fr/organiser/{edition.number}/invoices/statements/")
    shot(page, "statements")

    # The reminders' schedule.
    page.goto(f"{live_server.url}/fr/organiser/{edition.number}/invoices/reminders/")
    page.get_by_label("Envoyer une relance ce nombre de jours après l'échéance").fill("7, 30")
    page.get_by_role("button", name="Enregistrer le calendrier").click()
    expect(page.locator("body")).to_contain_text("Les relances partent 7, 30 jours après")
    check(page)
    shot(page, "reminders")
    page.goto(f"{live_server.url}/en/organiser/{edition.number}/invoices/{invoice.pk}/")
    expect(page.locator("p .tag").first).to_have_text("Paid")
    check(page)
