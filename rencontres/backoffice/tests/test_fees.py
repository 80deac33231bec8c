"""Fees in the back-office: an organiser edits the grid and the extras (amounts typed as people
type them, every mistake said next to its field, nothing typed lost), keeps the member list
(ticked, typed, imported; a list with problems imports nothing), grants or withdraws an
exemption or a discount on a registration's page (in its history with who did it, and in the
audit log; the same form sent twice grants once); staff see what a person owes but change
none of it; the overview shows the fees expected by category."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from rencontres.fees import pricing
from rencontres.fees.models import Adjustment, Extra, ExtraBooking, Fee, MemberOrganisation
from rencontres.models import AuditEntry
from rencontres.registration.tests.factories import category, open_edition, organisation, registered

from .factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


@pytest.fixture
def claire(client, edition):
    """Claire, an organiser, logged in."""
    organiser = member(edition, "organiser", username="claire")
    client.force_login(organiser)
    return organiser


def field_error(html, field):
    """The error shown next to a field (its field group), or None."""
    found = re.search(rf'<div class="field field--error[^"]*" id="field-{field}">(.*?)</div>',
                      html, re.DOTALL)  # fmt: skip
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else None


def fee_data(edition, **fields):
    return {"category": category(edition).pk, "amount_cents": "150", "currency": "EUR",
            "basis": "event", "vat_rate_bp": "0", **fields}  # fmt: skip


def test_an_organiser_adds_a_fee_typed_the_french_way(client, claire, edition):
    response = client.post(
        f"/fr/organiser/{edition.number}/fees/new/",
        fee_data(edition, amount_cents="1 234,50 €", early_amount_cents="1000",
                 early_until="2027-09-30"),
    )  # fmt: skip
    assert response.status_code == 302
    fee = Fee.objects.get()
    assert (fee.amount_cents, fee.early_amount_cents) == (123450, 100000)
    assert AuditEntry.objects.filter(action="fee_added", user=claire).exists()
    page = client.get(f"/fr/organiser/{edition.number}/fees/").content.decode()
    assert "1\u202f234,50\xa0€" in page and "1\u202f000,00\xa0€ jusqu'au 30 septembre 2027" in page
    form = client.get(f"/fr/organiser/{edition.number}/fees/{fee.pk}/").content.decode()
    assert 'value="1234,50"' in form


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"amount_cents": "cent euros"}, "amount_cents", "Enter an amount, such as 150 or 150.50"),
        ({"amount_cents": "-5"}, "amount_cents", "not negative"),
        ({"early_amount_cents": "120"}, "early_until", "needs both its amount and its last day"),
        ({"early_amount_cents": "200", "early_until": "2027-09-30"}, "early_amount_cents",
         "cannot be above the normal one"),
        ({"currency": "CHF"}, "currency", "other prices are in EUR"),
        ({}, "category", "already has a fee for non-members"),
    ],
)  # fmt: skip
def test_a_wrong_fee_is_refused_next_to_its_field_keeping_what_was_typed(
    client, claire, edition, fields, field, message
):
    Fee.objects.create(category=category(edition), amount_cents=100)
    Extra.objects.create(edition=edition, name_fr="Dîner", name_en="Dinner", price_cents=10)
    before = list(Fee.objects.values_list("amount_cents", flat=True))
    with translation.override("en"):
        response = client.post(f"/en/organiser/{edition.number}/fees/new/",
                               fee_data(edition, **fields))  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert message in (field_error(html, field) or "")
    assert "Please correct what is marked below" in html
    typed = fields.get("amount_cents", "150")
    assert f'value="{typed}"' in html
    assert list(Fee.objects.values_list("amount_cents", flat=True)) == before


def test_a_fee_is_changed_then_deleted(client, claire, edition):
    fee = Fee.objects.create(category=category(edition), amount_cents=100)
    url = f"/en/organiser/{edition.number}/fees/{fee.pk}/"
    client.post(url, fee_data(edition, amount_cents="40", basis="day"))
    fee.refresh_from_db()
    assert (fee.amount_cents, fee.basis) == (4000, "day")
    client.post(url, {"delete": "1"})
    assert not Fee.objects.exists()
    assert AuditEntry.objects.filter(action="fee_deleted").exists()


def test_an_extra_is_added_and_cannot_be_deleted_once_booked(client, claire, edition):
    url = f"/en/organiser/{edition.number}/fees/extras/new/"
    data = {"name_fr": "Dîner des partenaires", "name_en": "Partners' dinner",
            "price_cents": "45", "currency": "EUR", "capacity": "120", "vat_rate_bp": "1000",
            "order": "0"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    again = client.post(url, data).content.decode()  # a second click: refused, not twice
    assert "Another extra of this edition has this name." in field_error(again, "name_fr")
    extra = Extra.objects.get()
    assert (extra.price_cents, extra.capacity) == (4500, 120)
    ExtraBooking.objects.create(registration=registered(edition), extra=extra)
    response = client.post(f"/en/organiser/{edition.number}/fees/extras/{extra.pk}/",
                           {"delete": "1"}, follow=True)  # fmt: skip
    assert "it cannot be deleted" in response.content.decode()
    assert Extra.objects.exists()
    grid = client.get(f"/en/organiser/{edition.number}/fees/").content.decode()
    assert "Partners&#x27; dinner" in grid and "€45.00" in grid


def test_staff_see_what_a_person_owes_but_cannot_change_fees(client, edition):
    Fee.objects.create(category=category(edition), amount_cents=15000)
    person = registered(edition)
    client.force_login(member(edition, "staff"))
    page = client.get(f"/en/organiser/{edition.number}/registrations/{person.pk}/").content
    assert b"What they owe" in page and b"\xe2\x82\xac150.00" in page
    assert b"Grant an exemption or a discount" not in page
    assert client.get(f"/en/organiser/{edition.number}/fees/").status_code == 403
    url = f"/en/organiser/{edition.number}/registrations/{person.pk}/fees/"
    response = client.post(url, {"action": "grant", "kind": "exemption", "reason": "Friend"})
    assert response.status_code == 403 and not Adjustment.objects.exists()


def test_an_exemption_is_granted_once_in_the_history_and_withdrawn(client, claire, edition):
    Fee.objects.create(category=category(edition), amount_cents=15000)
    person = registered(edition)
    page = client.get(f"/en/organiser/{edition.number}/registrations/{person.pk}/").content
    nonce = re.search(rb'name="nonce" value="([^"]+)"', page).group(1).decode()
    url = f"/en/organiser/{edition.number}/registrations/{person.pk}/fees/"
    data = {"action": "grant", "kind": "exemption", "reason": "Speaker", "nonce": nonce}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double click
    adjustment = Adjustment.objects.get()
    assert adjustment.granted_by == claire and adjustment.reason == "Speaker"
    assert pricing.quote(person).exempt
    assert AuditEntry.objects.filter(action="fee_adjustment_granted", user=claire).count() == 1
    page = client.get(f"/en/organiser/{edition.number}/registrations/{person.pk}/").content.decode()
    assert "Exempted from fees" in page and "by claire" in page
    assert "Exempt from fees: they owe nothing." in page
    client.post(url, {"action": "withdraw", "adjustment": adjustment.pk})
    assert not pricing.quote(person).exempt
    assert person.events.filter(action="fee_adjustment_withdrawn", actor=claire).exists()


def test_a_discount_needs_its_amount_and_never_takes_the_fee_below_zero(client, claire, edition):
    Fee.objects.create(category=category(edition), amount_cents=15000)
    person = registered(edition)
    url = f"/en/organiser/{edition.number}/registrations/{person.pk}/fees/"
    html = client.post(url, {"action": "grant", "kind": "discount", "reason": "Partner"}).content
    assert "Enter the amount of the discount." in field_error(html.decode(), "amount")
    assert 'value="Partner"' in html.decode()
    client.post(url, {"action": "grant", "kind": "discount", "amount": "200", "reason": "Partner"})
    assert pricing.quote(person).total_cents == 0
    page = client.get(f"/en/organiser/{edition.number}/registrations/{person.pk}/").content.decode()
    assert "Given a discount" in page and "€200.00" in page


def test_the_member_list_is_ticked_typed_and_imported(client, claire, edition):
    lyon = organisation("Ville de Lyon")
    registered(edition, organisation=lyon)
    url = f"/en/organiser/{edition.number}/fees/members/"
    assert "Ville de Lyon" in client.get(url).content.decode()
    client.post(url, {"action": "tick", "member": [lyon.pk]})
    assert MemberOrganisation.objects.filter(organisation=lyon).exists()
    wrong = client.post(url, {"action": "add", "member-name": "Isère",
                              "member-identifier": "123"}).content.decode()  # fmt: skip
    assert "neither a SIRET" in field_error(wrong, "member-identifier")
    assert 'value="Isère"' in wrong
    bad_list = SimpleUploadedFile("members.csv", "nom;siret\nRégion Bretagne;\nGrenoble;42\n"
                                  .encode())  # fmt: skip
    html = client.post(url, {"action": "import", "import-file": bad_list}).content.decode()
    assert "Nothing was imported" in field_error(html, "import-file")
    assert re.search(r"<th scope=\"row\">3</th>", html)
    assert MemberOrganisation.objects.count() == 1
    good_list = SimpleUploadedFile("members.csv", "nom;siret\nRégion Bretagne;\nVille de Lyon;\n"
                                   .encode())  # fmt: skip
    response = client.post(url, {"action": "import", "import-file": good_list}, follow=True)
    assert "1 organisation added to the member list (1 already on it)." in (
        response.content.decode()
    )
    entry = MemberOrganisation.objects.get(name="Région Bretagne")
    client.post(url, {"action": "remove", "entry": entry.pk})
    assert not MemberOrganisation.objects.filter(pk=entry.pk).exists()
    client.post(url, {"action": "tick"})  # Lyon unticked
    assert not MemberOrganisation.objects.exists()


def test_the_overview_shows_the_fees_expected_by_category(client, claire, edition):
    Fee.objects.create(category=category(edition), amount_cents=15000)
    Fee.objects.create(category=category(edition, "press"), amount_cents=0)
    for _ in range(3):
        registered(edition)
    exempt = registered(edition)
    Adjustment.objects.create(registration=exempt, kind="exemption", reason="Speaker")
    registered(edition, confirm=False)  # no place yet: not expected
    html = client.get(f"/en/organiser/{edition.number}/").content.decode()
    section = html[html.index("Fees, invoices and payments") :]
    row = re.search(r"<th scope=\"row\">Elected official</th>(.*?)</tr>", section).group(1)
    assert re.findall(r">([^<]+)</td>", row) == ["4", "1", "€450.00", "€0.00", "€0.00", "€0.00"]


def test_the_overview_shows_what_is_invoiced_paid_and_overdue_by_category_and_country(
    client, claire, edition
):
    import datetime

    from rencontres.invoicing import payments, services
    from rencontres.invoicing.tests.factories import fee, foreign_payer, public_payer
    from rencontres.registration.tests.factories import organisation

    Fee.objects.create(category=category(edition), amount_cents=15000)
    lyon = registered(edition)
    dakar = registered(edition, organisation=organisation("Ville de Dakar", "SN", "commune"))
    paid = services.issue_invoice(edition, public_payer(lyon), [lyon], [fee()], actor=None)
    payments.record_payment(paid, amount_cents=10000, method="transfer", actor=None,
                            received_on=datetime.date.today())  # fmt: skip
    long_ago = datetime.date.today() - datetime.timedelta(days=90)
    services.issue_invoice(edition, foreign_payer(dakar), [dakar], [fee()], actor=None,
                           today=long_ago)  # fmt: skip
    html = client.get(f"/en/organiser/{edition.number}/").content.decode()
    section = html[html.index("Fees, invoices and payments") :]

    def cells(name):
        row = re.search(rf"<th scope=\"row\">{name}</th>(.*?)</tr>", section).group(1)
        return [cell.strip() for cell in re.findall(r">([^<]+)</td>", row)]

    # Expected, invoiced (150 each), paid (100 of Lyon's), overdue (Dakar's, 90 days old).
    assert cells("Elected official") == ["2", "0", "€300.00", "€300.00", "€100.00", "€150.00"]
    assert cells("France") == ["1", "0", "€150.00", "€150.00", "€100.00", "€0.00"]
    assert cells("Senegal") == ["1", "0", "€150.00", "€150.00", "€0.00", "€150.00"]
    assert 'width="33%"' in section  # the share paid, drawn


def test_an_edition_without_fees_shows_no_expected_fees(client, claire, edition):
    registered(edition)
    html = client.get(f"/en/organiser/{edition.number}/").content.decode()
    assert "Fees, invoices and payments" not in html


@pytest.mark.parametrize("role", ["staff", "viewer"])
def test_who_owes_and_paid_what_is_for_those_who_see_the_fees_or_invoices(client, edition, role):
    Fee.objects.create(category=category(edition), amount_cents=15000)
    registered(edition)
    client.force_login(member(edition, role, username=f"{role}-1"))
    html = client.get(f"/en/organiser/{edition.number}/").content.decode()
    assert "Overview" in html and "Fees, invoices and payments" not in html
