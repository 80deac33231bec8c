"""A registrant's starred sessions: kept with the registration (any device), in their calendar
feed beside the sessions they hold a place in, erased with them; starring books nothing."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from rencontres.editions.tests.factories import make_session
from rencontres.registration.models import Registration

from .factories import open_edition, registered, workshop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_starred_sessions_are_kept_with_the_registration_and_in_its_feed(client):
    edition = open_edition()
    held = workshop(edition, title_en="Water workshop")
    plenary = make_session(edition, title_en="Opening plenary", title_fr="Plénière d'ouverture")
    full = workshop(edition, capacity=1, hour=16, title_en="Mobility workshop")
    person = registered(edition, sessions=[held])
    url = reverse("registration:stars", args=[person.public_id, person.secret])
    page = client.get(url).content.decode()
    assert "Opening plenary" in page and "Mobility workshop" in page
    response = client.post(url, {"sessions": [plenary.pk, full.pk]})
    assert response.status_code == 302
    assert set(person.starred_sessions.all()) == {plenary, full}
    assert not full.choices.exists()  # a star books no place
    feed = reverse("registration:calendar_feed",
                   args=[person.public_id, person.feed_token("sessions")])  # fmt: skip
    events = Calendar.from_ical(client.get(feed).content).walk("VEVENT")
    titles = {str(event["summary"]) for event in events}
    assert any("Water workshop" in title for title in titles)
    assert any("Opening plenary" in title for title in titles)
    assert any("Mobility workshop" in title for title in titles)
    # Unstarred: out of the feed; a session that is not the edition's: refused, nothing saved.
    client.post(url, {"sessions": [plenary.pk]})
    assert list(person.starred_sessions.all()) == [plenary]
    other = workshop(open_edition(number=99), title_en="Elsewhere")
    page = client.post(url, {"sessions": [other.pk]})
    assert page.status_code == 200 and list(person.starred_sessions.all()) == [plenary]


def test_the_erasure_takes_the_stars(client):
    from rencontres.privacy.services.erasure import erase_registrations

    edition = open_edition()
    person = registered(edition)
    person.starred_sessions.set([workshop(edition)])
    erase_registrations(Registration.objects.filter(pk=person.pk))
    assert not Registration.objects.get(pk=person.pk).starred_sessions.exists()
