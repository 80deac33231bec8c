"""Invoices bill what the fee grid says a registration owes: one by one, in a batch with no
lines typed, and on confirmation for the categories that ask for it, once."""

import pytest

from rencontres.fees.models import Adjustment, Fee
from rencontres.fees.pricing import Line
from rencontres.invoicing import services
from rencontres.invoicing.lines import excluding_vat, totals
from rencontres.invoicing.models import Invoice
from rencontres.registration import services as registration_services
from rencontres.registration.tests.factories import category, registered

from .factories import edition_with_invoiced_category, public_payer

pytestmark = pytest.mark.django_db


def test_a_price_vat_included_is_billed_without_its_vat_and_adds_up_again():
    item = excluding_vat(Line("fee:1", "Inscription", "Registration", 2, 12000, 2000))
    assert (item.unit_cents, item.quantity, item.vat_rate_bp) == (10000, 2, 2000)
    assert totals([item]).gross_cents == 24000
    odd = excluding_vat(Line("fee:2", "Dîner", "Dinner", 1, 5000, 550))
    assert odd.unit_cents == 4739  # 50.00 / 1.055, rounded half up
    assert abs(totals([odd]).gross_cents - 5000) <= 1
    assert excluding_vat(Line("fee:3", "Exonéré", "Exempt", 1, 9000, 0)).unit_cents == 9000


def priced_edition(on_confirmation=False, number=15):
    edition = edition_with_invoiced_category(number=number)
    elected = category(edition)
    elected.invoice_on_confirmation = on_confirmation
    elected.save()
    Fee.objects.create(category=elected, amount_cents=18000)
    return edition


def test_without_typed_lines_a_registration_is_billed_the_grids_fee():
    edition = priced_edition()
    person = registered(edition)
    [line] = services.lines_for(person)
    assert (line.quantity, line.unit_cents) == (1, 18000)
    assert "Registration" in line.label_en and line.label_fr.startswith("Inscription")
    invoice = services.issue_invoice(edition, public_payer(person), [person],
                                     services.lines_for(person), actor=None)  # fmt: skip
    assert invoice.gross_cents == 18000
    # Typed lines, when an organiser types some, replace the grid's.
    typed = [{"code": "X", "label_fr": "Forfait", "label_en": "Package", "quantity": 1,
              "unit_cents": 500, "vat_rate_bp": 0}]  # fmt: skip
    assert [line.unit_cents for line in services.lines_for(person, typed)] == [500]


def confirmed_with_payer(edition, **fields):
    person = registered(edition, confirm=False, **fields)
    public_payer(person)
    return registration_services.confirm_address(person)


def test_a_category_invoiced_on_confirmation_gets_its_invoice_once(
    django_capture_on_commit_callbacks,
):
    edition = priced_edition(on_confirmation=True)
    with django_capture_on_commit_callbacks(execute=True):
        person = confirmed_with_payer(edition)
    invoice = Invoice.objects.get(registrations=person)
    assert invoice.gross_cents == 18000 and invoice.issued_by is None
    assert person.events.filter(action="invoiced").count() == 1
    # The task run again (a retry) issues nothing more.
    assert services.invoice_confirmed(person.pk) is None
    assert Invoice.objects.count() == 1


def test_nothing_is_issued_on_confirmation_for_others(django_capture_on_commit_callbacks):
    edition = priced_edition(on_confirmation=True)
    with django_capture_on_commit_callbacks(execute=True):
        nobody_pays = registered(edition)  # no payer named: the organisers will see it
        exempt = registered(edition, confirm=False)
        public_payer(exempt)
        Adjustment.objects.create(registration=exempt, kind=Adjustment.Kind.EXEMPTION,
                                  reason="Intervenant")  # fmt: skip
        exempt = registration_services.confirm_address(exempt)
    assert not Invoice.objects.exists()
    assert {nobody_pays.status, exempt.status} == {"confirmed"}
    # Nor for a category the organisers invoice themselves.
    edition = priced_edition(on_confirmation=False, number=16)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_with_payer(edition)
    assert not Invoice.objects.exists()


def test_a_batch_with_no_lines_typed_bills_each_person_the_grid(
    client, django_capture_on_commit_callbacks
):
    from rencontres.backoffice.tests.factories import member

    edition = priced_edition()
    people = [registered(edition, first_name=name) for name in ("Awa", "Li")]
    for person in people:
        public_payer(person)
    client.force_login(member(edition, "organiser"))
    url = f"/en/organiser/{edition.number}/invoices/runs/new/"
    page = client.get(url).content.decode()
    assert "Leave the lines empty to bill each person what the fee grid says" in page
    untouched = {f"lines-{row}-vat_rate": "0" for row in range(3)}  # as the page sends them
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
                                      **untouched})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert sorted(Invoice.objects.values_list("gross_cents", flat=True)) == [18000, 18000]


def test_a_persons_invoice_page_starts_from_the_grids_lines(client):
    from django.urls import reverse

    from rencontres.backoffice.tests.factories import member

    edition = priced_edition()
    person = registered(edition)
    public_payer(person)
    client.force_login(member(edition, "organiser"))
    url = reverse("backoffice:registration_invoice", args=[edition.number, person.pk])
    page = client.get(url).content.decode()
    assert 'name="lines-0-unit_price" value="180.00"' in page
    assert 'name="lines-INITIAL_FORMS" value="1"' in page and 'name="lines-0-DELETE"' in page
    nonce = page.split('name="nonce" value="')[1].split('"')[0]
    form = {"nonce": nonce, "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1",
            "lines-0-code": "fee:1", "lines-0-label_fr": "Inscription – Élu·e",
            "lines-0-label_en": "Registration – Elected official", "lines-0-quantity": "1",
            "lines-0-unit_price": "180.00", "lines-0-vat_rate": "0"}  # fmt: skip
    # The grid's line ticked to delete, and nothing else: nothing to bill.
    response = client.post(url, {**form, "lines-0-DELETE": "on"})
    assert (
        response.status_code == 200 and "Ajoutez au moins une ligne." in response.content.decode()
    )
    assert client.post(url, form).status_code == 302
    assert Invoice.objects.get().gross_cents == 18000


def test_a_category_paid_before_the_event_has_its_invoice_due_before_it_and_says_so(client):
    import datetime

    from django.urls import reverse
    from django.utils import translation

    from rencontres.invoicing import payments
    from rencontres.invoicing.tests.factories import person_payer

    edition = priced_edition()
    edition.categories.filter(code="elected").update(payment_before_event=True)
    person = registered(edition)
    payer = person_payer(person)
    with translation.override("en"):
        url = reverse("registration:private", args=[person.public_id, person.secret])
    page = client.get(url).content.decode()
    assert "Your invoice is on its way" in page
    issued_on = edition.starts_on - datetime.timedelta(days=10)
    invoice = services.issue_invoice(edition, payer, [person], services.lines_for(person),
                                     actor=None, today=issued_on)  # fmt: skip
    assert invoice.due_on == edition.starts_on - datetime.timedelta(days=1)  # not 30 days
    page = client.get(url).content.decode()
    assert f"Invoice {invoice.number}: €180.00 to pay by" in page
    payments.record_payment(invoice, amount_cents=18000, method="transfer", actor=None,
                            received_on=issued_on)  # fmt: skip
    page = client.get(url).content.decode()
    assert f"Invoice {invoice.number} is paid: thank you." in page
    # A French public body pays after the event, on its usual terms.
    other = registered(edition, first_name="Lou")
    invoice = services.issue_invoice(edition, public_payer(other), [other],
                                     services.lines_for(other), actor=None,
                                     today=issued_on)  # fmt: skip
    assert invoice.due_on == issued_on + datetime.timedelta(days=30)
    with translation.override("en"):
        other_url = reverse("registration:private", args=[other.public_id, other.secret])
    page = client.get(other_url).content.decode()
    assert 'id="payment-before-event"' not in page


@pytest.mark.parametrize("amount, days, people", [(5000, 2, 1), (5000, 2, 5), (3333, 2, 3)])
def test_with_vat_the_invoice_comes_to_the_price_the_payers_were_told(
    settings, amount, days, people
):
    """50 € a day, VAT included, for two days is 100 €, not 100.01 €: a rounding line puts
    back the cent that the VAT worked out on the base loses or adds."""
    from rencontres.fees import pricing

    settings.INVOICING = {**settings.INVOICING, "SELLER_VAT_NUMBER": "FR11123456782"}
    edition = priced_edition()
    Fee.objects.filter(category__edition=edition).update(
        amount_cents=amount, basis=Fee.Basis.DAY, vat_rate_bp=2000
    )
    group = [registered(edition, first_name=f"P{n}") for n in range(people)]
    for person in group:
        person.days = [day.isoformat() for day in edition.days][:days]
        person.save()
    told = sum(pricing.quote(person).total_cents for person in group)
    assert told == amount * days * people
    lines = services.quoted_lines(group)
    assert totals(lines).gross_cents == told
    invoice = services.issue_invoice(edition, public_payer(group[0]), group, lines, actor=None)
    assert invoice.gross_cents == told


def test_a_grid_in_another_currency_than_the_invoices_is_not_billed(
    client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from rencontres.backoffice.tests.factories import member

    edition = priced_edition(on_confirmation=True)
    Fee.objects.filter(category__edition=edition).update(currency="CHF")
    person = registered(edition, confirm=False)
    public_payer(person)
    with pytest.raises(services.CannotInvoice):
        services.quoted_lines([person])
    with django_capture_on_commit_callbacks(execute=True):
        person = registration_services.confirm_address(person)
    assert not Invoice.objects.exists()  # not a CHF price on a EUR invoice
    client.force_login(member(edition, "organiser"))
    url = reverse("backoffice:registration_invoice", args=[edition.number, person.pk])
    response = client.get(url)
    # No CHF line filled in; the organiser is told why and types the lines.
    assert response.status_code == 200
    assert 'name="lines-INITIAL_FORMS" value="0"' in response.content.decode()
    assert next(str(m) for m in response.context["messages"]).startswith("La grille tarifaire")
