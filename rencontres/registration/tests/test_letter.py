"""Invitation letters for visas: asked with what consulates want (and only then), in French or
English as the person picks, on the organiser's letterhead, with a reference the consulate
checks online, which tells a genuine letter from an altered or forged one."""

import datetime

import pytest
from django.test import Client

from rencontres.registration.invitation import (
    invitation_letter_pdf,
    letter_reference,
    read_reference,
)
from rencontres.registration.models import Registration
from tests.documents import page_images, pdf_text, qr_codes

from .factories import open_edition, organisation, registered

pytestmark = pytest.mark.django_db

LETTER = {
    "passport_name": "NGUYEN THI LAN",
    "passport_number": "C1234567",
    "nationality": "VN",
    "date_of_birth": datetime.date(1984, 3, 9),
}


@pytest.fixture
def edition():
    from rencontres.editions.tests.factories import make_venue

    return open_edition(
        venue=make_venue(
            name="Centre de congrès de la Cité", address="12 quai de la Coopération, 75013 Paris"
        )
    )


def foreigner(edition, **fields):
    return registered(
        edition, first_name="Thi Lan", last_name="Nguyễn", job_title="Director",
        organisation=organisation("Comité populaire de Huế", "VN", "foreign_authority"),
        **fields,
    )  # fmt: skip


def link(registration, suffix=""):
    return f"/en/r/{registration.public_id}/{registration.secret}/{suffix}"


def form(**fields):
    data = {**LETTER, "date_of_birth": "1984-03-09", "language": "fr"}
    return {**data, **fields}


def test_the_private_page_offers_the_letter_and_asks_for_its_details_only_then(client, edition):
    person = foreigner(edition)
    private = client.get(link(person)).content.decode()
    assert link(person, "invitation/") in private
    assert "Passport number" not in private
    page = client.get(link(person, "invitation/")).content.decode()
    for label in ("Name as written in your passport", "Passport number", "Nationality",
                  "Date of birth", "Language of the letter"):  # fmt: skip
        assert label in page, label
    # The registration form never asks for them.
    assert "passport_number" not in client.get("/en/register/").content.decode()


def test_the_pdf_waits_for_the_details_then_downloads_in_the_language_picked(client, edition):
    person = foreigner(edition)
    assert client.get(link(person, "invitation.pdf")).url == link(person, "invitation/")
    response = client.post(link(person, "invitation/"), form(language="fr"))
    assert response.status_code == 302
    assert response.url == link(person, "invitation.pdf?language=fr")
    person.refresh_from_db()
    assert (person.passport_number, person.nationality.code) == ("C1234567", "VN")
    assert person.date_of_birth == datetime.date(1984, 3, 9)
    letter = client.get(response.url)
    assert letter["Content-Type"] == "application/pdf"
    assert 'filename="invitation-15-fr.pdf"' in letter["Content-Disposition"]
    text = pdf_text(letter.content)
    assert "Lettre d'invitation" in text and "C1234567" in text


def test_the_history_says_the_details_changed_never_their_values(client, edition):
    person = foreigner(edition)
    client.post(link(person, "invitation/"), form())
    changes = person.events.get(action="details_changed").details["changes"]
    assert changes["passport_number"] == ["…", "…"]
    assert "C1234567" not in str(person.events.values_list("details", flat=True))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("passport_number", "C12", "5 to 20 letters and digits"),
        ("passport_number", "C1234<567>", "5 to 20 letters and digits"),
        ("date_of_birth", "2999-01-01", "Enter your date of birth"),
        ("date_of_birth", "1850-01-01", "Enter your date of birth"),
        ("date_of_birth", "09/03/84x", "Enter a valid date"),
        ("nationality", "XX", "Select a valid choice"),
        ("passport_name", "", "This field is required"),
        ("language", "de", "Select a valid choice"),
    ],
)
def test_wrong_details_get_a_message_next_to_the_field_and_keep_what_was_typed(
    client, edition, field, value, message
):
    person = foreigner(edition)
    response = client.post(link(person, "invitation/"), form(**{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert 'value="NGUYEN THI LAN"' in response.content.decode() or field == "passport_name"
    person.refresh_from_db()
    assert person.passport_number == ""


def test_a_passport_number_is_kept_as_printed_in_capitals_without_spaces(client, edition):
    person = foreigner(edition)
    client.post(link(person, "invitation/"), form(passport_number=" c12 34567 "))
    person.refresh_from_db()
    assert person.passport_number == "C1234567"


def test_the_details_can_be_given_after_registrations_close(client, edition):
    person = foreigner(edition)
    edition.registration_closes_at = edition.registration_opens_at
    edition.save()
    assert client.post(link(person, "invitation/"), form()).status_code == 302
    person.refresh_from_db()
    assert person.passport_number == "C1234567"


@pytest.mark.parametrize("purged", [False, True], ids=["edition-over", "sensitive-purged"])
def test_after_the_edition_the_letter_is_refused_with_a_message_and_nothing_kept(
    client, edition, purged
):
    from django.utils import timezone

    person = foreigner(edition)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type(edition).objects.filter(pk=edition.pk).update(
        starts_on=yesterday - datetime.timedelta(days=40),
        ends_on=yesterday if not purged else yesterday - datetime.timedelta(days=39),
        sensitive_data_purged_at=timezone.now() if purged else None,
    )
    assert link(person, "invitation/") not in client.get(link(person)).content.decode()
    for response in (client.get(link(person, "invitation/")),
                     client.post(link(person, "invitation/"), form())):  # fmt: skip
        assert response.status_code == 200
        page = response.content.decode()
        assert "invitation letters for a visa are no longer issued" in page
        assert "passport_number" not in page
    person.refresh_from_db()
    assert (person.passport_number, person.nationality, person.date_of_birth) == ("", "", None)
    french = client.get(f"/fr/r/{person.public_id}/{person.secret}/invitation/")
    assert "ne sont plus délivrées" in french.content.decode()
    # Details given before the end: no letter after it either.
    Registration.objects.filter(pk=person.pk).update(**LETTER)
    assert client.get(link(person, "invitation.pdf")).url == link(person, "invitation/")


def test_the_letter_says_what_consulates_ask_for_in_english_and_in_french(edition):
    person = foreigner(edition, **LETTER)
    english = pdf_text(invitation_letter_pdf(person, "en", today=datetime.date(2027, 9, 1)))
    for expected in [
        "Rencontres AICT", "1 rue de l'Exemple", "75007 Paris", "contact@example.org",
        "Invitation letter", "Thi Lan Nguyễn", "NGUYEN THI LAN", "C1234567", "9 March 1984",
        "Director", "Comité populaire de Huế", "15th Meetings", "held from 4 to 5 November 2027",
        "at Centre de congrès de la Cité, 12 quai de la Coopération, 75013 Paris",
        "Paris, 1 September 2027", "Claire Moreau, President",
    ]:  # fmt: skip
        assert expected in english, expected
    assert "présidente" not in english.lower()
    assert "4 November 2027 – 5 November 2027" not in english
    french = pdf_text(invitation_letter_pdf(person, "fr", today=datetime.date(2027, 9, 1)))
    for expected in [
        "Lettre d'invitation", "NGUYEN THI LAN", "C1234567", "9 mars 1984",
        "du 4 au 5 novembre 2027", "Paris, le 1er septembre 2027", "Claire Moreau, Présidente",
        "Numéro de passeport", "Nationalité", "Date de naissance",
    ]:  # fmt: skip
        assert expected in french, expected
    assert "President," not in french


def test_the_letter_carries_the_logo_of_the_letterhead(edition):
    import io

    from pypdf import PdfReader

    person = foreigner(edition, **LETTER)
    page = PdfReader(io.BytesIO(invitation_letter_pdf(person, "en"))).pages[0]
    assert len(page.images) == 2  # the logo and the signature


def check_page(client, reference, language="en"):
    return client.get(f"/{language}/letters/{reference}/")


def test_the_letters_qr_code_opens_the_page_that_says_it_is_genuine(client, edition, settings):
    settings.SITE_URL = "https://rencontres.example.org"
    person = foreigner(edition, **LETTER)
    content = invitation_letter_pdf(person, "en", today=datetime.date(2027, 9, 1))
    (url,) = qr_codes(page_images(content, dpi=150)[0])
    reference = letter_reference(person, datetime.date(2027, 9, 1))
    assert url == f"https://rencontres.example.org/en/letters/{reference}/"
    assert url in pdf_text(content)  # printed too, for those who type it
    response = client.get(url.removeprefix("https://rencontres.example.org"))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in ["This letter is genuine", "Thi Lan Nguyễn", "NGUYEN THI LAN", "15th Meetings",
                     "4–5 November 2027", "1 September 2027"]:  # fmt: skip
        assert expected in html, expected
    # Nothing more than the name, the edition and the date of the letter.
    for private in ["C1234567", "1984", "Director", "Comité populaire", person.email]:
        assert private not in html, private


def test_a_reference_typed_in_groups_and_small_letters_is_recognised(client, edition):
    person = foreigner(edition, **LETTER)
    reference = letter_reference(person, datetime.date(2027, 9, 1))
    typed = "-".join(reference[i : i + 4] for i in range(0, len(reference), 4)).lower()
    assert "This letter is genuine" in check_page(client, typed).content.decode()


def altered(reference, index):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return (
        reference[:index]
        + alphabet[(alphabet.index(reference[index]) + 1) % 32]
        + (reference[index + 1 :])
    )


def test_an_altered_or_forged_reference_says_the_letter_is_not_ours(client, edition):
    person = foreigner(edition, **LETTER)
    reference = letter_reference(person, datetime.date(2027, 9, 1))
    other = registered(edition, first_name="Eve")
    forgeries = [altered(reference, index) for index in range(len(reference))] + [
        letter_reference(other, datetime.date(2027, 9, 1))[:16] + reference[16:],  # another id
        reference[:-1], reference + "A", "A" * 26, "0" * 26, "x", "é" * 26,
    ]  # fmt: skip
    for forged in forgeries:
        assert read_reference(forged) is None, forged
    response = check_page(client, altered(reference, 20))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This reference is not one of ours" in html and "Thi Lan" not in html


def test_a_reference_signed_with_another_secret_is_refused_and_an_old_secret_still_works(
    client, edition, settings
):
    person = foreigner(edition, **LETTER)
    reference = letter_reference(person, datetime.date(2027, 9, 1))
    settings.SECRET_KEY, old = "another-" + "k" * 50, settings.SECRET_KEY
    assert read_reference(reference) is None
    settings.SECRET_KEY_FALLBACKS = [old]  # the secret was rotated: letters given stay good
    assert read_reference(reference) == (person.pk, datetime.date(2027, 9, 1))


def test_forged_references_are_rate_limited_like_wrong_private_links(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link-guess-ip": (3, 3600)}
    person = foreigner(edition, **LETTER)
    reference = letter_reference(person, datetime.date(2027, 9, 1))
    answers = [check_page(client, altered(reference, i)).status_code for i in range(5)]
    assert answers == [404, 404, 404, 429, 429]
    assert check_page(client, reference).status_code == 200  # a real one still opens


def test_the_letter_of_a_cancelled_or_erased_registration_is_no_longer_valid(client, edition):
    from rencontres.privacy.services import erase_registrations

    person = foreigner(edition, **LETTER)
    reference = letter_reference(person, datetime.date(2027, 9, 1))
    Registration.objects.filter(pk=person.pk).update(status=Registration.Status.CANCELLED)
    html = check_page(client, reference).content.decode()
    assert "This letter is no longer valid" in html and "Thi Lan" not in html
    Registration.objects.filter(pk=person.pk).update(status=Registration.Status.CONFIRMED)
    erase_registrations(Registration.objects.filter(pk=person.pk))
    html = check_page(client, reference).content.decode()
    assert "This letter is no longer valid" in html and "genuine." not in html


def test_the_check_page_is_in_the_language_of_its_address(edition):
    person = foreigner(edition, **LETTER)
    reference = letter_reference(person, datetime.date(2027, 9, 1))
    html = check_page(Client(), reference, "fr").content.decode()
    assert "Cette lettre est authentique" in html and "4–5 novembre 2027" in html


def test_french_participants_have_no_letter_unless_they_ask_with_a_passport_name(client, edition):
    french = registered(edition)
    assert client.get(link(french, "invitation/")).status_code == 404
    assert client.get(link(french, "invitation.pdf")).status_code == 404
