"""The programme as iCalendar, for the whole edition and for one session."""

import datetime

import pytest
from icalendar import Calendar

from .factories import add_speaker, make_edition, make_room, make_session, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return make_edition(number=15)


def test_the_programme_calendar_has_one_event_per_session_in_utc(client, edition):
    make_session(edition, title_en="Opening", starts_at=paris(2027, 11, 4, 9, 30),
                 room=make_room(name="Auditorium"))  # fmt: skip
    make_session(edition, title_en="Closing", starts_at=paris(2027, 11, 5, 12, 30))
    response = client.get("/en/editions/15/programme.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(event["summary"]) for event in events] == [
        "Opening (Workshop)",
        "Closing (Workshop)",
    ]
    start = events[0].decoded("dtstart")
    assert start == datetime.datetime(2027, 11, 4, 8, 30, tzinfo=datetime.UTC)
    assert "Auditorium" in str(events[0]["location"])
    assert len({str(event["uid"]) for event in events}) == 2


def test_the_calendar_speaks_the_page_language(client, edition):
    make_session(edition, title_fr="Ouverture", title_en="Opening")
    calendar = Calendar.from_ical(client.get("/fr/editions/15/programme.ics").content)
    assert str(calendar.walk("VEVENT")[0]["summary"]) == "Ouverture (Atelier)"


def test_a_session_calendar_holds_that_session_with_its_speakers(client, edition):
    session = make_session(edition, title_en="Water", description_en="On **water**.")
    add_speaker(session)
    response = client.get(f"/en/editions/15/sessions/{session.pk}.ics")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    description = str(events[0]["description"])
    assert "Awa Ndiaye" in description and "On water." in description
    assert str(events[0]["url"]).endswith(f"/en/editions/15/sessions/{session.pk}/")
