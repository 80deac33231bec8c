"""What a registration costs, where the person sees it: the form's price box (asked by its
script as the form changes, or shown when the form comes back), the "sent" page, the private
page and the e-mail confirming the place, in French and English with each language's way of
writing money; the extras chosen on the form, refused when they are full."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from rencontres.fees.models import Adjustment, Extra, ExtraBooking, Fee, MemberOrganisation
from rencontres.mail.models import OutgoingEmail
from rencontres.registration.models import Registration

from .factories import category, delivered, form_data, open_edition, organisation, registered

pytestmark = pytest.mark.django_db
URL = "/en/register/"


@pytest.fixture
def edition():
    """Elected officials pay 150 € (members 0 €); the press pays 40 € a day; the partners'
    dinner costs 45 € and seats 2."""
    edition = open_edition()
    elected, press = category(edition), category(edition, "press")
    Fee.objects.create(category=elected, amount_cents=15000)
    Fee.objects.create(category=elected, for_members=True, amount_cents=0)
    Fee.objects.create(category=press, amount_cents=4000, basis=Fee.Basis.DAY)
    Extra.objects.create(edition=edition, name_fr="Dîner des partenaires",
                         name_en="Partners' dinner", price_cents=4500, capacity=2)  # fmt: skip
    MemberOrganisation.objects.create(edition=edition, name="Ville de Lyon")
    return edition


def dinner(edition):
    return Extra.objects.get(edition=edition)


def price(client, edition, language="en", **query):
    response = client.get(f"/{language}/register/{edition.number}/price/", query)
    assert response.status_code == 200
    return response.json()


def test_the_price_follows_the_category_membership_days_and_extras(client, edition):
    elected, press = category(edition).pk, category(edition, "press").pk
    assert price(client, edition)["price"] is None  # no category chosen yet
    answer = price(client, edition, category=elected, organisation_name="Ville de Nantes")
    assert answer["price"]["total"] == "€150.00" and answer["price"]["total_cents"] == 15000
    member = price(client, edition, category=elected, organisation_name="VILLE DE LYON ")
    assert member["price"]["total"] == "€0.00"
    days = [day.isoformat() for day in edition.days]
    per_day = price(client, edition, category=press, days=days, extras=[dinner(edition).pk])
    assert [line["amount"] for line in per_day["price"]["lines"]] == ["€80.00", "€45.00"]
    assert per_day["price"]["total"] == "€125.00"
    assert "2 × €40.00" in per_day["html"] and "€125.00" in per_day["html"]


def test_the_price_is_written_the_french_way_in_french(client, edition):
    answer = price(
        client, edition, "fr", category=category(edition).pk, extras=[dinner(edition).pk]
    )
    assert answer["price"]["total"] == "195,00\xa0€"
    assert answer["price"]["lines"][0]["label"] == "Inscription – Élu·e"


@pytest.mark.parametrize(
    "query",
    [{"category": "x"}, {"category": "9" * 40}, {"extras": ["²", "-1"]}, {"days": ["nope"] * 50},
     {"category": "1", "organisation_name": "\x00" * 300}],
)  # fmt: skip
def test_junk_in_the_query_is_ignored_never_a_server_error(client, edition, query):
    price(client, edition, **query)


def test_an_edition_that_charges_nothing_shows_no_price_and_says_it_is_free(client):
    open_edition(number=30)
    html = client.get(URL).content.decode()
    assert "Registration is free" in html and "data-price-url" not in html


def test_the_form_shows_the_price_box_and_the_extra_with_its_seats(client, edition):
    html = client.get(URL).content.decode()
    assert "data-price-url" in html and "js/price.js" in html
    assert "Partners&#x27; dinner – €45.00 (2 seats left)" in html
    assert "Choose your category above to see your price." in html


def test_a_form_sent_back_with_a_mistake_shows_its_price_without_scripts(client, edition):
    html = client.post(URL, form_data(edition, email="not-an-address")).content.decode()
    assert "Enter a valid email address." in html
    assert re.search(r'class="price__total">.*€150.00', html)


def test_a_registration_books_its_extra_and_the_sent_page_shows_the_price(client, edition):
    response = client.post(URL, form_data(edition, extras=[dinner(edition).pk]))
    assert response["Location"] == "/en/register/sent/"
    person = Registration.objects.get()
    assert list(person.extra_bookings.values_list("extra", flat=True)) == [dinner(edition).pk]
    assert person.events.filter(action="extras_booked").exists()
    page = client.get("/en/register/sent/").content.decode()
    assert "Your price" in page and "€195.00" in page


def test_a_full_extra_is_refused_next_to_its_field_and_nothing_is_registered(client, edition):
    for _ in range(2):
        ExtraBooking.objects.create(registration=registered(edition), extra=dinner(edition))
    count = Registration.objects.count()
    html = client.post(URL, form_data(edition, extras=[dinner(edition).pk])).content.decode()
    assert "Partners&#x27; dinner – €45.00 (full)" in html
    assert re.search(r'id="field-extras">.*“Partners&#x27; dinner” is full', html, re.DOTALL)
    assert Registration.objects.count() == count


def test_a_seat_taken_while_the_form_was_checked_is_refused_by_the_lock(client, edition,
                                                                       monkeypatch):  # fmt: skip
    """The form saw a seat left; another registration took it before this one was saved."""
    from rencontres.registration import forms

    monkeypatch.setattr(forms, "seats_left", lambda edition: {dinner(edition).pk: 1})
    for _ in range(2):
        ExtraBooking.objects.create(registration=registered(edition), extra=dinner(edition))
    count = Registration.objects.count()
    html = client.post(URL, form_data(edition, extras=[dinner(edition).pk])).content.decode()
    assert "is full: untick it to register." in html
    assert Registration.objects.count() == count


def test_a_cancelled_registration_frees_its_seat(client, edition):
    from rencontres.registration import services

    people = [registered(edition) for _ in range(2)]
    for person in people:
        services.book_extras(person, [dinner(edition)])
    services.cancel(people[0])
    assert "(1 seat left)" in client.get(URL).content.decode()


def test_the_private_page_shows_what_is_owed_and_an_exemption(client, edition):
    person = registered(edition, organisation=organisation("Ville de Nantes"))
    ExtraBooking.objects.create(registration=person, extra=dinner(edition))
    url = reverse("registration:private", args=[person.public_id, person.secret])
    html = client.get(url.replace("/fr/", "/en/")).content.decode()
    assert "What you owe" in html
    assert "Registration – Elected official" in html and "€195.00" in html
    Adjustment.objects.create(registration=person, kind="exemption", reason="Keynote guest")
    html = client.get(url.replace("/fr/", "/en/")).content.decode()
    assert "You are exempt from fees: you owe nothing." in html and "Keynote guest" not in html


def test_the_confirmation_email_says_what_is_owed_in_the_persons_language(edition):
    with translation.override("en"):
        person = registered(edition, language="fr", organisation=organisation("Ville de Nantes"))
    email = OutgoingEmail.objects.get(registration=person, template="registration_confirmed")
    assert "Ce que vous devez" in email.body_text
    assert "Inscription – Élu·e\xa0: 150,00\xa0€" in email.body_text
    assert "Total\xa0: 150,00\xa0€" in email.body_text
    assert "150,00\xa0€" in email.body_html and "Ce que vous devez" in email.body_html
    assert len(delivered()) >= 1


def test_an_edition_without_fees_sends_no_price(client):
    edition = open_edition(number=31)
    person = registered(edition)
    email = OutgoingEmail.objects.get(registration=person, template="registration_confirmed")
    assert "What you owe" not in email.body_text and "Ce que vous devez" not in email.body_text
