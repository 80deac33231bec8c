"""The private link: see, change, cancel, until the deadline; letters and calendars."""

import datetime
import io
import uuid

import pytest
from django.utils import timezone
from pypdf import PdfReader

from rencontres.registration import services
from rencontres.registration.models import Registration

from .factories import delivered, open_edition, organisation, registered, workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return open_edition()


def link(registration, suffix=""):
    return f"/en/r/{registration.public_id}/{registration.secret}/{suffix}"


def test_the_private_page_shows_the_registration(client, edition):
    session = workshop(edition, title_en="Water workshop")
    person = registered(edition, sessions=[session], first_name="Olena")
    html = client.get(link(person)).content.decode()
    assert "Olena" in html and "Confirmed" in html and "Water workshop" in html
    assert "Change my details" in html and "Cancel my registration" in html
    assert client.get(link(person)).headers["Cache-Control"].startswith("max-age=0")


def test_a_wrong_or_rotated_secret_opens_nothing(client, edition):
    person = registered(edition)
    assert client.get(f"/en/r/{person.public_id}/{'x' * 43}/").status_code == 404
    assert client.get(f"/en/r/{uuid.uuid4()}/{person.secret}/").status_code == 404
    old = link(person)
    person.rotate_secret()
    assert client.get(old).status_code == 404
    assert client.get(link(person)).status_code == 200


def test_secrets_are_long_and_random(edition):
    secrets = {registered(edition).secret for _ in range(5)}
    assert len(secrets) == 5 and all(len(secret) >= 43 for secret in secrets)  # 256 bits


def test_a_person_changes_their_details(client, edition):
    person = registered(edition)
    response = client.post(link(person, "details/"), {
        "first_name": "Awa", "last_name": "Ndiaye-Sow", "phone": "+33 6 12 34 56 78",
        "job_title": "Mayor", "language": "fr", "diet": "", "diet_details": "",
        "access_needs": "", "passport_name": "NDIAYE SOW Awa", "directory_opt_in": "on",
    })  # fmt: skip
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Ndiaye-Sow" and person.phone == "+33612345678"
    assert person.directory_opt_in and person.directory_consent_at is not None
    event = person.events.get(action="details_changed")
    assert event.details["changes"]["last_name"][1] == "Ndiaye-Sow"


def test_names_and_job_stay_on_one_line_without_control_characters(client, edition):
    person = registered(edition)
    client.post(link(person, "details/"), {
        "first_name": "Awa\r\nBcc: x@example.org", "last_name": "Ndiaye\x1b[31m",
        "job_title": "Mayor\x07\t of\nThiès", "language": "fr",
    })  # fmt: skip
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.job_title) == (
        "Awa Bcc: x@example.org",
        "Ndiaye[31m",
        "Mayor of Thiès",
    )


def test_bad_details_are_shown_next_to_the_field(client, edition):
    person = registered(edition)
    data = {"first_name": "", "phone": "12", "language": "en", "job_title": "x"}
    response = client.post(link(person, "details/"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html and "Enter a valid phone number" in html


def test_a_person_changes_their_sessions_within_capacity(client, edition):
    full = workshop(edition, capacity=1, hour=9, title_en="Full one")
    free = workshop(edition, capacity=3, hour=14, title_en="Free one")
    registered(edition, sessions=[full])
    person = registered(edition)
    page = client.get(link(person, "sessions/")).content.decode()
    assert "full: waiting list" in page and "3 places left" in page
    response = client.post(link(person, "sessions/"), {"sessions": [full.pk, free.pk]})
    assert response.status_code == 302
    html = client.get(link(person)).content.decode()
    assert "You are on the waiting list for: Full one" in html
    assert dict(person.choices.values_list("session", "status")) == {
        full.pk: "waitlisted", free.pk: "confirmed"}  # fmt: skip


def test_a_person_cancels(client, edition):
    person = registered(edition)
    assert "Yes, cancel" in client.get(link(person, "cancel/")).content.decode()
    client.post(link(person, "cancel/"))
    person.refresh_from_db()
    assert person.status == Registration.Status.CANCELLED
    html = client.get(link(person)).content.decode()
    assert "no longer active" in html and person.email not in html
    assert client.get(link(person, "details/")).status_code == 404


def test_after_the_deadline_the_page_is_read_only(client, edition):
    person = registered(edition)
    edition.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    html = client.get(link(person)).content.decode()
    assert "can no longer be changed online" in html and "contact@example.org" in html
    assert "Change my details" not in html
    response = client.post(link(person, "cancel/"))  # from a page opened before the deadline
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Registration.Status.CONFIRMED
    assert "Registrations closed on" in client.get(link(person)).content.decode()


def test_the_invitation_letter_names_the_person_as_in_the_passport(client, edition):
    person = registered(
        edition, first_name="Thi Lan", last_name="Nguyễn", passport_name="NGUYEN THI LAN",
        job_title="Director", organisation=organisation("Comité populaire de Huế", "VN",
                                                        "foreign_authority"),
        passport_number="C1234567", nationality="VN", date_of_birth=datetime.date(1984, 3, 9),
    )  # fmt: skip
    response = client.get(link(person, "invitation.pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in ["Invitation letter", "Thi Lan Nguyễn", "NGUYEN THI LAN",
                     "Comité populaire de Huế", "Vietnam", "15th Meetings",
                     "from 4 to 5 November 2027"]:  # fmt: skip
        assert expected in text, expected


def test_the_invitation_letter_waits_for_a_confirmed_registration(client, edition):
    person = registered(edition, confirm=False, passport_name="NDIAYE AWA")
    assert client.get(link(person, "invitation.pdf")).status_code == 404


def test_the_invitation_letter_is_for_people_coming_from_abroad(client, edition):
    french = registered(edition)  # a French commune, no passport name given
    assert "Invitation letter" not in client.get(link(french)).content.decode()
    assert client.get(link(french, "invitation.pdf")).status_code == 404
    foreign = registered(edition, organisation=organisation("Ville de Thiès", "SN",
                                                            "foreign_authority"))  # fmt: skip
    assert "Invitation letter" in client.get(link(foreign)).content.decode()


def test_the_calendar_holds_the_confirmed_sessions(client, edition):
    session = workshop(edition, title_en="Water workshop")
    person = registered(edition, sessions=[session])
    content = client.get(link(person, "calendar.ics")).content.decode()
    assert "BEGIN:VEVENT" in content and "Water workshop" in content


def test_a_lost_link_is_sent_again_without_telling_who_is_registered(client, edition):
    person = registered(edition)
    delivered().clear()
    known = client.post("/en/register/link/", {"email": person.email.upper()})
    unknown = client.post("/en/register/link/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.content.decode().replace(person.email.lower(), "X") == (
        unknown.content.decode().replace("nobody@example.org", "X")
    )
    messages = delivered()
    assert [m.to[0] for m in messages] == [person.email]
    assert person.secret in messages[0].body


def test_the_sent_page_resends_the_confirmation(client, edition):
    from .factories import form_data

    client.post("/en/register/", form_data(edition))
    client.post("/en/register/sent/")
    assert len(delivered()) == 2
    assert delivered()[1].subject == delivered()[0].subject


def test_link_requests_are_rate_limited(client, edition, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link-email": (1, 3600)}
    person = registered(edition)
    client.post("/en/register/link/", {"email": person.email})
    sent = len(delivered())
    response = client.post("/en/register/link/", {"email": person.email})
    assert "Too many requests" in response.content.decode()
    assert len(delivered()) == sent


def test_the_service_rotates_nothing_it_should_not(edition):
    person = registered(edition)
    secret = person.secret
    services.update_details(person, {"job_title": "Vice-mayor"})
    person.refresh_from_db()
    assert person.secret == secret
