"""The programme in the files schedule apps read: frab XML, the c3voc schedule JSON and xCal.

Phone apps (Giggity, ConfClerk, EventFahrplan) and the c3voc tools read the frab XML or its JSON
twin (https://c3voc.de/wiki/schedule); calendar software reads xCal (RFC 6321), the XML form of
the iCalendar that ical.py writes. Only what the public programme shows goes in: sessions,
rooms and the speakers listed on them. Built in the active language, cached like the
programme page (the key holds Edition.programme_version).
"""

import datetime
import hashlib
import json
import uuid

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from lxml import etree

from rencontres.markdown import render_markdown

from . import selectors
from .ical import build_calendar
from .models import PARIS

# Fixed forever: a session's GUID, uuid5 of this namespace and its id, must not change between
# exports, or apps would see every session deleted and added again.
GUID_NAMESPACE = uuid.UUID("7604259f-04f6-4719-8701-1b40e91d12e7")
JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
XCAL_NAMESPACE = "urn:ietf:params:xml:ns:icalendar-2.0"
TIMESLOT = "00:15"


def session_guid(pk):
    return str(uuid.uuid5(GUID_NAMESPACE, f"session-{pk}"))


def room_guid(pk):
    return str(uuid.uuid5(GUID_NAMESPACE, f"room-{pk}"))


def acronym(edition):
    # Letters and digits only: the c3voc schema's pattern refuses most punctuation.
    return f"rencontres{edition.number}"


def duration(start, end):
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def plain_text(markdown):
    return strip_tags(render_markdown(markdown)).strip()


def programme_data(edition, site_url):
    """The programme as plain data: days, each with its rooms and their events (frab's shape)."""
    sessions = list(selectors.programme(edition).for_programme())
    no_room = gettext("Room to be announced")
    language = (get_language() or "fr")[:2]
    rooms, days = {}, {}
    for session in sessions:
        room_name = session.room.name if session.room else no_room
        rooms.setdefault(room_name, room_guid(session.room_id or 0))
        start = timezone.localtime(session.starts_at, PARIS)
        end = timezone.localtime(session.ends_at, PARIS)
        # The abstract is the first paragraph, the description the rest: apps show both.
        abstract, _, rest = session.description.strip().partition("\n\n")
        path = reverse("editions:session", args=[edition.number, session.pk])
        event = {
            "id": session.pk,
            "guid": session_guid(session.pk),
            "date": start.isoformat(),
            "start": start.strftime("%H:%M"),
            "end": end,
            "starts_at": start,
            "duration": duration(start, end),
            "room": room_name,
            "slug": f"{acronym(edition)}-{session.pk}-{slugify(session.title)[:50]}".rstrip("-"),
            "url": f"{site_url}{path}",
            "title": session.title,
            "subtitle": "",
            "track": session.get_kind_display(),
            "type": session.get_kind_display(),
            "language": language,
            "abstract": plain_text(abstract),
            "description": plain_text(rest),
            "persons": [
                {"id": appearance.speaker_id, "public_name": appearance.speaker.full_name}
                for appearance in session.appearances.all()
            ],
        }
        days.setdefault(start.date(), {}).setdefault(room_name, []).append(event)
    day_list = []
    for index, day in enumerate(sorted(set(edition.days) | set(days)), start=1):
        events = [event for room in days.get(day, {}).values() for event in room]
        if events:
            day_start = min(event["starts_at"] for event in events)
            day_end = max(event["end"] for event in events)
        else:
            day_start, day_end = (bound.astimezone(PARIS) for bound in selectors.day_bounds(day))
        day_list.append(
            {"index": index, "date": day, "start": day_start, "end": day_end,
             "rooms": days.get(day, {})}
        )  # fmt: skip
    return {
        "version": str(edition.programme_version),
        "base_url": f"{site_url}/",
        "acronym": acronym(edition),
        "title": edition.title,
        "url": f"{site_url}{reverse('editions:programme', args=[edition.number])}",
        "start": edition.starts_on,
        "end": edition.ends_on,
        "rooms": rooms,
        "days": day_list,
    }


XML_EVENT_FIELDS = ("date", "start", "duration", "room", "slug", "url", "title", "subtitle",
                    "track", "type", "language", "abstract", "description")  # fmt: skip


def frab_xml(edition, site_url):
    data = programme_data(edition, site_url)
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name="Rencontres")
    etree.SubElement(root, "version").text = data["version"]
    conference = etree.SubElement(root, "conference")
    for name, value in [
        ("acronym", data["acronym"]),
        ("title", data["title"]),
        ("start", data["start"].isoformat()),
        ("end", data["end"].isoformat()),
        ("days", str(len(data["days"]))),
        ("timeslot_duration", TIMESLOT),
        ("base_url", data["base_url"]),
        ("time_zone_name", "Europe/Paris"),
    ]:
        etree.SubElement(conference, name).text = value
    for day in data["days"]:
        day_element = etree.SubElement(
            root, "day", index=str(day["index"]), date=day["date"].isoformat(),
            start=day["start"].isoformat(), end=day["end"].isoformat(),
        )  # fmt: skip
        for room_name, events in day["rooms"].items():
            room = etree.SubElement(day_element, "room", name=room_name)
            for event in events:
                element = etree.SubElement(room, "event", guid=event["guid"], id=str(event["id"]))
                for name in XML_EVENT_FIELDS:
                    etree.SubElement(element, name).text = event[name]
                persons = etree.SubElement(element, "persons")
                for person in event["persons"]:
                    name = person["public_name"]
                    etree.SubElement(persons, "person", id=str(person["id"])).text = name
                etree.SubElement(element, "links")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


JSON_EVENT_FIELDS = ("id", "guid", "date", "start", "duration", "room", "slug", "url", "title",
                     "subtitle", "track", "type", "language", "abstract", "description",
                     "persons")  # fmt: skip


def schedule_json(edition, site_url):
    data = programme_data(edition, site_url)
    document = {
        "$schema": JSON_SCHEMA_URL,
        "generator": {"name": "Rencontres"},
        "schedule": {
            "version": data["version"],
            "base_url": data["base_url"],
            "conference": {
                "acronym": data["acronym"],
                "title": data["title"],
                "start": data["start"].isoformat(),
                "end": data["end"].isoformat(),
                "daysCount": len(data["days"]),
                "timeslot_duration": TIMESLOT,
                "time_zone_name": "Europe/Paris",
                "url": data["url"],
                "rooms": [{"name": name, "guid": guid} for name, guid in data["rooms"].items()],
                "days": [
                    {
                        "index": day["index"],
                        "date": day["date"].isoformat(),
                        "day_start": day["start"].isoformat(),
                        "day_end": day["end"].isoformat(),
                        "rooms": {
                            room: [
                                {
                                    **{field: event[field] for field in JSON_EVENT_FIELDS},
                                    "links": [],
                                    "attachments": [],
                                    "answers": [],
                                }
                                for event in events
                            ]
                            for room, events in day["rooms"].items()
                        },
                    }
                    for day in data["days"]
                ],
            },
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def xcal_value(value):
    """(value type, text) of an icalendar property value, as RFC 6321 writes it."""
    moment = getattr(value, "dt", None)
    if isinstance(moment, datetime.datetime):
        return "date-time", moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(moment, datetime.date):
        return "date", moment.isoformat()
    if type(value).__name__ == "vUri":
        return "uri", str(value)
    return "text", str(value)


def xcal_component(parent, component):
    element = etree.SubElement(parent, f"{{{XCAL_NAMESPACE}}}{component.name.lower()}")
    properties = etree.SubElement(element, f"{{{XCAL_NAMESPACE}}}properties")
    for name, values in component.items():
        for value in values if isinstance(values, list) else [values]:
            kind, text = xcal_value(value)
            prop = etree.SubElement(properties, f"{{{XCAL_NAMESPACE}}}{name.lower()}")
            etree.SubElement(prop, f"{{{XCAL_NAMESPACE}}}{kind}").text = text
    if component.subcomponents:
        children = etree.SubElement(element, f"{{{XCAL_NAMESPACE}}}components")
        for child in component.subcomponents:
            xcal_component(children, child)


def xcal(edition, site_url):
    """The iCalendar of the programme (ical.py's, event for event) in its XML form, RFC 6321."""
    sessions = selectors.programme(edition).for_programme().select_related("edition")
    calendar = build_calendar(edition, sessions, site_url)
    root = etree.Element(f"{{{XCAL_NAMESPACE}}}icalendar", nsmap={None: XCAL_NAMESPACE})
    xcal_component(root, calendar)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


FORMATS = {
    "xml": (frab_xml, "application/xml; charset=utf-8"),
    "json": (schedule_json, "application/json"),
    "xcal": (xcal, "application/calendar+xml; charset=utf-8"),
}


def schedule_file(edition, file_format, site_url):
    """(content, content type, ETag) of the programme in `file_format` ("xml", "json", "xcal"),
    built once per programme version, language and site."""
    build, content_type = FORMATS[file_format]
    key = ":".join(
        ["schedule", file_format, str(edition.pk), str(edition.programme_version),
         get_language() or "", hashlib.sha256(site_url.encode()).hexdigest()[:16]]
    )  # fmt: skip
    content = cache.get(key)
    if content is None:
        content = build(edition, site_url)
        cache.set(key, content, settings.PROGRAMME_CACHE_SECONDS)
    return content, content_type, f'"{hashlib.sha256(content).hexdigest()[:32]}"'
