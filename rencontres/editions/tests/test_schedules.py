"""The programme for schedule apps: frab XML and c3voc JSON valid against their published schemas
(tests/vendor/c3voc-schedule), xCal (RFC 6321) read back, and the feed of starred sessions."""

import datetime
import json
import pathlib
import re
import uuid

import jsonschema
import pytest
from django.conf import settings
from django.core.cache import cache
from icalendar import Calendar
from lxml import etree

from rencontres.editions.schedules import XCAL_NAMESPACE, session_guid

from .factories import add_speaker, make_edition, make_room, make_session, make_speaker, paris

pytestmark = pytest.mark.django_db

VENDOR = pathlib.Path(settings.BASE_DIR, "tests/vendor/c3voc-schedule")
XSD = etree.XMLSchema(etree.parse(str(VENDOR / "schedule.xml.xsd")))
# The published schema keeps two `// TODO` lines, which JSON does not allow.
JSON_SCHEMA = json.loads(
    "\n".join(
        line for line in (VENDOR / "schema.json").read_text().splitlines()
        if not line.strip().startswith("//")
    )
)  # fmt: skip
X = {"x": XCAL_NAMESPACE}
# RFC 6321's RELAX NG grammar (its appendix A), converted to the XML syntax lxml reads.
XCAL_GRAMMAR = etree.RelaxNG(
    etree.parse(str(pathlib.Path(settings.BASE_DIR, "tests/vendor/xcal/rfc6321.rng")))
)

# jsonschema checks none of the schema's formats under draft 6 without optional packages: check
# them here. Not "date-time": the schema says so for an event's "start" too, where frab,
# pretalx and the apps write the time of day ("09:30", as in the XML); the test below reads
# every date-time the file holds instead.
FORMATS = jsonschema.FormatChecker([])
FORMATS.checks("date", raises=ValueError)(datetime.date.fromisoformat)
FORMATS.checks("uuid", raises=ValueError)(uuid.UUID)
FORMATS.checks("uri")(lambda value: re.match(r"https?://[^/\s]+", value) is not None)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def edition():
    """Two days, three rooms (one session without a room), speakers, a change of summer time
    nowhere near: what a small edition publishes."""
    edition = make_edition(number=21)
    auditorium, salle = make_room(name="Auditorium"), make_room(name="Salle Lyon")
    opening = make_session(
        edition, title_fr="Ouverture", title_en="Opening", room=auditorium,
        description_fr="Le **mot** du maire.\n\nPuis les questions.",
        description_en="The mayor's **word**.\n\nThen questions.",
        starts_at=paris(2027, 11, 4, 9, 30),
    )  # fmt: skip
    add_speaker(opening)
    add_speaker(opening, make_speaker(first_name="Jean", last_name="Dupont"))
    make_session(edition, title_fr="Eau", title_en="Water", room=salle,
                 starts_at=paris(2027, 11, 4, 11))  # fmt: skip
    make_session(edition, title_fr="Clôture", title_en="Closing",
                 starts_at=paris(2027, 11, 5, 16), ends_at=paris(2027, 11, 5, 17, 15))  # fmt: skip
    return edition


def sessions_of(edition):
    return list(edition.sessions.order_by("starts_at"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_frab_xml_validates_and_holds_every_session(client, edition, language):
    response = client.get(f"/{language}/editions/21/schedule.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    XSD.assertValid(document)
    assert document.findtext("conference/time_zone_name") == "Europe/Paris"
    assert [day.get("date") for day in document.iter("day")] == ["2027-11-04", "2027-11-05"]
    events = {int(event.get("id")): event for event in document.iter("event")}
    assert events.keys() == {session.pk for session in sessions_of(edition)}
    for session in sessions_of(edition):
        event = events[session.pk]
        start = datetime.datetime.fromisoformat(event.findtext("date"))
        assert start == session.starts_at and start.utcoffset() == datetime.timedelta(hours=1)
        assert event.findtext("start") == start.strftime("%H:%M")
        hours, minutes = map(int, event.findtext("duration").split(":"))
        assert datetime.timedelta(hours=hours, minutes=minutes) == (
            session.ends_at - session.starts_at
        )
        assert event.get("guid") == session_guid(session.pk)
        assert event.getparent().get("name") == event.findtext("room")
        if session.room:
            assert event.findtext("room") == session.room.name
    opening = events[sessions_of(edition)[0].pk]
    assert opening.findtext("title") == {"fr": "Ouverture", "en": "Opening"}[language]
    assert [p.text for p in opening.iter("person")] == ["Awa Ndiaye", "Jean Dupont"]
    assert opening.findtext("abstract") in ("Le mot du maire.", "The mayor's word.")
    assert opening.findtext("description") in ("Puis les questions.", "Then questions.")
    assert opening.findtext("url").endswith(
        f"/{language}/editions/21/sessions/{opening.get('id')}/"
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_schedule_json_validates_against_the_c3voc_schema(client, edition, language):
    response = client.get(f"/{language}/editions/21/schedule.json")
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    validator = jsonschema.Draft6Validator(JSON_SCHEMA, format_checker=FORMATS)
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)
    ]
    assert not errors, "\n".join(errors)
    conference = document["schedule"]["conference"]
    assert conference["daysCount"] == 2 and conference["start"] == "2027-11-04"
    events = [
        event for day in conference["days"] for room in day["rooms"].values() for event in room
    ]
    assert sorted(event["id"] for event in events) == sorted(s.pk for s in sessions_of(edition))
    for event in events:
        uuid.UUID(event["guid"])
        assert datetime.datetime.fromisoformat(event["date"]).tzinfo is not None
        assert event["room"] in {room["name"] for room in conference["rooms"]}
    for day in conference["days"]:
        assert datetime.datetime.fromisoformat(day["day_start"]).utcoffset()


def without_extensions(document):
    """The document without its x- properties (X-WR-CALNAME...): RFC 6321 (section 5) keeps
    them as elements of their own name, which the appendix's grammar does not list."""
    extensions = [e for e in document.iter() if etree.QName(e).localname.startswith("x-")]
    for element in extensions:
        element.getparent().remove(element)
    return document


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_xcal_validates_against_the_rfc_grammar(client, edition, language):
    document = etree.fromstring(client.get(f"/{language}/editions/21/schedule.xcal").content)
    assert document.find(".//x:x-wr-calname", X) is not None
    document = without_extensions(document)
    assert XCAL_GRAMMAR.validate(document), XCAL_GRAMMAR.error_log
    # And the grammar can fail: an event without its start is refused.
    event = document.find(".//x:vevent/x:properties", X)
    event.remove(event.find("x:dtstart", X))
    assert not XCAL_GRAMMAR.validate(document)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_xcal_is_the_programme_calendar_in_xml(client, edition, language):
    response = client.get(f"/{language}/editions/21/schedule.xcal")
    assert response["Content-Type"].startswith("application/calendar+xml")
    document = etree.fromstring(response.content)
    assert document.tag == f"{{{XCAL_NAMESPACE}}}icalendar"
    (calendar,) = document.findall("x:vcalendar", X)
    assert calendar.findtext("x:properties/x:version/x:text", namespaces=X) == "2.0"
    assert calendar.findtext("x:properties/x:prodid/x:text", namespaces=X)
    events = calendar.findall("x:components/x:vevent", X)
    ics = Calendar.from_ical(client.get(f"/{language}/editions/21/programme.ics").content)
    expected = {str(event["uid"]): event for event in ics.walk("VEVENT")}
    assert len(events) == len(expected) == 3
    for event in events:
        properties = event.find("x:properties", X)
        uid = properties.findtext("x:uid/x:text", namespaces=X)
        for name in ("dtstamp", "dtstart", "dtend"):  # RFC 6321 3.3.5: UTC date-times
            value = properties.findtext(f"x:{name}/x:date-time", namespaces=X)
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value), (name, value)
        start = datetime.datetime.fromisoformat(
            properties.findtext("x:dtstart/x:date-time", namespaces=X)
        )
        assert start == expected[uid].decoded("dtstart")
        assert properties.findtext("x:summary/x:text", namespaces=X) == str(
            expected[uid]["summary"]
        )
        assert properties.findtext("x:url/x:uri", namespaces=X) == str(expected[uid]["url"])


def test_the_files_are_cached_with_the_programme_and_answer_304(client, edition):
    first = client.get("/en/editions/21/schedule.xml")
    again = client.get("/en/editions/21/schedule.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    session = sessions_of(edition)[1]
    session.title_en = "Water and sanitation"
    session.save()  # bumps the programme's version: the cached file is not served
    changed = client.get("/en/editions/21/schedule.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and b"Water and sanitation" in changed.content


def test_guids_are_stable_and_differ_per_session(client, edition):
    ids = [session.pk for session in sessions_of(edition)]
    assert session_guid(ids[0]) == session_guid(ids[0])
    assert len({session_guid(pk) for pk in ids}) == len(ids)
    fr = etree.fromstring(client.get("/fr/editions/21/schedule.xml").content)
    en = etree.fromstring(client.get("/en/editions/21/schedule.xml").content)
    assert [e.get("guid") for e in fr.iter("event")] == [e.get("guid") for e in en.iter("event")]


def test_the_files_hold_nothing_but_the_public_programme(client, edition):
    speaker = edition.sessions.get(title_en="Opening").speakers.first()
    speaker.biography_en = "Private detail"
    speaker.organisation = "Secret org"
    speaker.save()
    for name in ("xml", "json", "xcal"):
        content = client.get(f"/en/editions/21/schedule.{name}").content.decode()
        assert "Private detail" not in content and "Secret org" not in content
        assert "@" not in content.replace(f"@{'testserver'}", "")


def test_an_unpublished_edition_has_no_schedule_files(client):
    make_edition(number=22, is_published=False)
    for name in ("xml", "json", "xcal"):
        assert client.get(f"/en/editions/22/schedule.{name}").status_code == 404
    assert client.get("/en/editions/22/starred.ics?s=1").status_code == 404


def starred(client, query):
    response = client.get(f"/en/editions/21/starred.ics?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_starred_feed_holds_the_starred_sessions(client, edition):
    first, _, last = sessions_of(edition)
    events = starred(client, f"s={first.pk},{last.pk}")
    assert sorted(str(event["summary"]) for event in events) == [
        "Closing (Workshop)",
        "Opening (Workshop)",
    ]


def test_the_starred_feed_ignores_what_is_not_a_session_of_the_edition(client, edition):
    other = make_session(make_edition(number=23), title_en="Elsewhere")
    first = sessions_of(edition)[0]
    hostile = f"s={first.pk},{other.pk},abc,-4,0,99999999999999999999,%00,{first.pk},1e3,%EF%BC%91"
    assert [str(event["summary"]) for event in starred(client, hostile)] == ["Opening (Workshop)"]


def test_an_empty_starred_feed_is_an_empty_calendar(client, edition):
    assert starred(client, "") == []
    assert starred(client, "s=") == []
    assert starred(client, "s=" + "," * 5000) == []


def test_the_starred_feed_takes_at_most_200_sessions(client, edition):
    room = make_room()
    made = [
        make_session(
            edition, room=room, starts_at=paris(2027, 11, 4, 8) + datetime.timedelta(minutes=i)
        )
        for i in range(205)
    ]
    query = "s=" + ",".join(str(session.pk) for session in made)
    assert len(starred(client, query)) == 200


def test_the_programme_links_the_files_and_the_starred_feed(client, edition):
    page = client.get("/en/editions/21/programme/").content.decode()
    for name in ("schedule.xml", "schedule.json", "schedule.xcal", "starred.ics"):
        assert f"/en/editions/21/{name}" in page
    assert "js/stars.js" in page
    assert f'data-session="{sessions_of(edition)[0].pk}"' in page


def test_the_schemas_refuse_a_broken_file(client, edition):
    """The validation above can fail: a GUID that is no UUID, a start without its offset."""
    xml = client.get("/en/editions/21/schedule.xml").content
    assert not XSD.validate(etree.fromstring(xml.replace(b'guid="', b'guid="x', 1)))
    assert not XSD.validate(etree.fromstring(re.sub(rb"\+01:00</date>", b"</date>", xml, count=1)))
    document = json.loads(client.get("/en/editions/21/schedule.json").content)
    room = next(iter(document["schedule"]["conference"]["days"][0]["rooms"].values()))
    room[0]["guid"] = "not-a-uuid"
    validator = jsonschema.Draft6Validator(JSON_SCHEMA, format_checker=FORMATS)
    assert [error.message for error in validator.iter_errors(document)] == [
        "'not-a-uuid' is not a 'uuid'"
    ]


def test_times_carry_the_paris_offset_of_their_day(client):
    """Summer time ends on 31 October 2027: the XML says +02:00 before, +01:00 after."""
    edition = make_edition(number=24, starts_on=datetime.date(2027, 10, 30),
                           ends_on=datetime.date(2027, 11, 1))  # fmt: skip
    make_session(edition, title_en="Before", starts_at=paris(2027, 10, 30, 10))
    make_session(edition, title_en="After", starts_at=paris(2027, 11, 1, 10))
    document = etree.fromstring(client.get("/en/editions/24/schedule.xml").content)
    XSD.assertValid(document)
    dates = {event.findtext("title"): event.findtext("date") for event in document.iter("event")}
    assert dates == {"Before": "2027-10-30T10:00:00+02:00", "After": "2027-11-01T10:00:00+01:00"}
    assert [day.get("index") for day in document.iter("day")] == ["1", "2", "3"]


@pytest.mark.parametrize("name", ["xml", "json", "xcal"])
def test_a_bigger_programme_takes_no_more_queries(client, edition, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/en/editions/21/schedule.{name}").status_code == 200
        return len(captured)

    before = queries()
    for hour in range(10, 18):
        session = make_session(edition, starts_at=paris(2027, 11, 5, hour), room=make_room())
        add_speaker(session, make_speaker(last_name=f"Speaker {hour}"))
    assert queries() == before
