"""The e-mails that tell people where they stand carry what they need: the edition's dates, the
venue and its address, the sessions they hold (Paris time, their language) and their link;
a change made through the private link is e-mailed, with what changed. Read from the outbox,
text and HTML, in French and English."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from rencontres.editions.tests.factories import make_room, make_venue
from rencontres.mail.models import OutgoingEmail
from rencontres.registration import services

from .factories import open_edition, registered, workshop

pytestmark = pytest.mark.django_db

TIMES = {"fr": "14\xa0h\xa000–15\xa0h\xa030", "en": "14:00–15:30"}
DATES = {"fr": "4–5 novembre 2027", "en": "4–5 November 2027"}
WAITING = {"fr": "liste d'attente", "en": "waiting list"}


@pytest.fixture
def edition():
    venue = make_venue(name="Palais des congrès", address="50 quai Charles-de-Gaulle",
                       city="Lyon", map_url="https://maps.example.org/lyon")  # fmt: skip
    edition = open_edition(venue=venue)
    return edition


@pytest.fixture
def water(edition):
    return workshop(edition, capacity=10, room=make_room(name="Salle Rhône"),
                    title_fr="Atelier eau", title_en="Water workshop")  # fmt: skip


def last_email(registration, template):
    return OutgoingEmail.objects.filter(registration=registration, template=template).latest("pk")


def assert_carries_the_facts(email, language, sessions=(), link=True):
    text, html = email.body_text, email.body_html
    for body in (text, re.sub(r"<[^>]+>", " ", html)):
        assert DATES[language] in body
        assert "Palais des congrès" in body and "50 quai Charles-de-Gaulle" in body
        assert "Lyon" in body
        for title in sessions:
            assert title in body
            assert TIMES[language] in body
    if link:
        registration = email.registration
        assert f"/{language}/r/{registration.public_id}/{registration.secret}/" in text
        assert f"/{language}/r/{registration.public_id}/{registration.secret}/" in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_confirmation_emails_carry_dates_venue_sessions_and_link(edition, water, language):
    with timezone.override("Asia/Tokyo"):  # whatever the server's zone: Paris time
        registration = registered(edition, sessions=[water], language=language, confirm=False)
        title = water.title_fr if language == "fr" else water.title_en
        confirm = last_email(registration, "confirm_address")
        assert_carries_the_facts(confirm, language, [title], link=False)
        assert f"/{language}/register/confirm/" in confirm.body_text
        registration = services.confirm_address(registration)
        confirmed = last_email(registration, "registration_confirmed")
    assert confirmed.language == language
    assert_carries_the_facts(confirmed, language, [title])
    assert "Salle Rhône" in confirmed.body_text


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "template", ["awaiting_approval", "waitlisted", "private_link", "session_promoted"]
)
def test_every_email_about_a_place_carries_the_facts(edition, water, language, template):
    registration = registered(edition, sessions=[water], language=language)
    services.send(registration, template, session_title=water.title)
    title = water.title_fr if language == "fr" else water.title_en
    assert_carries_the_facts(last_email(registration, template), language, [title])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_invitation_carries_dates_and_venue(edition, language):
    from rencontres.registration.models import Invitation

    Invitation.objects.create(edition=edition, email="yann@example.org", first_name="Yann",
                              last_name="Le Gall", language=language)  # fmt: skip
    services.send_invitations(edition.pk)
    email = OutgoingEmail.objects.get(template="invitation")
    assert_carries_the_facts(email, language, link=False)
    assert "/invitation/" in email.body_text and "/invitation/" in email.body_html


def private(registration, name):
    return reverse(f"registration:{name}", args=[registration.public_id, registration.secret])


def details_of(registration, **changes):
    fields = ["first_name", "last_name", "phone", "job_title", "language", "access_needs",
              "diet", "diet_details", "passport_name"]  # fmt: skip
    data = {field: getattr(registration, field) for field in fields}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_changing_details_from_the_private_page_emails_what_changed(client, edition, water,
                                                                    language):  # fmt: skip
    registration = registered(edition, sessions=[water], language=language,
                              access_needs="Fauteuil roulant")  # fmt: skip
    response = client.post(
        private(registration, "details"),
        details_of(registration, job_title="Maire adjointe", access_needs="Boucle magnétique",
                   photo_opt_in="on"),
    )  # fmt: skip
    assert response.status_code == 302
    email = last_email(registration, "registration_changed")
    assert email.language == language
    label = {"fr": "Fonction", "en": "Job title"}[language]
    for body in (email.body_text, email.body_html):
        assert label in body and "Maire adjointe" in body
        # A sensitive field: that it changed, never its value (e-mails are kept longer).
        assert "Boucle magnétique" not in body and "Fauteuil" not in body
    assert_carries_the_facts(email, language, [water.title_fr if language == "fr" else
                                               water.title_en])  # fmt: skip
    # Saved again as it is: no e-mail.
    count = OutgoingEmail.objects.filter(template="registration_changed").count()
    registration.refresh_from_db()
    client.post(private(registration, "details"), details_of(registration, photo_opt_in="on"))
    assert OutgoingEmail.objects.filter(template="registration_changed").count() == count


def test_the_change_and_its_email_are_one_transaction(client, edition):
    registration = registered(edition)
    outbox_down = mock.patch.object(
        OutgoingEmail.objects, "create", side_effect=RuntimeError("outbox")
    )
    with outbox_down, pytest.raises(RuntimeError):
        services.update_details(registration, {"job_title": "Conseillère"})
    registration.refresh_from_db()
    assert registration.job_title == "Mayor"
    assert not registration.events.filter(action="details_changed").exists()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_changing_sessions_emails_what_was_added_and_dropped(client, edition, water, language):
    full = workshop(edition, capacity=1, hour=9, title_fr="Atelier climat",
                    title_en="Climate workshop")  # fmt: skip
    registered(edition, sessions=[full])  # takes the only place
    registration = registered(edition, sessions=[water], language=language)
    client.post(private(registration, "sessions"), {"sessions": [full.pk]})
    email = last_email(registration, "registration_changed")
    added, dropped = ("Atelier climat", "Atelier eau") if language == "fr" else (
        "Climate workshop", "Water workshop")  # fmt: skip
    text = email.body_text
    assert text.index(added) < text.index(dropped), "added first, then dropped"
    assert WAITING[language] in text  # the new session is full: on its waiting list
    assert "9\xa0h\xa000" in text if language == "fr" else "9:00" in text
    assert email.attachments and email.attachments[0]["mimetype"] == "text/calendar"
    assert_carries_the_facts(email, language)


def test_organisers_changes_are_not_emailed_as_the_persons_own(edition):
    registration = registered(edition)
    from rencontres.backoffice.tests.factories import member

    services.update_details(registration, {"job_title": "Conseillère"}, actor=member(edition))
    assert not OutgoingEmail.objects.filter(template="registration_changed").exists()


def test_dates_over_two_months_and_one_day_read_naturally():
    from django.utils import translation

    from rencontres.registration.services.messages import date_range

    with translation.override("fr"):
        assert date_range(datetime.date(2027, 10, 30), datetime.date(2027, 11, 2)) == (
            "30 octobre – 2 novembre 2027"
        )
        assert date_range(datetime.date(2027, 11, 4), datetime.date(2027, 11, 4)) == (
            "4 novembre 2027"
        )
