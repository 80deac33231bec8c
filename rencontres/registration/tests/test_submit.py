"""The registration form: what it accepts, what it refuses and how it says so."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from rencontres.mail.models import OutgoingEmail
from rencontres.registration import services
from rencontres.registration.forms import clean_phone
from rencontres.registration.identifiers import identifier_kind, name_key
from rencontres.registration.models import Organisation, Registration

from .factories import delivered, form_data, form_token, open_edition, workshop

pytestmark = pytest.mark.django_db
URL = "/en/register/"


@pytest.fixture
def edition():
    return open_edition()


def test_the_form_shows_sessions_with_places_left_and_the_privacy_notice(client, edition):
    workshop(edition, capacity=30, title_en="Water workshop")
    html = client.get(URL).content.decode()
    assert "Water workshop" in html and "30 places left" in html
    assert "How we use your data" in html and "12 months after the edition" in html
    assert 'name="directory_opt_in"' in html and 'name="photo_opt_in"' in html


def test_a_person_registers_and_gets_an_email_to_confirm(client, edition):
    session = workshop(edition)
    response = client.post(URL, form_data(edition, sessions=[session.pk]))
    assert response.status_code == 302 and response["Location"] == "/en/register/sent/"
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.AWAITING_CONFIRMATION
    assert registration.phone == "+221771234567"
    assert registration.organisation.country.code == "SN"
    assert registration.privacy_notice_version and registration.privacy_accepted_at
    assert registration.directory_opt_in is False and registration.directory_consent_at is None
    assert list(registration.choices.values_list("status", flat=True)) == ["requested"]
    assert len(delivered()) == 1
    message = mail.outbox[0]
    assert message.to == ["awa.ndiaye@example.sn"]
    assert "Confirm your e-mail address" in message.subject
    assert re.search(r"http://127.0.0.1:8000/en/register/confirm/\S+/", message.body)
    page = client.get("/en/register/sent/").content.decode()
    assert "awa.ndiaye@example.sn" in page and "Check your inbox" in page


def test_consents_are_stored_with_their_time(client, edition):
    client.post(URL, form_data(edition, directory_opt_in="on", photo_opt_in="on"))
    registration = Registration.objects.get()
    assert registration.directory_opt_in and registration.photo_opt_in
    assert abs(registration.directory_consent_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert registration.photo_consent_at is not None


def test_a_double_click_creates_one_registration(client, edition):
    data = form_data(edition)
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first["Location"] == second["Location"] == "/en/register/sent/"
    assert Registration.objects.count() == 1
    assert len(delivered()) == 1


def test_a_second_registration_with_the_same_address_sends_the_link_again(client, edition):
    client.post(URL, form_data(edition))
    response = client.post(URL, form_data(edition, email="AWA.Ndiaye@example.sn",
                                          form_token=form_token()))  # fmt: skip
    # The same answer as for a new address: nothing tells that it was registered already.
    assert response["Location"] == "/en/register/sent/"
    assert Registration.objects.count() == 1
    assert [m.subject for m in delivered()] == [mail.outbox[0].subject] * 2


def test_bad_input_gets_messages_next_to_the_fields_and_keeps_what_was_typed(client, edition):
    data = form_data(edition, email="not-an-address", phone="12", first_name="Zoë",
                     organisation_kind="commune", organisation_country="FR",
                     organisation_identifier="123", privacy=None)  # fmt: skip
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "Enter a valid phone number" in html
    assert "neither an INSEE code" in html
    assert 'id="id_privacy_error"' in html
    assert 'value="Zoë"' in html and 'value="not-an-address"' in html
    assert 'aria-invalid="true"' in html
    assert "Please correct what is marked below" in html
    assert not Registration.objects.exists()


def test_messages_are_translated(client, edition):
    response = client.post("/fr/register/", form_data(edition, email="x"))
    # Django's message, in the words of Django REST framework's catalogue, which comes first
    # (an app's before Django's own) and says "e-mail" as the rest of the site does.
    assert "Saisissez une adresse e-mail valide." in response.content.decode()


def test_a_form_sent_back_too_fast_is_refused_but_kept(client, edition):
    response = client.post(URL, form_data(edition, form_token=form_token(age=0)))
    assert "That was fast" in response.content.decode()
    assert 'value="awa.ndiaye@example.sn"' in response.content.decode()
    assert not Registration.objects.exists()


def test_the_honeypot_stops_bots(client, edition):
    response = client.post(URL, form_data(edition, website="http://spam.example"))
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_a_forged_form_token_is_refused(client, edition):
    response = client.post(URL, form_data(edition, form_token="forged:123"))
    assert response.status_code == 200
    assert not Registration.objects.exists()


def opened_form(client):
    """GET the form as a browser does: its CSRF token and form token, from the page."""
    html = client.get(URL).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html)[1]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    return token, csrf


def test_a_form_token_works_only_in_the_browser_it_was_sent_to(edition, settings):
    """A script cannot fetch one form, wait the fill time once and post the token from many
    clients: the token is bound to the browser's CSRF cookie. Before, a replayed token even
    showed its first registrant's address on the replaying client's "sent" page."""
    from django.test import Client

    settings.REGISTRATION_MIN_SECONDS = 0
    first, other = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token, csrf = opened_form(first)
    _other_token, other_csrf = opened_form(other)
    data = form_data(edition, email="other@example.org", form_token=token,
                     csrfmiddlewaretoken=other_csrf)  # fmt: skip
    response = other.post(URL, data)
    assert response.status_code == 200
    assert "opened in another browser" in response.context["form"].errors["form_token"][0]
    assert not Registration.objects.exists()

    data = form_data(edition, email="awa@example.sn", form_token=token, csrfmiddlewaretoken=csrf)
    assert first.post(URL, data)["Location"] == "/en/register/sent/"
    assert first.post(URL, data)["Location"] == "/en/register/sent/"  # a double submit: one
    assert Registration.objects.get().email == "awa@example.sn"
    replay = {**data, "email": "other@example.org", "csrfmiddlewaretoken": other_csrf}
    response = other.post(URL, replay, follow=True)
    assert "awa@example.sn" not in response.content.decode()
    assert Registration.objects.count() == 1


def test_sessions_at_the_same_time_or_on_days_not_attended_are_refused(client, edition):
    first = workshop(edition, title_en="First", hour=14)
    second = workshop(edition, title_en="Second", hour=14)
    response = client.post(URL, form_data(edition, sessions=[first.pk, second.pk]))
    assert "take place at the same time" in response.content.decode()
    response = client.post(URL, form_data(edition, sessions=[first.pk],
                                          days=[edition.days[1].isoformat()]))  # fmt: skip
    assert "on a day you have not ticked" in response.content.decode()
    assert not Registration.objects.exists()


def test_outside_the_window_the_form_is_closed_with_a_message(client, edition):
    edition.registration_closes_at = timezone.now() - datetime.timedelta(minutes=5)
    edition.save()
    assert "Registrations closed on" in client.get(URL).content.decode()
    response = client.post(URL, form_data(edition))  # a page opened before the deadline
    assert "Registrations closed on" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_service_refuses_writes_outside_the_window(edition):
    from .factories import details

    later = edition.registration_closes_at + datetime.timedelta(minutes=1)
    with pytest.raises(services.RegistrationClosed):
        services.submit(edition, details(edition), now=later)


def test_rate_limits_per_address(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-email": (2, 3600)}
    for _ in range(2):
        client.post(URL, form_data(edition, form_token=form_token()))
    response = client.post(URL, form_data(edition, form_token=form_token()))
    assert "Too many registrations" in response.content.decode()
    # The registration, then its link sent again; the refused third sends nothing.
    assert [m.to for m in delivered()] == [["awa.ndiaye@example.sn"]] * 2


def test_rate_limits_per_ip(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-ip": (2, 3600)}
    for number in range(2):
        client.post(URL, form_data(edition, email=f"p{number}@example.org",
                                   form_token=form_token()))  # fmt: skip
    response = client.post(URL, form_data(edition, email="p3@example.org"))
    assert "Too many registrations" in response.content.decode()
    assert Registration.objects.count() == 2


def test_the_same_organisation_typed_differently_is_recognised(edition):
    first = services.find_or_create_organisation("Ville de Saint-Étienne", "commune", "FR")
    for typed in ["saint etienne", "VILLE DE ST-ETIENNE ", "Saint-Etienne", "Saint Étiene"]:
        assert services.find_or_create_organisation(typed, "commune", "FR") == first
    other_country = services.find_or_create_organisation("Saint-Étienne", "commune", "BE")
    assert other_country != first
    assert Organisation.objects.count() == 2


def test_an_organisation_is_recognised_by_its_identifier(edition):
    first = services.find_or_create_organisation("Métropole de Lyon", "epci", "FR", "200046977")
    again = services.find_or_create_organisation("Grand Lyon", "epci", "FR", "200 046 977")
    assert again == first


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("+221 77 123 45 67", "+221771234567"), ("06 12 34 56 78", "+33612345678"),
     ("+33 (0)6 12 34 56 78", "+33612345678"), ("", "")],
)  # fmt: skip
def test_phone_numbers_are_stored_in_international_format(typed, stored):
    assert clean_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "+99 123", "phone", "+33 6 12"])
def test_impossible_phone_numbers_are_refused(typed):
    from django import forms

    with pytest.raises(forms.ValidationError):
        clean_phone(typed)


def test_insee_codes_and_siren_numbers_are_checked():
    assert identifier_kind("69123") == "insee" and identifier_kind("2A004") == "insee"
    assert identifier_kind("200046977") == "siren"
    assert identifier_kind("200046978") is None  # wrong check digit
    assert identifier_kind("6912") is None


def test_names_compare_without_accents_case_or_filler_words():
    assert name_key("Ville de Saint-Étienne") == name_key("saint etienne") == "saint etienne"


def test_the_outbox_keeps_every_message(client, edition):
    client.post(URL, form_data(edition))
    delivered()
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT and email.registration is not None


def test_an_organisation_name_keeps_no_control_characters(edition):
    from rencontres.registration.services import find_or_create_organisation

    found = find_or_create_organisation("Ville\x1b[2J de\n\tDakar\x00", "foreign_authority", "SN")
    assert found.name == "Ville[2J de Dakar"
